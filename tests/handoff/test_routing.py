from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from bot.handoff.routing import matches, order_key, queue_for

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Handoff:
    id: int
    team: str = "general"
    language: str | None = "en"
    priority: int = 0
    created_at: datetime = T0


@dataclass(frozen=True)
class Staff:
    teams: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@pytest.mark.parametrize(
    "handoff, staff, expected",
    [
        (Handoff(1, team="healthcare", language="es"), Staff(("healthcare",), ("en", "es")), True),
        (Handoff(1, team="healthcare", language="es"), Staff(("healthcare",), ("en",)), False),
        (Handoff(1, team="healthcare", language="en"), Staff(("construction",), ("en",)), False),
        (Handoff(1, team="general", language="en"), Staff(("construction",), ("en",)), True),
        (Handoff(1, team="general", language="es"), Staff(("construction",), ("en",)), False),
        (Handoff(1, team="it", language="es"), Staff((), ("es",)), True),  # no teams: every team
        (Handoff(1, team="it", language="es"), Staff(("it",), ()), True),  # no languages: any
        (Handoff(1, team="it", language=None), Staff(("it",), ("en",)), True),
    ],
)
def test_matches_by_team_and_language(handoff, staff, expected):
    assert matches(handoff, staff) is expected


def test_queue_serves_priority_first_then_the_longest_waiting():
    handoffs = [
        Handoff(1, created_at=T0 + timedelta(minutes=5)),
        Handoff(2, priority=2, created_at=T0 + timedelta(minutes=30)),
        Handoff(3, created_at=T0),
        Handoff(4, priority=2, created_at=T0 + timedelta(minutes=10)),
        Handoff(5, team="it", created_at=T0 - timedelta(hours=1)),
        Handoff(6, language="es", priority=2, created_at=T0 - timedelta(hours=1)),
        Handoff(7, created_at=T0),
    ]
    assert [h.id for h in sorted(handoffs, key=order_key)] == [6, 4, 2, 5, 3, 7, 1]
    english_healthcare = Staff(("healthcare",), ("en",))
    assert [h.id for h in queue_for(english_healthcare, handoffs)] == [4, 2, 3, 7, 1]
