"""What the three hiring-event stores share: the records they hand back, the row-to-record
mappings, and the row helpers every one of them calls inside its own transaction (locking an
event, counting its registrations, cancelling a registration's pending messages).

The stores: `EventCatalog` (bot/store/event_catalog.py: the events themselves),
`RegistrationStore` (registration_store.py: seats and the waitlist) and `ScheduledMessageStore`
(scheduled_message_store.py: reminders, follow-ups and nudges).

Row to record, the one way every store in bot/store maps: a module-level `<thing>_record(row,
...)` function given every row the record needs (the query joins them), building the frozen
record with keyword arguments and copying mutable JSON, so no record holds a session or an ORM
object.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.hiring_events.model import Event, event_from_document
from bot.store.models import HiringEvent, Registration, ScheduledMessage, Seeker
from bot.store.vocabulary import REGISTRATION_HOLDS_SEAT, SCHEDULE_CANCELLED, SCHEDULE_PENDING


# --- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRecord:
    id: int
    code: str
    event: Event
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RegistrationRecord:
    id: int
    event_id: int
    event_code: str
    seeker_id: int
    channel: str
    address: str
    status: str
    confirmation_code: str
    # The calendar link's key (never the check-in code).
    calendar_token: str | None
    # A private copy: changing it changes nothing in the database.
    answers: dict[str, Any]
    # Queue order on the waitlist (kept after promotion); see RegistrationOutcome.waitlist_place.
    waitlist_position: int | None
    offer_expires_at: datetime | None
    confirmed_at: datetime | None
    attended: bool
    outcome: str | None
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None


@dataclass(frozen=True)
class RegistrationWithEvent:
    registration: RegistrationRecord
    event: EventRecord


@dataclass(frozen=True)
class ScheduledMessageRecord:
    id: int
    kind: str
    seeker_id: int
    channel: str
    address: str
    registration_id: int | None
    due_at: datetime
    deadline: datetime
    status: str
    skip_reason: str | None
    sent_message_id: int | None
    created_at: datetime
    updated_at: datetime


# --- rows to records -------------------------------------------------------------------------


def event_record(row: HiringEvent) -> EventRecord:
    """The record of a hiring_events row (also used by bot.store.report_queries)."""
    return EventRecord(
        id=row.id,
        code=row.code,
        event=event_from_document(row.definition),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def registration_record(row: Registration, event_row: HiringEvent, seeker: Seeker) -> RegistrationRecord:
    return RegistrationRecord(
        id=row.id,
        event_id=row.event_id,
        event_code=event_row.code,
        seeker_id=row.seeker_id,
        channel=seeker.channel,
        address=seeker.address,
        status=row.status,
        confirmation_code=row.confirmation_code,
        calendar_token=row.calendar_token,
        answers=copy.deepcopy(dict(row.answers or {})),
        waitlist_position=row.waitlist_position,
        offer_expires_at=row.offer_expires_at,
        confirmed_at=row.confirmed_at,
        attended=bool(row.attended),
        outcome=row.outcome,
        created_at=row.created_at,
        updated_at=row.updated_at,
        cancelled_at=row.cancelled_at,
    )


def scheduled_record(row: ScheduledMessage, seeker: Seeker) -> ScheduledMessageRecord:
    return ScheduledMessageRecord(
        id=row.id,
        kind=row.kind,
        seeker_id=row.seeker_id,
        channel=seeker.channel,
        address=seeker.address,
        registration_id=row.registration_id,
        due_at=row.due_at,
        deadline=row.deadline,
        status=row.status,
        skip_reason=row.skip_reason,
        sent_message_id=row.sent_message_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


# --- row helpers (called inside the caller's transaction) ------------------------------------


def checked_moment(moment: datetime) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("pass a timezone-aware datetime")
    return moment


def locked_event(session: Session, code: str) -> HiringEvent | None:
    return session.execute(
        select(HiringEvent)
        .where(HiringEvent.code == code)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def count_registrations(session: Session, *conditions: Any) -> int:
    return session.execute(
        select(func.count()).select_from(Registration).where(*conditions)
    ).scalar_one()


def count_in_status(session: Session, event_id: int, statuses: tuple[str, ...]) -> int:
    return count_registrations(
        session, Registration.event_id == event_id, Registration.status.in_(statuses)
    )


def seats_held(session: Session, event_id: int) -> int:
    return count_in_status(session, event_id, REGISTRATION_HOLDS_SEAT)


def cancel_pending_messages(session: Session, registration_id: int, now: datetime) -> int:
    """Messages about a registration go only while it is active: ending it, or taking an offered
    seat, cancels those still pending."""
    result = session.execute(
        update(ScheduledMessage)
        .where(
            ScheduledMessage.registration_id == registration_id,
            ScheduledMessage.status == SCHEDULE_PENDING,
        )
        .values(status=SCHEDULE_CANCELLED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
