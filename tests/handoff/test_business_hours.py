from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from bot.handoff.business_hours import (
    BusinessCalendar,
    calendar_from_env,
    parse_business_hours,
    parse_holidays,
    shipped_holidays,
)
from tests.handoff.timeline import CHICAGO, OFFICE, local, utc

HOUR = 3600.0


@pytest.mark.parametrize(
    "at, is_open",
    [
        (local("2026-03-02 08:59"), False),  # Monday, a minute before opening
        (local("2026-03-02 09:00"), True),
        (local("2026-03-02 16:59"), True),
        (local("2026-03-02 17:00"), False),  # closing minute is closed
        (local("2026-03-07 11:00"), False),  # Saturday
        (local("2026-03-08 11:00"), False),  # Sunday
        (local("2026-11-26 11:00"), False),  # Thanksgiving
        (local("2026-11-27 11:00"), False),  # the day after, a Partnership closure
        (local("2026-11-25 11:00"), True),   # the Wednesday before is a normal day
        (local("2026-07-03 11:00"), False),  # Independence Day observed on the Friday
        (local("2027-12-31 11:00"), False),  # New Year's Day 2028 observed
        # The week before and after spring forward: 14:30 UTC is 08:30 CST but 09:30 CDT.
        (utc("2026-03-06 14:30"), False),
        (utc("2026-03-09 14:30"), True),
        # Fall back: 14:30 UTC is 09:30 CDT on Friday, 08:30 CST on Monday.
        (utc("2026-10-30 14:30"), True),
        (utc("2026-11-02 14:30"), False),
        # 22:30 UTC is 17:30 CDT (closed) in summer, 16:30 CST (open) in winter.
        (utc("2026-06-10 22:30"), False),
        (utc("2026-12-09 22:30"), True),
    ],
)
def test_open_hours(at, is_open):
    assert OFFICE.is_open(at) is is_open


@pytest.mark.parametrize(
    "at, opening",
    [
        (local("2026-03-02 10:15"), local("2026-03-02 10:15")),  # open now: now
        (local("2026-03-02 07:00"), local("2026-03-02 09:00")),  # early morning: today
        (local("2026-03-02 17:00"), local("2026-03-03 09:00")),
        (local("2026-03-06 17:30"), local("2026-03-09 09:00")),  # Friday evening: Monday, across DST
        (local("2026-10-31 12:00"), local("2026-11-02 09:00")),  # Saturday, across fall back
        (local("2026-11-25 17:05"), local("2026-11-30 09:00")),  # Thanksgiving weekend
        (local("2026-12-24 18:00"), local("2026-12-28 09:00")),  # Christmas Friday
        (local("2027-12-30 17:00"), local("2028-01-03 09:00")),  # New Year's observed Friday 31
    ],
)
def test_next_opening(at, opening):
    assert OFFICE.next_opening(at) == opening


def test_next_opening_keeps_the_callers_time_zone():
    opening = OFFICE.next_opening(utc("2026-03-07 12:00"))
    assert opening == utc("2026-03-09 14:00")  # Monday 9 am CDT
    assert opening.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "start, end, hours",
    [
        (local("2026-03-02 10:00"), local("2026-03-02 11:30"), 1.5),
        (local("2026-03-02 08:00"), local("2026-03-02 18:00"), 8.0),
        (local("2026-03-02 16:30"), local("2026-03-03 09:30"), 1.0),  # overnight
        (local("2026-03-02 11:00"), local("2026-03-02 10:00"), 0.0),  # end before start
        (local("2026-03-02 09:00"), local("2026-03-09 09:00"), 40.0),  # a full week
        (local("2026-11-23 09:00"), local("2026-11-30 09:00"), 24.0),  # Thanksgiving week: 3 days
        (local("2026-11-25 16:30"), local("2026-11-30 09:30"), 1.0),
        # Friday 4 pm CST to Monday 10 am CDT: 65 hours of real time, 2 of them open.
        (local("2026-03-06 16:00"), local("2026-03-09 10:00"), 2.0),
        (local("2026-10-30 16:00"), local("2026-11-02 10:00"), 2.0),  # and the fall-back weekend
        (local("2026-03-07 10:00"), local("2026-03-08 20:00"), 0.0),  # a weekend only
    ],
)
def test_business_seconds(start, end, hours):
    assert OFFICE.business_seconds(start, end) == pytest.approx(hours * HOUR)


@pytest.mark.parametrize(
    "day, open_hours",
    [
        ("2026-03-01", 3.0),
        ("2026-03-08", 2.0),  # 02:00-03:00 does not exist on spring-forward night
        ("2026-11-01", 4.0),  # 01:00-02:00 happens twice on fall-back night
    ],
)
def test_an_open_stretch_across_a_clock_change_lasts_what_it_really_lasts(day, open_hours):
    night_shift = BusinessCalendar(workdays=frozenset(range(7)), opens=time(0, 30), closes=time(3, 30))
    start = local(f"{day} 00:00")
    assert night_shift.business_seconds(start, start + timedelta(days=1)) == pytest.approx(open_hours * HOUR)


