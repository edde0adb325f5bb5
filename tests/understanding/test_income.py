"""The family's size and yearly income, read from the reply to the family-income question."""
from __future__ import annotations

from datetime import date

import pytest

from bot.understanding import extract
from bot.understanding.income import FamilyIncome, read_family_income

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    "text, size, yearly",
    [
        ("3, 25000", 3, 25000),
        ("3 25000", 3, 25000),
        ("25000, 3", 3, 25000),
        ("family of 5 making $40,000", 5, 40000),
        ("60,000 for 3 people", 3, 60000),
        ("we are 6, 52k", 6, 52000),
        ("25k", None, 25000),
        # A period turns the amount into a year's.
        ("just me, about 1800 a month", 1, 21600),
        ("$1,500 a month, 2 of us", 2, 18000),
        ("me and 2 kids, 500 a week", 3, 26000),
        # The household named person by person.
        ("me my gf and 2 kids like 30k", 4, 30000),
        ("my wife and I, 40000", 2, 40000),
        ("two kids and me, 28k", 3, 28000),
        ("mi esposo, mis 3 hijos y yo, 2800 al mes", 5, 33600),
        ("2 people 2000 every two weeks", 2, 52000),
        # Spanish.
        ("somos 4 y ganamos 30 mil al año", 4, 30000),
        ("solo yo 12 mil", 1, 12000),
        ("3 personas, 1200 al mes", 3, 14400),
        ("4 en mi familia, 800 por semana", 4, 41600),
        # No income.
        ("nothing right now", None, 0),
        ("nada", None, 0),
        ("0", None, 0),
        # Only the size: the question is asked again for the income.
        ("4", 4, None),
        ("just me", 1, None),
    ],
)
def test_family_size_and_yearly_income(text, size, yearly):
    assert read_family_income(text) == FamilyIncome(size, yearly)


@pytest.mark.parametrize("text", ["15 an hour", "idk", "a lot", "depends", "$18/hr"])
def test_what_says_nothing_about_a_year_is_left_unread(text):
    found = read_family_income(text)
    assert found is None or found.yearly is None


def test_as_the_reply_to_the_question_numbers_are_never_a_zip_or_an_age():
    assert extract("60629, 3", "family_income", today=TODAY).answers == {"family_income": 60629, "family_size": 3}
    assert extract("I'm 24, 2 of us, 30000", "family_income", today=TODAY).answers == {
        "family_size": 2, "family_income": 30000
    }


def test_skipping_leaves_it_unknown_and_an_unreadable_reply_is_unclear():
    assert extract("skip", "family_income", today=TODAY).answers == {"family_income": "unknown"}
    assert extract("prefiero no decir", "family_income", today=TODAY).answers == {"family_income": "unknown"}
    assert extract("15 an hour", "family_income", today=TODAY).unclear
