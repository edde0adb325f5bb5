from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.hiring_events.model import Event
from bot.hiring_events.schedule import (
    FOLLOWUP,
    NUDGE,
    REMINDER_2_DAYS,
    REMINDER_2_HOURS,
    Decision,
    PlannedMessage,
    decide,
    nudge_plan,
    reminder_plan,
)
from bot.scheduling.quiet_hours import QuietHours

CHICAGO = ZoneInfo("America/Chicago")
UTC = timezone.utc
NIGHTS = QuietHours()  # 21:00-08:00 America/Chicago

# Table rows name a day of this week, Thursday 15 to Wednesday 21 October 2026 (no clock change).
WEEK = {"Thu": 15, "Fri": 16, "Sat": 17, "Sun": 18, "Mon": 19, "Tue": 20, "Wed": 21}


def at(label: str) -> datetime:
    """'Sat 21:30' (a day of WEEK) or '2026-03-07 21:30', on the Chicago wall clock."""
    day, clock = label.split()
    hour, minute = (int(part) for part in clock.split(":"))
    if day in WEEK:
        return datetime(2026, 10, WEEK[day], hour, minute, tzinfo=CHICAGO)
    return datetime.strptime(label, "%Y-%m-%d %H:%M").replace(tzinfo=CHICAGO)


def hiring_event(starts: str, ends: str) -> Event:
    return Event(
        code="HHC",
        name={"en": "Hospitality Hires Chicago", "es": "Hospitality Hires Chicago (feria de empleo)"},
        sectors=("hospitality",),
        starts_at=at(starts),
        ends_at=at(ends),
        venue="Chicago Cultural Center",
        address="78 E Washington St, Chicago, IL 60602",
        capacity=300,
    )


SATURDAY_FAIR = hiring_event("Sat 10:00", "Sat 14:00")


# --- reminder_plan -------------------------------------------------------------------------


def test_full_plan_for_an_early_registration() -> None:
    plan = reminder_plan(SATURDAY_FAIR, at("2026-10-01 12:00"))
    assert plan == [
        PlannedMessage(REMINDER_2_DAYS, due_at=at("Thu 10:00"), deadline=at("Sat 10:00")),
        PlannedMessage(REMINDER_2_HOURS, due_at=at("Sat 08:00"), deadline=at("Sat 10:00")),
        PlannedMessage(FOLLOWUP, due_at=at("Sun 10:00"), deadline=at("Wed 10:00")),
    ]
    assert all(message.due_at.tzinfo is UTC and message.deadline.tzinfo is UTC for message in plan)


@pytest.mark.parametrize(
    "registered, kinds",
    [
        ("2026-10-01 12:00", (REMINDER_2_DAYS, REMINDER_2_HOURS, FOLLOWUP)),
        ("Thu 09:59", (REMINDER_2_DAYS, REMINDER_2_HOURS, FOLLOWUP)),
        ("Thu 10:00", (REMINDER_2_HOURS, FOLLOWUP)),  # the 2-day reminder is due this minute
        ("Fri 18:00", (REMINDER_2_HOURS, FOLLOWUP)),
        ("Sat 07:59", (REMINDER_2_HOURS, FOLLOWUP)),
        ("Sat 08:00", (FOLLOWUP,)),
        ("Sat 09:30", (FOLLOWUP,)),  # a walk-up registration in the last half hour
    ],
)
def test_reminders_already_due_at_registration_are_left_out(registered: str, kinds: tuple[str, ...]) -> None:
    assert tuple(message.kind for message in reminder_plan(SATURDAY_FAIR, at(registered))) == kinds


@pytest.mark.parametrize(
    "ends, followup_due",
    [
        ("Sat 14:00", "Sun 10:00"),
        ("Sat 23:30", "Sun 10:00"),
        ("Sun 00:30", "Mon 10:00"),  # an event running past midnight: the day after it ends
    ],
)
def test_followup_is_ten_in_the_morning_the_day_after(ends: str, followup_due: str) -> None:
    event = hiring_event("Sat 10:00", ends)
    followup = reminder_plan(event, at("Thu 08:00"))[-1]
    assert followup.kind == FOLLOWUP
    assert followup.due_at == at(followup_due)
    assert followup.deadline == at(followup_due) + timedelta(days=3)


