"""When a staff member may text a seeker from the console, and what they are told when not.

Pure: no Flask, no database. A reply is refused for a person who opted out (the law and our
promise: STOP means stop), and during quiet hours unless it answers something the seeker wrote in
the last hour: a person who just texted is awake and waiting, a person who texted yesterday is not.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.scheduling.quiet_hours import QuietHours

# A reply within this long of the seeker's last message may go out during quiet hours.
ANSWER_WINDOW = timedelta(hours=1)
# Twilio's limit for one message body; longer texts are refused by the provider anyway.
MAX_REPLY_LENGTH = 1600

REFUSED_EMPTY = "empty"
REFUSED_TOO_LONG = "too_long"
REFUSED_CLOSED = "closed"
REFUSED_NOT_YOURS = "not_yours"
REFUSED_OPTED_OUT = "opted_out"
REFUSED_QUIET_HOURS = "quiet_hours"

REFUSAL_MESSAGES = {
    REFUSED_EMPTY: "Write something before sending.",
    REFUSED_TOO_LONG: f"A text is at most {MAX_REPLY_LENGTH} characters; shorten it or send it in two.",
    REFUSED_CLOSED: "This conversation is closed: the assistant is answering this person again.",
    REFUSED_NOT_YOURS: "Another staff member has claimed this conversation; only they (or an admin) can reply.",
    REFUSED_OPTED_OUT: "Not sent: this person texted STOP and has opted out. They must text START before anyone can text them.",
    REFUSED_QUIET_HOURS: (
        "Not sent: it is quiet hours and this person has not written in the last hour. "
        "Reply after quiet hours end, or when they write again."
    ),
}


def may_text_now(quiet_hours: QuietHours | None, now: datetime, last_inbound_at: datetime | None) -> bool:
    """Outside quiet hours always; inside them only within ANSWER_WINDOW of the seeker's last message."""
    if quiet_hours is None or not quiet_hours.is_quiet(now):
        return True
    return last_inbound_at is not None and timedelta(0) <= now - last_inbound_at <= ANSWER_WINDOW


def may_work(assignee_id: int | None, staff_id: int, is_admin: bool) -> bool:
    """Anyone may work an unclaimed handoff; a claimed one belongs to its assignee (and admins)."""
    return assignee_id is None or assignee_id == staff_id or is_admin


def texting_refusal(
    *,
    handoff_open: bool,
    assignee_id: int | None,
    staff_id: int,
    is_admin: bool,
    opted_out: bool,
    quiet_hours: QuietHours | None,
    now: datetime,
    last_inbound_at: datetime | None,
) -> str | None:
    """Whether this staff member may text this seeker now, whatever they write: None, or one of
    the REFUSED_* codes (the conversation page shows it above the reply box)."""
    if not handoff_open:
        return REFUSED_CLOSED
    if not may_work(assignee_id, staff_id, is_admin):
        return REFUSED_NOT_YOURS
    if opted_out:
        return REFUSED_OPTED_OUT
    if not may_text_now(quiet_hours, now, last_inbound_at):
        return REFUSED_QUIET_HOURS
    return None


def reply_refusal(text: str, **context: Any) -> str | None:
    """None when `text` may be queued, else a REFUSED_* code; `context` is texting_refusal's."""
    if not text.strip():
        return REFUSED_EMPTY
    if len(text) > MAX_REPLY_LENGTH:
        return REFUSED_TOO_LONG
    return texting_refusal(**context)
