"""When staff may text a seeker: the pure rules behind the reply button."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from bot.scheduling.quiet_hours import QuietHours
from bot.staff.reply_rules import (
    ANSWER_WINDOW,
    MAX_REPLY_LENGTH,
    REFUSED_CLOSED,
    REFUSED_EMPTY,
    REFUSED_NOT_YOURS,
    REFUSED_OPTED_OUT,
    REFUSED_QUIET_HOURS,
    REFUSED_TOO_LONG,
    may_text_now,
    may_work,
    reply_refusal,
)

QUIET = QuietHours(start=time(21), end=time(8))  # America/Chicago
# 23:00 in Chicago (CST, UTC-6) on a winter night; noon the same day.
NIGHT = datetime(2026, 1, 14, 5, 0, tzinfo=timezone.utc)
NOON = datetime(2026, 1, 14, 18, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "now, last_inbound_at, allowed",
    [
        (NOON, None, True),
        (NOON, NOON - timedelta(days=3), True),
        (NIGHT, None, False),
        (NIGHT, NIGHT - timedelta(minutes=10), True),
        (NIGHT, NIGHT - ANSWER_WINDOW, True),
        (NIGHT, NIGHT - ANSWER_WINDOW - timedelta(seconds=1), False),
        (NIGHT, NIGHT + timedelta(minutes=5), False),  # a clock-skewed future message proves nothing
    ],
)
def test_quiet_hours_allow_only_answers_within_the_hour(now, last_inbound_at, allowed):
    assert may_text_now(QUIET, now, last_inbound_at) is allowed


def test_no_quiet_hours_configured_allows_any_time():
    assert may_text_now(None, NIGHT, None) is True


@pytest.mark.parametrize(
    "assignee_id, staff_id, is_admin, allowed",
    [(None, 1, False, True), (1, 1, False, True), (2, 1, False, False), (2, 1, True, True)],
)
def test_who_may_work_a_handoff(assignee_id, staff_id, is_admin, allowed):
    assert may_work(assignee_id, staff_id, is_admin) is allowed


def _context(**changes):
    context = dict(
        handoff_open=True, assignee_id=None, staff_id=1, is_admin=False, opted_out=False,
        quiet_hours=QUIET, now=NOON, last_inbound_at=None,
    )
    context.update(changes)
    return context


@pytest.mark.parametrize(
    "text, changes, expected",
    [
        ("Hello", {}, None),
        ("", {}, REFUSED_EMPTY),
        (" \n ", {}, REFUSED_EMPTY),
        ("x" * MAX_REPLY_LENGTH, {}, None),
        ("x" * (MAX_REPLY_LENGTH + 1), {}, REFUSED_TOO_LONG),
        ("Hello", {"handoff_open": False}, REFUSED_CLOSED),
        ("Hello", {"assignee_id": 2}, REFUSED_NOT_YOURS),
        ("Hello", {"assignee_id": 2, "is_admin": True}, None),
        ("Hello", {"opted_out": True}, REFUSED_OPTED_OUT),
        # Opting out wins over everything else about timing: STOP means stop.
        ("Hello", {"opted_out": True, "now": NIGHT, "last_inbound_at": NIGHT}, REFUSED_OPTED_OUT),
        ("Hello", {"now": NIGHT}, REFUSED_QUIET_HOURS),
        ("Hello", {"now": NIGHT, "last_inbound_at": NIGHT - timedelta(minutes=10)}, None),
    ],
)
def test_reply_refusal(text, changes, expected):
    assert reply_refusal(text, **_context(**changes)) == expected
