"""The three hiring-event stores on one engine, for tests that work across them (an event, its
registrations and their scheduled messages)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.store.event_catalog import EventCatalog
from bot.store.registration_store import DEFAULT_OFFER_TTL, RegistrationStore
from bot.store.scheduled_message_store import ScheduledMessageStore
from bot.store.timestamps import utc_now
from bot.store.transactions import Clock


@dataclass(frozen=True)
class HiringEventStores:
    catalog: EventCatalog
    registrations: RegistrationStore
    scheduled: ScheduledMessageStore

    @classmethod
    def on(cls, engine: Engine, *, offer_ttl: timedelta = DEFAULT_OFFER_TTL, clock: Clock = utc_now) -> HiringEventStores:
        return cls(
            EventCatalog(engine, clock=clock),
            RegistrationStore(engine, offer_ttl, clock=clock),
            ScheduledMessageStore(engine, clock=clock),
        )
