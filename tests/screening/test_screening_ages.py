"""Ages from an age or a birth year, judged on a given day."""
from __future__ import annotations

from datetime import date

import pytest

from bot.screening.ages import age_facts, age_on

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "birth, today, age",
    [
        (date(2008, 11, 25), TODAY, 18),  # birthday today
        (date(2008, 11, 26), TODAY, 17),  # birthday tomorrow
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_on(birth, today, age):
    assert age_on(birth, today) == age


@pytest.mark.parametrize(
    "age, birth_year, youngest, oldest",
    [
        (18, None, 18, 18),
        (None, 2008, 17, 18),
        (None, 2026, 0, 0),
        (18, 2008, 18, 18),  # consistent: the age settles it
        (17, 2008, 17, 17),
    ],
)
def test_age_range(age, birth_year, youngest, oldest):
    facts = age_facts(age, birth_year, TODAY)
    assert (facts.youngest, facts.oldest) == (youngest, oldest)
    assert not facts.conflicting_answers


@pytest.mark.parametrize("years, expected", [(17, True), (18, None), (19, False)])
def test_at_least_is_three_way(years, expected):
    assert age_facts(None, 2008, TODAY).at_least(years) is expected


@pytest.mark.parametrize(
    "age, birth_year, expected",
    [(None, 1960, True), (None, 1959, False), (66, None, None), (65, None, True), (67, None, False)],
)
def test_born_on_or_after_1960(age, birth_year, expected):
    assert age_facts(age, birth_year, TODAY).born_on_or_after(date(1960, 1, 1)) is expected


def test_conflicting_answers_keep_the_age():
    facts = age_facts(30, 2010, TODAY)
    assert facts.conflicting_answers and facts.exact == 30


def test_no_answers_no_facts():
    assert age_facts(None, None, TODAY) is None
