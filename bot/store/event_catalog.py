"""EventCatalog: the hiring events themselves, imported from files or written by staff, looked up
by code and listed for seekers. One transaction per call (or the caller's unit of work); frozen
records out.

    catalog = EventCatalog(make_engine())
    record, created = catalog.upsert_event(event)      # import / re-import by code
    catalog.list_upcoming(now, {"hospitality"})

Capacity on re-import. A re-import stores the capacity the file gives, even below the number of
seats already held: nobody registered is ever dropped by an import. Until enough cancel, the
event simply takes no one new (a warning is logged; the import CLI prints it). Seats and the
waitlist are the registration store's (bot/store/registration_store.py).
"""
from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select

from bot.hiring_events.model import Event, event_to_document, is_offerable, normalize_event_code
from bot.store.hiring_event_rows import EventRecord, checked_moment, event_record, locked_event, seats_held
from bot.store.models import HiringEvent
from bot.store.transactions import TransactionalStore, insert_or_fetch
from bot.store.validation import checked_json_document
from bot.store.vocabulary import EVENT_CODE_MAX

logger = logging.getLogger(__name__)


class EventCatalog(TransactionalStore):
    def upsert_event(self, event: Event, now: datetime | None = None) -> tuple[EventRecord, bool]:
        """Stores `event` under its code; returns it and whether it was new. Importing the same
        definition again changes nothing (not even updated_at)."""
        document = checked_json_document(event_to_document(event), "event")
        with self._writing() as session:
            now = checked_moment(now or self._clock())
            row = locked_event(session, event.code)
            if row is None:
                row = HiringEvent(
                    code=event.code, definition=document, created_at=now, updated_at=now
                )
                _copy_event_columns(row, event)
                row, inserted = insert_or_fetch(session, row, lambda: locked_event(session, event.code))
                if inserted:
                    return event_record(row), True
            if row.definition != document:
                row.definition = document
                row.updated_at = now
                _copy_event_columns(row, event)
                held = seats_held(session, row.id)
                if held > event.capacity:
                    logger.warning(
                        "event %s: capacity %d is below the %d seats already held; "
                        "nobody is dropped, no one new gets a seat until enough cancel",
                        event.code, event.capacity, held,
                    )
            return event_record(row), False

    def get_event(self, code: str) -> EventRecord | None:
        code = normalize_event_code(code) if isinstance(code, str) else ""
        if not code or len(code) > EVENT_CODE_MAX:
            return None
        with self._reading() as session:
            row = session.execute(
                select(HiringEvent).where(HiringEvent.code == code)
            ).scalar_one_or_none()
            return event_record(row) if row is not None else None

    def list_upcoming(
        self, now: datetime, sectors: Collection[str] | None = None
    ) -> tuple[EventRecord, ...]:
        """Events not over whose registration is open or not open yet, soonest first; with
        `sectors`, only events in at least one of them."""
        now = checked_moment(now)
        with self._reading() as session:
            rows = session.execute(
                select(HiringEvent)
                .where(HiringEvent.ends_at > now)
                .order_by(HiringEvent.starts_at, HiringEvent.id)
            ).scalars()
            records = [event_record(row) for row in rows]
        return tuple(
            record
            for record in records
            if is_offerable(record.event, now)
            and (not sectors or set(record.event.sectors) & set(sectors))
        )


def _copy_event_columns(row: HiringEvent, event: Event) -> None:
    row.starts_at = event.starts_at
    row.ends_at = event.ends_at
    row.capacity = event.capacity
    row.registration_opens_at = event.registration_opens_at
    row.registration_closes_at = event.registration_closes_at
