"""An event starting a few days after the real now, for tests that talk to the running assistant
(its clock is the machine's, so their events must be relative to it)."""
from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from bot.hiring_events.model import Event
from bot.store import EventCatalog

# A prefix per test run, so two runs' events never share a code in a shared database.
_codes = (f"U{uuid.uuid4().hex[:4].upper()}{n}" for n in itertools.count())


def upcoming_event(
    store: EventCatalog,
    name_en: str,
    name_es: str,
    sectors: Sequence[str] = ("hospitality",),
    *,
    days_ahead: int = 8,
    code: str | None = None,
    capacity: int = 50,
) -> Event:
    """Stores and returns a 4-hour event at the top of an hour `days_ahead` days from now."""
    start = (datetime.now(timezone.utc) + timedelta(days=days_ahead)).replace(minute=0, second=0, microsecond=0)
    event = Event(
        code=code or next(_codes),
        name={"en": name_en, "es": name_es},
        sectors=tuple(sectors),
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        venue="Example Hall",
        address="100 Example Ave, Chicago, IL 60601",
        capacity=capacity,
    )
    store.upsert_event(event)
    return event
