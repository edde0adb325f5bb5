"""Intake conversations in Spanish and Spanglish, and the sticky language rule."""
from __future__ import annotations

from bot.sms import MAX_SEGMENTS, fold_to_gsm, segments


def test_spanish_seeker_from_first_message_to_summary(chat, assistant):
    first = chat.say("busco trabajo en hoteles")
    assert "tarifas de msj y datos" in first and "ALTO" in first and "AYUDA" in first
    assert "nombre" in first
    assert "código postal" in chat.say("Ana")
    # Hotels were in the first message: the sector question is skipped.
    assert "años" in chat.say("60629")
    assert "permiso para trabajar" in chat.say("tengo 19")
    assert "te describe" in chat.say("si")
    reply = chat.say("2")
    assert "desempleo" in reply
    assert "con créditos" in chat.say("no he aplicado")
    assert "nivel más alto" in chat.say("no")
    assert "fuerzas armadas" in chat.say("termine la prepa")
    assert "reciben alguno" in chat.say("ninguno")
    assert "Te aplica alguno" in chat.say("cupones de comida")
    reply = chat.say("7")
    assert "Servicio Selectivo" in reply
    summary = chat.say("no soy hombre")
    assert "¡Gracias, Ana!" in summary
    assert "Hoteles" in summary or "Hospitalidad" in summary
    assert "WIOA Adultos" in summary
    assert "Siguiente paso" in summary

    # Every message of the whole intake fits the SMS budget as the SMS channel sends it.
    billed = [segments(fold_to_gsm(text)) for text in chat.bot_texts()]
    assert max(billed) <= MAX_SEGMENTS, chat.dump()
    print(f"\nSpanish intake: {len(billed)} messages, {sum(billed)} billed segments")

    seeker = assistant.store.find_seeker("rest", chat.sender)
    assert seeker.language == "es"
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["sectors"] == ["hospitality"]
    assert screening.answers["public_assistance"] == ["snap"]
    assert screening.answers["education"] == "diploma"
    assert "selective_service" not in screening.answers


def test_short_replies_never_flip_the_language(chat):
    chat.say("hola, necesito trabajo")
    assert "código postal" in chat.say("Maria")
    assert "interesa" in chat.say("60623")
    assert "años" in chat.say("ok 1")


def test_asking_for_english_switches_and_sticks(chat):
    assert "nombre" in chat.say("hola")
    reply = chat.say("english please")
    assert "continue in English" in reply
    assert "first name" in reply
    assert "ZIP" in chat.say("Jose")
