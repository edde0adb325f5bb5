"""detect(): what it returns for empty, ambiguous, clear and mixed messages, and its stability."""
from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from bot.language import Detection, detect
from bot.language import char_model


@pytest.mark.parametrize("text", ["", "   ", "60623", "773-555-0142", "👍", "🙏🙏😊", "?!", "ok", "OK", "no", "ok ok"])
def test_messages_with_nothing_to_go_on_have_no_language(text):
    assert detect(text) == Detection(language=None, confidence=0.0, decisive=False)


# expected_guess None: the guess may go either way, only "not decisive" matters.
@pytest.mark.parametrize(
    "text, expected_guess",
    [
        ("si", "es"),
        ("hola", "es"),
        ("gracias", "es"),
        ("hi", "en"),
        ("yes", "en"),
        ("thanks", "en"),
        ("Maria", None),
        ("Juan Carlos", None),
        ("Maria de la Cruz", None),
        ("tengo 24", "es"),
        ("im 24", "en"),
    ],
)
def test_short_or_ambiguous_messages_are_never_decisive(text, expected_guess):
    detection = detect(text)
    if expected_guess is not None:
        assert detection.language == expected_guess
    assert not detection.decisive


@pytest.mark.parametrize(
    "text, language",
    [
        ("necesito ayuda para encontrar trabajo cerca de mi casa", "es"),
        ("busco trabajo de warehouse", "es"),
        ("me despidieron la semana pasada y no tengo dinero", "es"),
        ("¿tienen clases en la noche?", "es"),
        ("no tengo carro", "es"),
        ("q necesito llevar", "es"),
        ("i got laid off last week and need a job", "en"),
        ("where is the closest office", "en"),
        ("do u guys help with cdl", "en"),
        ("i have my diploma", "en"),
    ],
)
def test_clear_messages_are_decisive(text, language):
    detection = detect(text)
    assert detection.language == language
    assert detection.decisive
    assert detection.confidence >= 0.9


@pytest.mark.parametrize(
    "text, language",
    [
        ("necesito un job", "es"),
        ("tengo mi resume listo", "es"),
        ("tienen openings para cashier", "es"),
        ("me dieron el layoff en la warehouse", "es"),
        ("i need trabajo", "en"),
        ("my tia needs a job", "en"),
        ("i worked at a taqueria", "en"),
    ],
)
def test_spanglish_goes_to_the_language_of_its_grammar(text, language):
    assert detect(text).language == language


@pytest.mark.parametrize(
    "text, language",
    [
        ("ESTOY BUSCANDO TRABAJO", "es"),
        ("I NEED A JOB", "en"),
        ("dónde están", "es"),
        ("donde estan", "es"),
        ("Necesito información, por favor.", "es"),
    ],
)
def test_capitals_and_accents_do_not_matter(text, language):
    assert detect(text).language == language


@pytest.mark.parametrize(
    "text", ["si", "ok gracias", "busco trabajo", "hola i need help", "tengo experiencia en warehouse", "Maria"]
)
def test_confidence_is_between_0_and_1(text):
    assert 0.0 <= detect(text).confidence <= 1.0


@pytest.mark.parametrize(
    "text", ["hola i need help", "tengo experiencia en warehouse", "Maria", "quick question", "cna classes"]
)
def test_same_text_gets_the_same_answer_every_time(text):
    first = detect(text)
    first_log_odds = char_model.spanish_log_odds(text)
    for _ in range(50):
        assert detect(text) == first
        assert char_model.spanish_log_odds(text) == first_log_odds


def test_detection_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        detect("hola").language = "en"  # type: ignore[misc]


@pytest.mark.parametrize(
    "text, language",
    [
        # Short English texts that letter statistics from Wikipedia read as Spanish.
        ("restaurant jobs", "en"),
        ("hospital jobs", "en"),
        ("dental assistant", "en"),
        ("laborer", "en"),
        ("done", "en"),
        ("perfect", "en"),
        ("trabajo de limpieza", "es"),
        ("vivo en la villita", "es"),
    ],
)
def test_the_character_model_reads_short_texts_the_way_seekers_write_them(text, language):
    log_odds, scored = char_model.spanish_log_odds(text)
    assert scored > 0
    assert (log_odds > 0) == (language == "es")
    assert detect(text).language == language


def test_the_character_model_has_no_evidence_in_digits_and_emoji():
    assert char_model.spanish_log_odds("60623 👍") == (0.0, 0)


def test_the_character_model_loads_on_first_detection_not_at_import():
    script = (
        "import bot.language as language\n"
        "from bot.language import char_model\n"
        "assert char_model._model is None, 'loaded at import'\n"
        "language.detect('hola como estas')\n"
        "assert char_model._model is not None, 'not loaded after detect'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_a_message_as_long_as_telegram_allows_is_detected_without_overflow():
    """Its log-odds run to thousands; the sigmoid once raised OverflowError on them, and the
    language action failed with it."""
    from bot.language.detection import _sigmoid

    assert _sigmoid(-5000.0) == 0.0 and _sigmoid(5000.0) == 1.0 and _sigmoid(0.0) == 0.5
    long_message = ("no i dont want construction but hotels 1 2 3 nurse " * 90)[:4096]
    assert detect(long_message).language == "en"
