"""Reading a campaign roster: numbers to E.164 with phonenumbers, languages in either tongue, bad
rows with their line and why, repeated numbers merged."""
from __future__ import annotations

import pytest

from bot.warn.roster import normalized_phone, preferred_language, read_roster


@pytest.mark.parametrize(
    "written, e164",
    [
        ("(312) 555-0100", "+13125550100"),
        ("312.555.0100", "+13125550100"),
        ("+1 312 555 0100", "+13125550100"),
        ("1-312-555-0100", "+13125550100"),
        ("3125550100", "+13125550100"),
        ("+52 55 1234 5678", "+525512345678"),  # a Mexican mobile, written in full
    ],
)
def test_numbers_become_e164(written: str, e164: str) -> None:
    assert normalized_phone(written) == e164


@pytest.mark.parametrize("written", ["555-0100", "12345", "call me", "(312) 555-01000", "+1 000 555 0100"])
def test_numbers_that_cannot_be_texted_are_refused(written: str) -> None:
    with pytest.raises(ValueError):
        normalized_phone(written)


@pytest.mark.parametrize(
    "written, language",
    [("", "en"), ("en", "en"), ("English", "en"), ("inglés", "en"), ("ES", "es"), ("Spanish", "es"), ("Español", "es"), ("espanol", "es")],
)
def test_preferred_languages(written: str, language: str) -> None:
    assert preferred_language(written) == language


def test_a_roster_with_every_kind_of_row() -> None:
    text = (
        "Nombre,Teléfono,Idioma\n"
        "Ana María López,(312) 555-0100,español\n"
        "Bob Smith,312-555-0101,\n"
        "Carla,312 555 0100,en\n"  # Ana's number again: merged into her row
        "Dee,555-0100,en\n"
        ",\n"
        "Eve,312-555-0102,French\n"
        "Fay,,en\n"
    )
    roster = read_roster(text)
    assert [(m.line, m.first_name, m.phone, m.language) for m in roster.members] == [
        (2, "Ana", "+13125550100", "es"),
        (3, "Bob", "+13125550101", "en"),
    ]
    assert roster.merged == [4]
    assert [(row.line, row.why) for row in roster.bad_rows] == [
        (5, "'555-0100' is not a valid phone number"),
        (7, "language 'French': the texts are in English or Spanish"),
        (8, "no phone number"),
    ]


def test_a_file_without_a_phone_column_says_so() -> None:
    roster = read_roster("name,email\nAna,ana@example.org\n")
    assert roster.members == [] and "no phone column" in roster.bad_rows[0].why
