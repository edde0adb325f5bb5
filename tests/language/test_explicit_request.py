"""explicit_request(): asking for a language, versus only mentioning one."""
from __future__ import annotations

import pytest

from bot.language import explicit_request


@pytest.mark.parametrize(
    "text, language",
    [
        ("español", "es"),
        ("espanol", "es"),
        ("Español?", "es"),
        ("en español por favor", "es"),
        ("en espanol porfa", "es"),
        ("spanish", "es"),
        ("SPANISH PLS", "es"),
        ("can we do this in spanish", "es"),
        ("can we do this in spanish?", "es"),
        ("switch to spanish", "es"),
        ("do you have someone who speaks spanish", "es"),
        ("se puede en español?", "es"),
        ("mejor en español", "es"),
        ("si, en español", "es"),
        ("no hablo ingles", "es"),
        ("no hablo bien el inglés", "es"),
        ("no entiendo ingles", "es"),
        ("i dont speak english", "es"),
        ("no english", "es"),
        ("my english is not good", "es"),
        ("mi ingles es malo", "es"),
        ("hablo poquito ingles", "es"),
        ("english please", "en"),
        ("English", "en"),
        ("ingles", "en"),
        ("inglés por favor", "en"),
        ("in english", "en"),
        ("in english pls", "en"),
        ("habla ingles?", "en"),
        ("hablas inglés", "en"),
        ("do you speak english", "en"),
        ("cambiar a ingles", "en"),
        ("no, english", "en"),
        ("i don't speak spanish", "en"),
        ("no hablo español", "en"),
    ],
)
def test_requests_name_the_language_asked_for(text, language):
    assert explicit_request(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "I speak spanish and english",
        "hablo ingles y español",
        "english or spanish?",
        "busco trabajo de maestra de ingles",
        "clases de ingles",
        "tienen clases de ingles?",
        "i need english classes",
        "quiero aprender ingles",
        "i want to learn spanish",
        "I teach spanish",
        "my english is good",
        "she only speaks spanish and i speak english",
        "hola",
        "i need a job",
        "busco trabajo",
        "si",
        "ok",
        "60623",
        "",
    ],
)
def test_mentioning_a_language_is_not_a_request(text):
    assert explicit_request(text) is None
