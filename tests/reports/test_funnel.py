"""The funnel's counting and the median business-hours wait for a first staff reply."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.handoff.business_hours import BusinessCalendar
from bot.reports.csv_files import FUNNEL_HEADER, MEDIAN_MEASURE, funnel_rows
from bot.reports.funnel import (
    STAGES,
    HandoffTiming,
    ResponseTimes,
    SeekerJourney,
    build_funnel,
    duration_text,
    response_times,
)
from bot.reports.period import ReportPeriod

CHICAGO = ZoneInfo("America/Chicago")
CALENDAR = BusinessCalendar(holidays=frozenset({date(2026, 11, 26)}))  # Thanksgiving
PERIOD = ReportPeriod(date(2026, 11, 1), date(2026, 11, 30))
PROGRAMS = (("wioa_adult", "WIOA Adult"), ("ceja", "CEJA"), ("wioa_youth", "WIOA Youth"))
NO_TIMES = ResponseTimes(None, 0, 0)


def chicago(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CHICAGO)


def journey(seeker_id: int, **reached: object) -> SeekerJourney:
    fields: dict[str, object] = {
        "consented": False,
        "screened": False,
        "likely_programs": (),
        "registered": False,
        "attended": False,
        "offer": False,
        "handed_off": False,
    }
    fields.update(reached)
    return SeekerJourney(seeker_id=seeker_id, **fields)  # type: ignore[arg-type]


def test_each_stage_counts_the_people_who_reached_it() -> None:
    journeys = [
        journey(1),
        journey(2, consented=True),
        journey(3, consented=True, screened=True, likely_programs=("wioa_adult",)),
        journey(4, consented=True, screened=True, likely_programs=("wioa_adult", "ceja"), registered=True, handed_off=True),
        journey(5, consented=True, screened=True, registered=True, attended=True, offer=True),
    ]
    report = build_funnel(PERIOD, journeys, PROGRAMS, NO_TIMES)
    assert [stage.key for stage in report.stages] == list(STAGES)
    assert {stage.key: stage.count for stage in report.stages} == {
        "started": 5,
        "consented": 4,
        "screened": 3,
        "registered": 2,
        "attended": 1,
        "offer": 1,
        "handed_off": 1,
    }
    # Every program listed, in the order given, zero included.
    assert [(count.key, count.count) for count in report.likely_eligible] == [
        ("wioa_adult", 2),
        ("ceja", 1),
        ("wioa_youth", 0),
    ]
    assert report.share_of_started(report.stage("screened")) == pytest.approx(0.6)


def test_an_empty_period_has_no_shares() -> None:
    report = build_funnel(PERIOD, [], PROGRAMS, NO_TIMES)
    assert report.started == 0
    assert report.share_of_started(0) is None


@pytest.mark.parametrize(
    ("pairs", "median", "answered", "unanswered"),
    [
        ([], None, 0, 0),
        ([(chicago(2, 10), None)], None, 0, 1),
        # Friday 4:30 pm to Monday 9:30 am: one business hour.
        ([(chicago(20, 16, 30), chicago(23, 9, 30))], timedelta(hours=1), 1, 0),
        # Wednesday 4:45 pm to Friday 9:15 am across Thanksgiving: 30 minutes.
        ([(chicago(25, 16, 45), chicago(27, 9, 15))], timedelta(minutes=30), 1, 0),
        # Outside hours both ends, same night: no business time at all.
        ([(chicago(24, 19), chicago(24, 22))], timedelta(0), 1, 0),
        # Odd count: the middle one; unanswered ones do not pull the median.
        (
            [
                (chicago(2, 10), chicago(2, 10, 5)),
                (chicago(2, 10), chicago(2, 10, 20)),
                (chicago(2, 10), chicago(2, 12)),
                (chicago(2, 10), None),
            ],
            timedelta(minutes=20),
            3,
            1,
        ),
        # Even count: halfway between the two middle ones.
        (
            [(chicago(3, 9), chicago(3, 9, 10)), (chicago(3, 9), chicago(3, 9, 30))],
            timedelta(minutes=20),
            2,
            0,
        ),
    ],
)
def test_median_first_response_in_business_time(pairs, median, answered, unanswered) -> None:
    timings = [HandoffTiming(created, answered_at) for created, answered_at in pairs]
    assert response_times(timings, CALENDAR) == ResponseTimes(median, answered, unanswered)


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (None, "—"),
        (timedelta(seconds=40), "40 s"),
        (timedelta(minutes=12, seconds=20), "12 min"),
        (timedelta(hours=1, minutes=5), "1 h 05 min"),
        (timedelta(hours=26), "26 h 00 min"),
    ],
)
def test_duration_text(duration, text) -> None:
    assert duration_text(duration) == text


def test_funnel_csv_rows() -> None:
    journeys = [journey(1, consented=True, screened=True, likely_programs=("ceja",)), journey(2)]
    timing = ResponseTimes(timedelta(minutes=12, seconds=30), 3, 2)
    rows = funnel_rows(build_funnel(PERIOD, journeys, PROGRAMS, timing))
    assert rows[0] == FUNNEL_HEADER
    values = {row[2]: row[4] for row in rows[1:]}
    assert all(row[:2] == ("2026-11-01", "2026-11-30") for row in rows[1:])
    assert values["started"] == "2" and values["screened"] == "1" and values["offer"] == "0"
    assert values["likely_eligible_ceja"] == "1" and values["likely_eligible_wioa_adult"] == "0"
    assert values[MEDIAN_MEASURE] == "12.5"
    assert (values["handoffs_answered"], values["handoffs_unanswered"]) == ("3", "2")


def test_funnel_csv_median_is_empty_when_nothing_was_answered() -> None:
    rows = funnel_rows(build_funnel(PERIOD, [], PROGRAMS, ResponseTimes(None, 0, 4)))
    assert {row[2]: row[4] for row in rows[1:]}[MEDIAN_MEASURE] == ""


def test_calendar_dates_in_tests_are_what_they_claim() -> None:
    # Guards the fixtures above: the 20th is a Friday and the 26th is Thanksgiving (a Thursday).
    assert chicago(20, 12).strftime("%A") == "Friday"
    assert not CALENDAR.is_business_day(date(2026, 11, 26))
    assert chicago(20, 12).astimezone(timezone.utc).hour == 18
