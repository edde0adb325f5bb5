from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handoff.sla import SLA_BREACHED, SLA_OK, SLA_WARNING, SlaClock
from tests.handoff.timeline import OFFICE, local

CLOCK = SlaClock(OFFICE)  # one business hour to the first staff reply

MONDAY_9 = local("2026-03-02 09:00")
FRIDAY_4_30 = local("2026-03-06 16:30")  # the last working day before spring forward
THANKSGIVING_EVE = local("2026-11-25 16:40")


@pytest.mark.parametrize(
    "created, answered, now, minutes, state",
    [
        (MONDAY_9, None, local("2026-03-02 09:44"), 44, SLA_OK),
        (MONDAY_9, None, local("2026-03-02 09:45"), 45, SLA_WARNING),  # 75% of the hour
        (MONDAY_9, None, local("2026-03-02 10:00"), 60, SLA_WARNING),  # at the target, not past it
        (MONDAY_9, None, local("2026-03-02 10:01"), 61, SLA_BREACHED),
        (MONDAY_9, local("2026-03-02 09:50"), local("2026-03-05 12:00"), 50, SLA_OK),  # the clock stopped
        (MONDAY_9, local("2026-03-02 09:59"), local("2026-03-02 10:30"), 59, SLA_OK),  # answered: never amber
        (MONDAY_9, local("2026-03-02 10:30"), local("2026-03-02 10:30"), 90, SLA_BREACHED),
        # Waiting over the weekend (and the clock change) costs only the open minutes.
        (FRIDAY_4_30, None, local("2026-03-09 09:10"), 40, SLA_OK),
        (FRIDAY_4_30, None, local("2026-03-09 09:16"), 46, SLA_WARNING),
        (FRIDAY_4_30, None, local("2026-03-09 09:31"), 61, SLA_BREACHED),
        (FRIDAY_4_30, local("2026-03-09 09:20"), local("2026-03-09 15:00"), 50, SLA_OK),
        # Opened on a Saturday: nothing counts until Monday 9 am.
        (local("2026-03-07 11:00"), None, local("2026-03-09 08:59"), 0, SLA_OK),
        # Thanksgiving and the Friday after are closed.
        (THANKSGIVING_EVE, None, local("2026-11-30 09:30"), 50, SLA_WARNING),
        (THANKSGIVING_EVE, None, local("2026-11-27 15:00"), 20, SLA_OK),
    ],
)
def test_sla_clock(created, answered, now, minutes, state):
    assert CLOCK.elapsed(created, answered, now) == timedelta(minutes=minutes)
    assert CLOCK.state(created, answered, now) == state


@pytest.mark.parametrize(
    "created, due",
    [
        (MONDAY_9, local("2026-03-02 10:00")),
        (FRIDAY_4_30, local("2026-03-09 09:30")),
        (THANKSGIVING_EVE, local("2026-11-30 09:40")),
    ],
)
def test_due_at_is_when_an_unanswered_handoff_breaches(created, due):
    assert CLOCK.due_at(created) == due
    assert CLOCK.state(created, None, due) == SLA_WARNING
    assert CLOCK.state(created, None, due + timedelta(minutes=1)) == SLA_BREACHED


def test_a_shorter_target_turns_amber_sooner():
    quick = SlaClock(OFFICE, target=timedelta(minutes=20))
    assert quick.state(MONDAY_9, None, local("2026-03-02 09:15")) == SLA_WARNING
    assert CLOCK.state(MONDAY_9, None, local("2026-03-02 09:15")) == SLA_OK


def test_a_target_must_be_positive():
    with pytest.raises(ValueError):
        SlaClock(OFFICE, target=timedelta(0))
