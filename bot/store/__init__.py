"""The intake database: seekers, screenings and the consent ledger.

    from bot.store import IntakeStore, make_engine, migrate
    migrate()                                   # once at start-up
    store = IntakeStore(make_engine())
    store.save_answers("twilio", "+13125550100", {ZIP_CODE: "60623"})

Configured only by DATABASE_URL (default: SQLite at var/intake.db). Importing this package
creates no engine and opens no connection.
"""
from __future__ import annotations

from bot.store.config import database_url
from bot.store.engine import make_engine
from bot.store.event_catalog import EventCatalog
from bot.store.hiring_event_rows import EventRecord, RegistrationRecord, RegistrationWithEvent, ScheduledMessageRecord
from bot.store.registration_store import (
    CancelOutcome,
    CheckInOutcome,
    ExpiryResult,
    OfferOutcome,
    RegistrationOutcome,
    RegistrationStore,
)
from bot.store.scheduled_message_store import ScheduledClaim, ScheduledMessageStore
from bot.store.handoff_store import HandoffRecord, HandoffStore, NoteRecord
from bot.store.message_log import InboundToRecord, MessageLog, MessageRecord, OutboundClaim, OutboundToQueue
from bot.store.migrate import current_revision, head_revision, migrate
from bot.store.privacy import address_digest
from bot.store.records import ConsentEventRecord, ScreeningRecord, SeekerRecord
from bot.store.intake_store import IntakeStore
from bot.store.staff_store import AuditRecord, StaffAccount, StaffStore

__all__ = [
    "AuditRecord",
    "HandoffRecord",
    "HandoffStore",
    "NoteRecord",
    "StaffAccount",
    "StaffStore",
    "CancelOutcome",
    "CheckInOutcome",
    "ConsentEventRecord",
    "EventRecord",
    "EventCatalog",
    "ExpiryResult",
    "IntakeStore",
    "InboundToRecord",
    "MessageLog",
    "MessageRecord",
    "OfferOutcome",
    "OutboundClaim",
    "OutboundToQueue",
    "RegistrationOutcome",
    "RegistrationRecord",
    "RegistrationStore",
    "RegistrationWithEvent",
    "ScheduledClaim",
    "ScheduledMessageRecord",
    "ScheduledMessageStore",
    "ScreeningRecord",
    "SeekerRecord",
    "address_digest",
    "current_revision",
    "database_url",
    "head_revision",
    "make_engine",
    "migrate",
]
