"""The shipped holiday list matches the federal holiday rules (5 U.S.C. 6103, OPM's observance
rule for weekends) plus the Friday after Thanksgiving, worked out here independently."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml

from bot.handoff.business_hours import HOLIDAYS_FILE, shipped_holidays

MONDAY, THURSDAY = 0, 3


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def last_weekday(year: int, month: int, weekday: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def observed(day: date) -> date:
    """Saturday holidays are observed on Friday, Sunday ones on Monday."""
    return day + {5: timedelta(days=-1), 6: timedelta(days=1)}.get(day.weekday(), timedelta(0))


def closures(year: int) -> set[date]:
    thanksgiving = nth_weekday(year, 11, THURSDAY, 4)
    fixed = [date(year, 1, 1), date(year, 6, 19), date(year, 7, 4), date(year, 11, 11), date(year, 12, 25)]
    floating = [
        nth_weekday(year, 1, MONDAY, 3),  # Martin Luther King, Jr.
        nth_weekday(year, 2, MONDAY, 3),  # Washington's Birthday
        last_weekday(year, 5, MONDAY),  # Memorial Day
        nth_weekday(year, 9, MONDAY, 1),  # Labor Day
        nth_weekday(year, 10, MONDAY, 2),  # Columbus Day
        thanksgiving,
        thanksgiving + timedelta(days=1),
    ]
    # New Year's Day of the next year, when it falls on a Saturday, is observed on 31 December.
    next_new_year = observed(date(year + 1, 1, 1))
    return {observed(day) for day in fixed} | set(floating) | ({next_new_year} if next_new_year.year == year else set())


@pytest.mark.parametrize("year", [2026, 2027])
def test_the_shipped_list_has_every_closure_of_the_year_and_nothing_else(year):
    shipped = {day for day in shipped_holidays() if day.year == year}
    assert shipped == closures(year)


def test_the_list_cites_its_source_and_names_every_day():
    document = yaml.safe_load(HOLIDAYS_FILE.read_text(encoding="utf-8"))
    assert "Office of Personnel Management" in document["source"]
    assert all(isinstance(entry["date"], date) and entry["name"] for entry in document["holidays"])
    assert all(entry["date"].weekday() < 5 for entry in document["holidays"])