@pytest.mark.parametrize(
    "start, duration, end",
    [
        (local("2026-03-02 09:00"), timedelta(hours=1), local("2026-03-02 10:00")),
        (local("2026-03-02 16:30"), timedelta(hours=1), local("2026-03-03 09:30")),
        (local("2026-03-06 16:30"), timedelta(hours=1), local("2026-03-09 09:30")),
        (local("2026-03-07 10:00"), timedelta(minutes=45), local("2026-03-09 09:45")),
        (local("2026-11-25 16:45"), timedelta(hours=1), local("2026-11-30 09:45")),
        (local("2026-03-02 10:00"), timedelta(0), local("2026-03-02 10:00")),
    ],
)
def test_add_business_time(start, duration, end):
    assert OFFICE.add_business_time(start, duration) == end
    assert OFFICE.business_seconds(start, end) == pytest.approx(duration.total_seconds())


@pytest.mark.parametrize(
    "at, closing",
    [
        (local("2026-03-02 16:10"), local("2026-03-02 17:00")),
        (local("2026-03-02 17:10"), None),
        (local("2026-11-26 12:00"), None),
    ],
)
def test_closing_time(at, closing):
    assert OFFICE.closing_time(at) == closing


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        OFFICE.is_open(datetime(2026, 3, 2, 10, 0))


@pytest.mark.parametrize(
    "text, workdays, opens, closes",
    [
        ("mon-fri 09:00-17:00", {0, 1, 2, 3, 4}, time(9), time(17)),
        ("MON-THU 8:30-16:30", {0, 1, 2, 3}, time(8, 30), time(16, 30)),
        ("mon,wed,fri 10:00-14:00", {0, 2, 4}, time(10), time(14)),
        ("mon-thu,sat 09:00-13:00", {0, 1, 2, 3, 5}, time(9), time(13)),
        ("sun 09:00-10:00", {6}, time(9), time(10)),
    ],
)
def test_parse_business_hours(text, workdays, opens, closes):
    assert parse_business_hours(text) == (frozenset(workdays), opens, closes)


@pytest.mark.parametrize(
    "text", ["", "9-5", "mon-fri", "fri-mon 09:00-17:00", "mon-fry 09:00-17:00", "mon-fri 25:00-26:00", "mon 9am-5pm"]
)
def test_unreadable_business_hours_are_refused(text):
    with pytest.raises(ValueError):
        parse_business_hours(text)


@pytest.mark.parametrize(
    "calendar_arguments",
    [
        {"opens": time(17), "closes": time(9)},  # overnight shifts are not business hours
        {"opens": time(9), "closes": time(9)},
        {"workdays": frozenset()},
        {"workdays": frozenset({7})},
        {"zone": "America/Chicagoo"},
    ],
)
def test_impossible_calendars_are_refused(calendar_arguments):
    with pytest.raises(ValueError):
        BusinessCalendar(**calendar_arguments)


@pytest.mark.parametrize(
    "text, days",
    [
        ("", set()),
        ("2026-12-24", {date(2026, 12, 24)}),
        (" 2026-12-24 , 2026-12-31,", {date(2026, 12, 24), date(2026, 12, 31)}),
    ],
)
def test_parse_holidays(text, days):
    assert parse_holidays(text) == frozenset(days)


@pytest.mark.parametrize("text", ["12/24/2026", "2026-13-01", "tomorrow"])
def test_unreadable_holidays_are_refused(text):
    with pytest.raises(ValueError):
        parse_holidays(text)


def test_calendar_from_env_defaults_to_chicago_office_hours_and_the_shipped_holidays():
    calendar = calendar_from_env({})
    assert calendar == OFFICE
    assert calendar.zone == "America/Chicago"
    assert date(2026, 11, 27) in calendar.holidays


def test_calendar_from_env_adds_local_closures_to_the_shipped_ones():
    calendar = calendar_from_env(
        {"BUSINESS_HOURS": "mon-thu 08:00-18:00", "BUSINESS_TIMEZONE": "America/New_York", "BUSINESS_HOLIDAYS": "2026-12-24"}
    )
    assert calendar.holidays == shipped_holidays() | {date(2026, 12, 24)}
    assert calendar.is_open(datetime(2026, 3, 2, 7, 30, tzinfo=CHICAGO))  # 8:30 in New York
    assert not calendar.is_open(datetime(2026, 3, 6, 10, 0, tzinfo=CHICAGO))  # Friday
    assert not calendar.is_open(datetime(2026, 12, 24, 10, 0, tzinfo=CHICAGO))