@pytest.mark.parametrize(
    "starts, ends, reminder_2d, reminder_2h, followup",
    [
        # Monday after spring forward: two days before is Saturday 10:00 CST, 49 hours earlier.
        ("2026-03-09 10:00", "2026-03-09 14:00", "2026-03-07 10:00", "2026-03-09 08:00", "2026-03-10 10:00"),
        # Saturday before spring forward: the follow-up is Sunday 10:00 CDT, 19 hours after the end.
        ("2026-03-07 10:00", "2026-03-07 14:00", "2026-03-05 10:00", "2026-03-07 08:00", "2026-03-08 10:00"),
        # Monday after fall back: two days before is Saturday 10:00 CDT, 49 hours earlier.
        ("2026-11-02 10:00", "2026-11-02 14:00", "2026-10-31 10:00", "2026-11-02 08:00", "2026-11-03 10:00"),
        # Saturday before fall back: the follow-up is Sunday 10:00 CST, 21 hours after the end.
        ("2026-10-31 10:00", "2026-10-31 14:00", "2026-10-29 10:00", "2026-10-31 08:00", "2026-11-01 10:00"),
    ],
)
def test_plans_keep_local_times_across_clock_changes(
    starts: str, ends: str, reminder_2d: str, reminder_2h: str, followup: str
) -> None:
    plan = reminder_plan(hiring_event(starts, ends), at("2026-01-05 09:00"))
    assert [(message.kind, message.due_at) for message in plan] == [
        (REMINDER_2_DAYS, at(reminder_2d)),
        (REMINDER_2_HOURS, at(reminder_2h)),
        (FOLLOWUP, at(followup)),
    ]
    assert all(message.due_at.astimezone(CHICAGO).minute == 0 for message in plan)


def test_two_hour_reminder_is_two_hours_of_elapsed_time() -> None:
    # An event at 03:30 CDT on spring-forward night: two real hours before is 00:30 CST; the wall
    # clock's "01:30" would be only one hour before.
    event = hiring_event("2026-03-08 03:30", "2026-03-08 06:00")
    reminder = reminder_plan(event, at("2026-03-01 12:00"))[1]
    assert reminder.kind == REMINDER_2_HOURS
    assert reminder.due_at == at("2026-03-08 00:30")
    assert reminder.deadline - reminder.due_at == timedelta(hours=2)


def test_registration_time_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        reminder_plan(SATURDAY_FAIR, datetime(2026, 10, 1, 12, 0))


# --- nudge_plan ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "last_activity, due, deadline",
    [
        ("Thu 15:20", "Fri 15:20", "Sat 15:20"),
        ("Thu 22:15", "Fri 22:15", "Sat 22:15"),
        ("2026-10-31 12:00", "2026-11-01 11:00", "2026-11-02 11:00"),  # 24 real hours over fall back
    ],
)
def test_one_nudge_a_day_after_the_last_message(last_activity: str, due: str, deadline: str) -> None:
    assert nudge_plan(at(last_activity)) == PlannedMessage(NUDGE, due_at=at(due), deadline=at(deadline))


# --- decide --------------------------------------------------------------------------------

# Each row: a planned message (due, deadline), the time the scheduler asks, and what it must do.
DECISIONS = [
    # The 2-day reminder for Saturday 10:00: due Thursday 10:00, deadline the start.
    ("Thu 10:00", "Sat 10:00", "Thu 09:59", "wait", "Thu 10:00", "not_due_yet"),
    ("Thu 10:00", "Sat 10:00", "Thu 10:00", "send", "Thu 10:00", "due"),
    ("Thu 10:00", "Sat 10:00", "Fri 20:59", "send", "Fri 20:59", "due"),  # late, but daytime
    ("Thu 10:00", "Sat 10:00", "Fri 21:00", "wait", "Sat 08:00", "quiet_hours"),
    ("Thu 10:00", "Sat 10:00", "Sat 03:00", "wait", "Sat 08:00", "quiet_hours"),
    ("Thu 10:00", "Sat 10:00", "Sat 09:59", "send", "Sat 09:59", "due"),
    ("Thu 10:00", "Sat 10:00", "Sat 10:00", "skip", None, "past_deadline"),
    ("Thu 10:00", "Sat 10:00", "Sun 12:00", "skip", None, "past_deadline"),
    # The 2-hour reminder for a 9:00 event is due at 7:00, in quiet hours: it goes out at 8:00.
    ("Sat 07:00", "Sat 09:00", "Fri 12:00", "wait", "Sat 08:00", "quiet_hours"),
    ("Sat 07:00", "Sat 09:00", "Sat 07:00", "wait", "Sat 08:00", "quiet_hours"),
    ("Sat 07:00", "Sat 09:00", "Sat 08:00", "send", "Sat 08:00", "due"),
    # For an 8:00 event, quiet hours last until the start: never sent at night, never late.
    ("Sat 06:00", "Sat 08:00", "Sat 05:00", "skip", None, "quiet_until_deadline"),
    ("Sat 06:00", "Sat 08:00", "Sat 07:59", "skip", None, "quiet_until_deadline"),
    # An evening event at 22:00: its 2-hour reminder can go until 21:00 and not after.
    ("Sat 20:00", "Sat 22:00", "Sat 20:59", "send", "Sat 20:59", "due"),
    ("Sat 20:00", "Sat 22:00", "Sat 21:00", "skip", None, "quiet_until_deadline"),
    # A nudge due at 22:15 waits for the morning, and is dropped once its day is over.
    ("Fri 22:15", "Sat 22:15", "Fri 22:15", "wait", "Sat 08:00", "quiet_hours"),
    ("Fri 22:15", "Sat 22:15", "Sat 08:00", "send", "Sat 08:00", "due"),
    ("Fri 22:15", "Sat 22:15", "Sat 21:30", "skip", None, "quiet_until_deadline"),
    ("Fri 22:15", "Sat 22:15", "Sat 22:15", "skip", None, "past_deadline"),
    # A message whose due time is at or after its deadline can never go out.
    ("Sat 12:00", "Sat 12:00", "Fri 12:00", "skip", None, "past_deadline"),
]


