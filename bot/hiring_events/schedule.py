"""Which messages the assistant sends on its own for a hiring event, and whether one may go out now.

Three parts:
- Plans: `reminder_plan` (for a registration) and `nudge_plan` (for a screening left halfway) say
  what to send and between which times. The store keeps them as rows of scheduled_messages.
- `decide` is asked, for one planned message, what to do at a given moment: send it, wait until a
  given time, or skip it for good. It never sends during quiet hours and never at or after the
  deadline: a reminder that cannot go out before the event starts is skipped, not sent late.
- The life of a planned message (its statuses, named here once): pending -> sending (claimed by
  one process) -> sent or skipped; pending -> cancelled. `still_wanted`, `may_mark_sent`,
  `may_skip` and `reschedule_refusal` are the rules the store (bot/store/scheduled_message_store.py)
  applies to a row.

All times are aware datetimes; plans and decisions are given in UTC (what the store keeps), and
compare correctly with times in any zone.

Pure: standard library and bot.scheduling only.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Literal

from bot.hiring_events.model import EVENT_ZONE, Event
from bot.scheduling.quiet_hours import QuietHours

UTC = timezone.utc

REMINDER_2_DAYS = "reminder_2d"
REMINDER_2_HOURS = "reminder_2h"
FOLLOWUP = "followup"
NUDGE = "nudge"
KINDS = (REMINDER_2_DAYS, REMINDER_2_HOURS, FOLLOWUP, NUDGE)

# The follow-up ("how did it go?") goes out at this local time on the day after the event ends:
# late enough that nobody is woken, early enough that the day is still fresh. It is open for
# FOLLOWUP_OPEN_FOR; after that the answer is no longer worth asking for.
FOLLOWUP_LOCAL_TIME = time(10, 0)
FOLLOWUP_OPEN_FOR = timedelta(days=3)
NUDGE_AFTER = timedelta(hours=24)
NUDGE_OPEN_FOR = timedelta(hours=24)

Action = Literal["send", "wait", "skip"]

SCHEDULE_PENDING = "pending"
SCHEDULE_SENDING = "sending"
SCHEDULE_SENT = "sent"
SCHEDULE_SKIPPED = "skipped"
SCHEDULE_CANCELLED = "cancelled"
SCHEDULE_STATUSES = (SCHEDULE_PENDING, SCHEDULE_SENDING, SCHEDULE_SENT, SCHEDULE_SKIPPED, SCHEDULE_CANCELLED)
# A claim left `sending` by a crash: it may have gone out, so it is skipped, never resent.
SKIP_INTERRUPTED = "interrupted"
# Skip reason for a message whose registration was cancelled, declined or expired meanwhile.
SKIP_REGISTRATION_ENDED = "registration_ended"
# The registration statuses a message about a registration still goes out for.
_ACTIVE_REGISTRATION = ("registered", "waitlisted", "offered")


def still_wanted(registration_id: int | None, registration_status: str | None) -> bool:
    """At claim: a message about a registration goes only while that registration is active
    (one tied to no registration, the nudge, always)."""
    return registration_id is None or registration_status in _ACTIVE_REGISTRATION


def may_mark_sent(status: str, skip_reason: str | None) -> bool:
    """A claimed message is recorded as sent; so is one skipped as interrupted meanwhile (a
    restart elsewhere gave it up, but it did go)."""
    return status == SCHEDULE_SENDING or (status == SCHEDULE_SKIPPED and skip_reason == SKIP_INTERRUPTED)


def may_skip(status: str) -> bool:
    """Only a message not sent, skipped or cancelled yet can be skipped (once)."""
    return status in (SCHEDULE_PENDING, SCHEDULE_SENDING)


def reschedule_refusal(status: str, due_at: datetime, deadline: datetime) -> str | None:
    """Why a message cannot wait until `due_at` (None: it can): it is finished already, or that
    is past its deadline."""
    if status not in (SCHEDULE_PENDING, SCHEDULE_SENDING):
        return f"it is {status}"
    if due_at > deadline:
        return "due_at is after the message's deadline"
    return None

# Decision reasons, for logs and for scheduled_messages.skip_reason.
DUE = "due"
NOT_DUE_YET = "not_due_yet"
QUIET_HOURS = "quiet_hours"
PAST_DEADLINE = "past_deadline"
QUIET_UNTIL_DEADLINE = "quiet_until_deadline"


@dataclass(frozen=True)
class PlannedMessage:
    """Send `kind` at `due_at` or later, but only before `deadline` (exclusive)."""

    kind: str
    due_at: datetime
    deadline: datetime


@dataclass(frozen=True)
class Decision:
    """`send` now (`at` is now), `wait` and ask again at `at`, or `skip` for good (`at` is None)."""

    action: Action
    at: datetime | None
    reason: str


def reminder_plan(event: Event, registered_at: datetime) -> list[PlannedMessage]:
    """The messages for one registration, by due time:

    - reminder_2d: two days before the start, at the same local time of day (so a Monday 10:00
      event is reminded on Saturday 10:00 even across a clock change); deadline the start.
    - reminder_2h: two hours (elapsed) before the start; deadline the start.
    - followup: 10:00 Chicago time on the day after the event ends; deadline three days later.

    A message whose due time has come by `registered_at` is left out: the confirmation the seeker
    just received already says everything a late reminder would.
    """
    starts_at = _aware(event.starts_at).astimezone(EVENT_ZONE)
    ends_at = _aware(event.ends_at).astimezone(EVENT_ZONE)
    registered_at = _aware(registered_at)

    start = starts_at.astimezone(UTC)
    # Subtracting days from a datetime in its own zone keeps the wall time; going through UTC
    # afterwards settles a wall time that does not exist on a spring-forward night.
    two_days_before = (starts_at - timedelta(days=2)).astimezone(UTC)
    followup_due = datetime.combine(
        ends_at.date() + timedelta(days=1), FOLLOWUP_LOCAL_TIME, tzinfo=EVENT_ZONE
    )
    plans = [
        PlannedMessage(REMINDER_2_DAYS, two_days_before, start),
        PlannedMessage(REMINDER_2_HOURS, start - timedelta(hours=2), start),
        PlannedMessage(
            FOLLOWUP,
            followup_due.astimezone(UTC),
            (followup_due + FOLLOWUP_OPEN_FOR).astimezone(UTC),
        ),
    ]
    return sorted((plan for plan in plans if plan.due_at > registered_at), key=lambda plan: plan.due_at)


def nudge_plan(last_activity_at: datetime) -> PlannedMessage:
    """One nudge for a seeker who stopped halfway through screening: due a day after their last
    message, open for a day after that (quiet hours can push it to the next morning)."""
    due_at = _aware(last_activity_at).astimezone(UTC) + NUDGE_AFTER
    return PlannedMessage(NUDGE, due_at, due_at + NUDGE_OPEN_FOR)


def decide(
    due_at: datetime, deadline: datetime, now: datetime, quiet: QuietHours | None
) -> Decision:
    """What to do with one planned message at `now`. `quiet` None means no quiet hours.

    The message goes out at the first moment that is at or after both `now` and `due_at` and not
    in quiet hours. If that moment is now: send. If it is later but before the deadline: wait
    until then. If it is at or after the deadline: skip, as "past_deadline" when the deadline has
    been reached regardless of quiet hours, else "quiet_until_deadline".
    """
    due_at = _aware(due_at).astimezone(UTC)
    deadline = _aware(deadline).astimezone(UTC)
    now = _aware(now).astimezone(UTC)

    earliest = max(now, due_at)
    if earliest >= deadline:
        return Decision("skip", None, PAST_DEADLINE)
    send_at = quiet.next_send_time(earliest) if quiet is not None else earliest
    if send_at >= deadline:
        return Decision("skip", None, QUIET_UNTIL_DEADLINE)
    if send_at == now:
        return Decision("send", now, DUE)
    return Decision("wait", send_at, NOT_DUE_YET if send_at == due_at else QUIET_HOURS)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("scheduling needs aware datetimes; a naive one has no place in time")
    return moment
