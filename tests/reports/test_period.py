"""Report periods from the query string: defaults, bad input, and the instants they cover."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from bot.reports.period import MAX_DAYS, BadPeriod, ReportPeriod, period_from_query

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("first", "last", "expected_first", "expected_last"),
    [
        (None, None, date(2026, 10, 27), TODAY),  # the last 30 days, today included
        ("", "  ", date(2026, 10, 27), TODAY),
        ("2026-11-01", "2026-11-30", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026-11-20", None, date(2026, 11, 20), TODAY),
        (None, "2026-11-10", date(2026, 10, 12), date(2026, 11, 10)),
        ("2026-11-25", "2026-11-25", TODAY, TODAY),
    ],
)
def test_period_from_query(first, last, expected_first, expected_last) -> None:
    period = period_from_query(first, last, TODAY)
    assert (period.first_day, period.last_day) == (expected_first, expected_last)


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("yesterday", None, "from must be a date"),
        ("2026-11-01", "30/11/2026", "to must be a date"),
        ("2026-02-30", None, "from must be a date"),
        ("2026-11-02", "2026-11-01", "before the start"),
        ("2025-01-01", "2026-11-25", f"at most {MAX_DAYS} days"),
    ],
)
def test_bad_periods_say_what_is_wrong(first, last, message) -> None:
    with pytest.raises(BadPeriod, match=message):
        period_from_query(first, last, TODAY)


def test_longest_period_allowed() -> None:
    period = period_from_query((TODAY - timedelta(days=MAX_DAYS - 1)).isoformat(), None, TODAY)
    assert period.days == MAX_DAYS


@pytest.mark.parametrize(
    ("day", "start_utc", "end_utc"),
    [
        # Chicago is UTC-6 in winter, UTC-5 in summer; the end is the next local midnight.
        (date(2026, 11, 25), datetime(2026, 11, 25, 6, tzinfo=timezone.utc), datetime(2026, 11, 26, 6, tzinfo=timezone.utc)),
        (date(2026, 7, 4), datetime(2026, 7, 4, 5, tzinfo=timezone.utc), datetime(2026, 7, 5, 5, tzinfo=timezone.utc)),
        # The day clocks go back lasts 25 hours.
        (date(2026, 11, 1), datetime(2026, 11, 1, 5, tzinfo=timezone.utc), datetime(2026, 11, 2, 6, tzinfo=timezone.utc)),
    ],
)
def test_period_covers_whole_local_days(day, start_utc, end_utc) -> None:
    period = ReportPeriod(day, day)
    assert period.start == start_utc
    assert period.end == end_utc