@pytest.mark.parametrize("due, deadline, now, action, when, reason", DECISIONS)
def test_decide(due: str, deadline: str, now: str, action: str, when: str | None, reason: str) -> None:
    decision = decide(at(due), at(deadline), at(now), NIGHTS)
    assert decision == Decision(action, at(when) if when else None, reason)


@pytest.mark.parametrize(
    "now, action, when",
    [
        ("Fri 23:00", "send", "Fri 23:00"),
        ("Fri 09:00", "wait", "Fri 10:00"),
    ],
)
def test_without_quiet_hours_only_due_and_deadline_count(now: str, action: str, when: str) -> None:
    assert decide(at("Fri 10:00"), at("Sat 10:00"), at(now), None) == Decision(
        action, at(when), "due" if action == "send" else "not_due_yet"
    )


def test_decide_accepts_any_zone_and_answers_in_utc() -> None:
    decision = decide(
        at("Thu 10:00").astimezone(UTC),
        at("Sat 10:00").astimezone(ZoneInfo("America/New_York")),
        at("Fri 22:00"),
        NIGHTS,
    )
    assert decision == Decision("wait", at("Sat 08:00"), "quiet_hours")
    assert decision.at is not None and decision.at.tzinfo is UTC


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        decide(at("Thu 10:00"), at("Sat 10:00"), datetime(2026, 10, 15, 12, 0), NIGHTS)


SCHEDULER_WINDOWS = [NIGHTS, QuietHours(start=time(22, 0), end=time(7, 30)), None]


@pytest.mark.parametrize("quiet", SCHEDULER_WINDOWS, ids=str)
@pytest.mark.parametrize(
    "first_day", ["2026-03-06 00:00", "2026-10-30 00:00", "2026-10-15 00:00"]
)
def test_a_scheduler_following_decisions_never_sends_at_night_or_late(
    quiet: QuietHours | None, first_day: str
) -> None:
    """A scheduler that wakes when told: for plans due every 50 minutes over three days (clock
    changes included) with deadlines 30 minutes to 30 hours later, asked first at different
    times, it sends exactly when allowed, never in quiet hours, never at or after the deadline,
    and skips only what could not have gone out in time."""
    start = at(first_day).astimezone(UTC)
    for due_step in range(0, 3 * 24 * 60, 50):
        due = start + timedelta(minutes=due_step)
        for open_minutes in (30, 130, 11 * 60, 30 * 60):
            deadline = due + timedelta(minutes=open_minutes)
            for asked_late_by in (-90, 0, 45):
                now = due + timedelta(minutes=asked_late_by)
                sent_at = _run_scheduler(due, deadline, now, quiet)
                earliest = max(now, due)
                allowed = quiet.next_send_time(earliest) if quiet else earliest
                if allowed < deadline:
                    assert sent_at == allowed, (due, deadline, now)
                else:
                    assert sent_at is None, (due, deadline, now)


def _run_scheduler(
    due: datetime, deadline: datetime, now: datetime, quiet: QuietHours | None
) -> datetime | None:
    for _ in range(5):
        decision = decide(due, deadline, now, quiet)
        if decision.action == "skip":
            return None
        assert decision.at is not None
        if decision.action == "send":
            assert decision.at == now
            assert due <= now < deadline
            assert quiet is None or not quiet.is_quiet(now)
            return now
        assert now < decision.at < deadline
        now = decision.at
    raise AssertionError("the scheduler kept waiting")
