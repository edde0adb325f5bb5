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


@pytest.mark.parametrize(
    "requested, text, size, yearly",
    [
        ("public_assistance", "4 people 35k", 4, 35000),
        ("public_assistance", "just me, 18k", 1, 18000),
        ("family_support_lost", "family of 4, we make 35k", 4, 35000),
        ("barriers", "somos 3 y ganamos 2000 al mes", 3, 24000),
        ("age", "3 personas 28000", 3, 28000),
        (None, "solo yo 20000", 1, 20000),
    ],
)
def test_a_family_and_its_income_given_before_the_question_are_kept(requested, text, size, yearly):
    assert extract(text, requested, today=TODAY).answers == {"family_size": size, "family_income": yearly}


@pytest.mark.parametrize(
    "requested, text, expected",
    [
        ("zip_code", "solo yo, 60623", {"zip_code": "60623"}),  # an Illinois ZIP stays a ZIP
        ("age", "im 30, family of 4 making 35k", {"age": 30}),  # another number: not read as a family
        ("public_assistance", "family of 4", {}),  # no income said
        ("public_assistance", "4 people 15 an hour", {}),  # a wage says nothing about a year
        ("public_assistance", "me and my wife, we make 40k", {}),  # people named one by one: only when asked
    ],
)
def test_unasked_only_plain_people_words_with_a_yearly_amount_and_no_other_number_are_a_family(requested, text, expected):
    assert extract(text, requested, today=TODAY).answers == expected
