from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling.quiet_hours import QuietHours, parse_quiet_hours, quiet_hours_from_env

CHICAGO = ZoneInfo("America/Chicago")
UTC = timezone.utc
NIGHTS = QuietHours()  # 21:00-08:00 America/Chicago
LUNCH = QuietHours(start=time(13, 0), end=time(14, 0))

# 2026 clock changes in Chicago: 02:00 CST -> 03:00 CDT on 8 March, 02:00 CDT -> 01:00 CST on
# 1 November.
SPRING_FORWARD = "2026-03-08"
FALL_BACK = "2026-11-01"


def local(text: str, fold: int = 0) -> datetime:
    """'2026-06-10 21:00' on the Chicago wall clock; fold=1 picks the second 01:xx on fall-back night."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=CHICAGO, fold=fold)


def utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "wall, quiet",
    [
        ("2026-06-10 12:00", False),
        ("2026-06-10 20:59", False),
        ("2026-06-10 21:00", True),
        ("2026-06-10 23:59", True),
        ("2026-06-11 00:00", True),
        ("2026-06-11 07:59", True),
        ("2026-06-11 08:00", False),
    ],
)
def test_night_window_crossing_midnight(wall: str, quiet: bool) -> None:
    assert NIGHTS.is_quiet(local(wall)) is quiet
    # The same instant written in UTC is judged by the Chicago wall clock all the same.
    assert NIGHTS.is_quiet(local(wall).astimezone(UTC)) is quiet


@pytest.mark.parametrize(
    "wall, quiet",
    [
        ("2026-06-10 00:00", False),
        ("2026-06-10 12:59", False),
        ("2026-06-10 13:00", True),
        ("2026-06-10 13:59", True),
        ("2026-06-10 14:00", False),
        ("2026-06-10 23:59", False),
    ],
)
def test_window_within_one_day(wall: str, quiet: bool) -> None:
    assert LUNCH.is_quiet(local(wall)) is quiet


def test_quiet_hours_follow_the_chicago_wall_clock_not_utc() -> None:
    # 02:30 UTC is 21:30 in summer (CDT, UTC-5) and 20:30 in winter (CST, UTC-6).
    assert NIGHTS.is_quiet(utc("2026-07-01 02:30")) is True
    assert NIGHTS.is_quiet(utc("2026-01-15 02:30")) is False


@pytest.mark.parametrize(
    "quiet_hours, wall, first_allowed",
    [
        (NIGHTS, "2026-06-10 20:59", "2026-06-10 20:59"),  # allowed: unchanged
        (NIGHTS, "2026-06-10 21:00", "2026-06-11 08:00"),
        (NIGHTS, "2026-06-10 23:45", "2026-06-11 08:00"),
        (NIGHTS, "2026-06-11 00:00", "2026-06-11 08:00"),
        (NIGHTS, "2026-06-11 07:59", "2026-06-11 08:00"),
        (NIGHTS, "2026-06-11 08:00", "2026-06-11 08:00"),
        (NIGHTS, "2026-12-31 22:00", "2027-01-01 08:00"),  # across a year end
        (LUNCH, "2026-06-10 12:59", "2026-06-10 12:59"),
        (LUNCH, "2026-06-10 13:00", "2026-06-10 14:00"),
        (LUNCH, "2026-06-10 13:30", "2026-06-10 14:00"),
        (LUNCH, "2026-06-10 14:00", "2026-06-10 14:00"),
    ],
)
def test_next_send_time(quiet_hours: QuietHours, wall: str, first_allowed: str) -> None:
    assert quiet_hours.next_send_time(local(wall)) == local(first_allowed)


@pytest.mark.parametrize("given_zone", [UTC, CHICAGO, ZoneInfo("America/New_York")])
def test_next_send_time_answers_in_the_zone_it_was_asked_in(given_zone) -> None:
    moment = local("2026-06-10 23:00").astimezone(given_zone)
    answer = NIGHTS.next_send_time(moment)
    assert answer.tzinfo is given_zone
    assert answer == local("2026-06-11 08:00")


@pytest.mark.parametrize(
    "night_starts, night_ends, hours_of_quiet",
    [
        ("2026-03-07 21:00", "2026-03-08 08:00", 10),  # spring forward: the night is an hour shorter
        ("2026-10-31 21:00", "2026-11-01 08:00", 12),  # fall back: an hour longer
        ("2026-03-14 21:00", "2026-03-15 08:00", 11),  # an ordinary night for comparison
    ],
)
def test_nights_with_a_clock_change(night_starts: str, night_ends: str, hours_of_quiet: int) -> None:
    start = local(night_starts)
    allowed = NIGHTS.next_send_time(start)
    assert allowed == local(night_ends)
    assert allowed.astimezone(CHICAGO).hour == 8
    # In UTC, because Python subtracts two datetimes of the same zone by their wall clocks.
    assert allowed.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=hours_of_quiet)
    assert NIGHTS.is_quiet(allowed - timedelta(seconds=1))


@pytest.mark.parametrize("fold", [0, 1])
def test_the_repeated_hour_of_fall_back_night_is_quiet(fold: int) -> None:
    moment = local("2026-11-01 01:30", fold=fold)
    assert NIGHTS.is_quiet(moment)
    assert NIGHTS.next_send_time(moment).astimezone(UTC) == utc("2026-11-01 14:00")  # 08:00 CST


def test_window_ending_in_the_skipped_hour_ends_when_the_clock_jumps() -> None:
    # 02:30 does not exist on 8 March: the clock goes from 01:59:59 CST to 03:00 CDT (08:00 UTC).
    early_morning = QuietHours(start=time(1, 0), end=time(2, 30))
    moment = local("2026-03-08 01:30")
    assert early_morning.next_send_time(moment) == utc("2026-03-08 08:00")
    assert early_morning.is_quiet(utc("2026-03-08 07:59") + timedelta(seconds=59))


@pytest.mark.parametrize(
    "moment, first_allowed",
    [
        (local("2026-11-01 00:30"), utc("2026-11-01 06:30")),  # first 01:30, still daylight time
        (local("2026-11-01 01:10", fold=1), utc("2026-11-01 07:30")),  # the second 01:10 -> second 01:30
    ],
)
def test_window_ending_in_the_repeated_hour(moment: datetime, first_allowed: datetime) -> None:
    after_midnight = QuietHours(start=time(0, 0), end=time(1, 30))
    # Compared in UTC: Python never calls the second 01:30 (fold=1) equal to an instant in another zone.
    assert after_midnight.next_send_time(moment).astimezone(UTC) == first_allowed


def test_falling_back_can_end_a_window_early() -> None:
    # 01:45-03:00 is quiet at 01:50 CDT; ten minutes later the clock reads 01:00 CST, outside it.
    quiet = QuietHours(start=time(1, 45), end=time(3, 0))
    assert quiet.next_send_time(local("2026-11-01 01:50")).astimezone(UTC) == utc("2026-11-01 07:00")


WINDOWS = [
    NIGHTS,
    LUNCH,
    QuietHours(start=time(1, 0), end=time(2, 30)),
    QuietHours(start=time(0, 0), end=time(1, 30)),
    QuietHours(start=time(1, 45), end=time(3, 0)),
    QuietHours(start=time(2, 15), end=time(1, 45)),  # almost all day
]


@pytest.mark.parametrize("quiet_hours", WINDOWS, ids=str)
@pytest.mark.parametrize("weekend_starts", ["2026-03-06 12:00", "2026-10-30 12:00"])
def test_next_send_time_is_the_first_allowed_minute(quiet_hours: QuietHours, weekend_starts: str) -> None:
    """Over both clock-change weekends, every 17 minutes: the answer is allowed, not before the
    moment, quiet a second before, and quiet every 3 minutes in between."""
    start = local(weekend_starts).astimezone(UTC)
    for step in range(0, 3 * 24 * 60, 17):
        moment = start + timedelta(minutes=step)
        answer = quiet_hours.next_send_time(moment)
        assert answer >= moment
        assert not quiet_hours.is_quiet(answer)
        minute = moment
        while minute < answer:
            assert quiet_hours.is_quiet(minute), (moment, answer, minute)
            minute += timedelta(minutes=3)
        assert quiet_hours.is_quiet(answer - timedelta(seconds=1)) or answer == moment


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        NIGHTS.is_quiet(datetime(2026, 6, 10, 22, 0))
    with pytest.raises(ValueError, match="naive"):
        NIGHTS.next_send_time(datetime(2026, 6, 10, 22, 0))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"start": time(8, 0), "end": time(8, 0)}, "both 08:00"),
        ({"zone": "America/Chicagoo"}, "unknown time zone"),
        ({"start": time(21, 0, tzinfo=UTC)}, "wall-clock"),
    ],
)
def test_invalid_quiet_hours(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        QuietHours(**kwargs)


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({}, QuietHours(time(21, 0), time(8, 0))),
        ({"QUIET_HOURS": "22:30-07:00"}, QuietHours(time(22, 30), time(7, 0))),
        ({"QUIET_HOURS": " 9:00 - 17:00 "}, QuietHours(time(9, 0), time(17, 0))),
        ({"QUIET_HOURS": "00:00-06:00"}, QuietHours(time(0, 0), time(6, 0))),
        ({"QUIET_HOURS": ""}, None),
        ({"QUIET_HOURS": "off"}, None),
        ({"QUIET_HOURS": "OFF"}, None),
    ],
)
def test_quiet_hours_from_env(environ: dict[str, str], expected: QuietHours | None) -> None:
    assert quiet_hours_from_env(environ) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("21-08", "not a time range"),
        ("21:00", "not a time range"),
        ("nine to five", "not a time range"),
        ("21:00-08:00-09:00", "not a time range"),
        ("25:00-08:00", "hours are 0-23"),
        ("21:00-08:60", "minutes 0-59"),
        ("21:00-21:00", "both 21:00"),
    ],
)
def test_bad_quiet_hours_text_names_the_setting(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        quiet_hours_from_env({"QUIET_HOURS": text})
    assert "QUIET_HOURS" in str(raised.value)


def test_parse_quiet_hours_takes_a_zone() -> None:
    parsed = parse_quiet_hours("21:00-08:00", zone="America/New_York")
    assert parsed is not None
    assert parsed.is_quiet(local("2026-06-10 20:30"))  # 21:30 in New York
