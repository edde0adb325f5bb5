"""choose_language(): the sticky-language rule over a conversation."""
from __future__ import annotations

import pytest

from bot.language import DEFAULT_LANGUAGE, choose_language
from language_messages import UNDECIDABLE, read_rows

UNDECIDABLE_TEXTS = [text for text, _ in read_rows(UNDECIDABLE)]


@pytest.mark.parametrize(
    "current, text, expected",
    [
        # Short answers never flip the conversation.
        ("en", "si", "en"),
        ("es", "ok", "es"),
        ("es", "yes", "es"),
        ("en", "hola", "en"),
        ("es", "thanks", "es"),
        ("en", "Maria", "en"),
        ("es", "Kevin", "es"),
        ("en", "tengo 24", "en"),
        ("es", "im 24", "es"),
        # A long, clear message in the other language switches.
        ("en", "necesito ayuda para encontrar trabajo cerca de mi casa", "es"),
        ("en", "me despidieron la semana pasada", "es"),
        ("en", "busco trabajo de warehouse", "es"),
        ("es", "i got laid off last week and i need a job", "en"),
        ("es", "where is the closest office", "en"),
        # A clear message in the current language keeps it.
        ("es", "necesito un job", "es"),
        ("en", "i need a job", "en"),
        # Explicit requests switch whatever the message looks like.
        ("en", "español", "es"),
        ("en", "en español por favor", "es"),
        ("es", "english please", "en"),
        ("es", "in english", "en"),
        ("en", "no hablo ingles", "es"),
        # A language mentioned, not asked for: the message is read like any other.
        ("en", "I speak spanish and english", "en"),
        ("en", "busco trabajo de maestra de ingles", "es"),
    ],
)
def test_sticky_language(current, text, expected):
    assert choose_language(current, text) == expected


@pytest.mark.parametrize(
    "first, short_replies, decisive, language",
    [
        ("hospital jobs", ["Maria", "60623", "si"], "necesito trabajo cerca de mi casa por favor", "es"),
        ("done", ["ok", "Lupe"], "busco trabajo de medio tiempo en un hotel", "es"),
        ("perfect", ["si", "60629"], "i got laid off last month and need work", "en"),
    ],
)
def test_a_short_first_message_starts_in_english_and_switches_on_the_first_decisive_one(
    first, short_replies, decisive, language
):
    current = choose_language(None, first)
    assert current == "en"
    for text in short_replies:
        current = choose_language(current, text)
        assert current == "en", text
    assert choose_language(current, decisive) == language


def test_english_conversation_switches_to_spanish_and_back():
    conversation = [
        ("hi", "en"),
        ("si", "en"),
        ("estoy buscando trabajo y no hablo mucho ingles", "es"),
        ("60623", "es"),
        ("ok", "es"),
        ("english please", "en"),
        ("si", "en"),
        ("👍", "en"),
    ]
    language = None
    for text, expected in conversation:
        language = choose_language(language, text)
        assert language == expected, text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("hola", "es"),
        ("hi", "en"),
        ("60623", "en"),
        ("yo", "en"),  # "hey" in English texting; "I" alone says nothing in Spanish
        ("yo quiero trabajo", "es"),
        ("👍", "en"),
        ("", "en"),
        ("ok", "en"),
        ("busco trabajo", "es"),
        ("gracias", "es"),
        ("i need a job", "en"),
        ("english please", "en"),
        ("español", "es"),
        # Too short to judge but read as Spanish before the character model (issue 12).
        ("restaurant jobs", "en"),
        ("laborer", "en"),
        ("dental assistant", "en"),
    ],
)
def test_first_message_takes_the_best_guess_defaulting_to_english(text, expected):
    assert DEFAULT_LANGUAGE == "en"
    assert choose_language(None, text) == expected


@pytest.mark.parametrize("current", ["en", "es"])
@pytest.mark.parametrize("text", UNDECIDABLE_TEXTS)
def test_undecidable_messages_never_flip_a_conversation(current, text):
    assert choose_language(current, text) == current


@pytest.mark.parametrize("current", ["en", "es"])
@pytest.mark.parametrize("number", ["0", "7", "24", "60623", "60804", "1990", "2024", "773 555 0142", "3.5", "100000"])
def test_numbers_never_flip_a_conversation(current, number):
    assert choose_language(current, number) == current
