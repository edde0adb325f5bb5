"""The life of a planned message, without a database (bot/hiring_events/schedule.py): which
message still goes out at claim, and which status changes a row accepts."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.hiring_events.schedule import may_mark_sent, may_skip, reschedule_refusal, still_wanted

DEADLINE = datetime(2031, 5, 20, 14, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "registration_id, registration_status, expected",
    [
        (None, None, True),  # the nudge is about no registration
        (7, "registered", True),
        (7, "offered", True),
        (7, "waitlisted", True),
        (7, "cancelled", False),
        (7, "declined", False),
        (7, "expired", False),
        (7, None, False),  # the registration is gone (erased)
    ],
)
def test_a_message_about_a_registration_goes_only_while_it_is_active(registration_id, registration_status, expected):
    assert still_wanted(registration_id, registration_status) is expected


@pytest.mark.parametrize(
    "status, skip_reason, expected",
    [
        ("sending", None, True),
        ("skipped", "interrupted", True),  # given up by a restart elsewhere, but it did go
        ("skipped", "opted_out", False),
        ("pending", None, False),
        ("sent", None, False),
        ("cancelled", None, False),
    ],
)
def test_what_can_be_recorded_as_sent(status, skip_reason, expected):
    assert may_mark_sent(status, skip_reason) is expected


@pytest.mark.parametrize(
    "status, expected", [("pending", True), ("sending", True), ("sent", False), ("skipped", False), ("cancelled", False)]
)
def test_only_an_unfinished_message_is_skipped(status, expected):
    assert may_skip(status) is expected


@pytest.mark.parametrize(
    "status, due_at, expected",
    [
        ("pending", DEADLINE - timedelta(hours=1), None),
        ("sending", DEADLINE, None),  # at the deadline itself is still in time
        ("sending", DEADLINE + timedelta(seconds=1), "due_at is after the message's deadline"),
        ("sent", DEADLINE - timedelta(hours=1), "it is sent"),
        ("cancelled", DEADLINE - timedelta(hours=1), "it is cancelled"),
    ],
)
def test_a_message_waits_again_only_while_unfinished_and_within_its_deadline(status, due_at, expected):
    assert reschedule_refusal(status, due_at, DEADLINE) == expected
