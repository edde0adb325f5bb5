"""HiringEventStore: hiring events, registrations with a waitlist and seat offers, and the durable
schedule of reminders, follow-ups and nudges. One transaction per call; frozen records out.

    store = HiringEventStore(make_engine())
    store.upsert_event(event)                                   # import / re-import by code
    outcome = store.register("HHC", "twilio", "+13125550100", {"shift_preference": "morning"}, now)
    outcome.kind    # registered | already_registered | full | waitlisted | closed | ...

Seats. `registered` and `offered` rows hold a seat; `waitlisted` rows queue for one. Every change
of a registration's status happens with the event's row locked (SELECT ... FOR UPDATE on
PostgreSQL; on SQLite every writer begins with BEGIN IMMEDIATE, which serialises them), and the
seats are counted inside that same transaction, so two people registering for the last seat at
the same instant cannot both get it. The partial unique index `uq_registrations_one_active` keeps
one active registration per seeker and event whatever happens above it.

Waitlist. A full event answers "full"; the seeker joins the waitlist only when asked to
(`join_waitlist=True`), and a closed-but-not-past event offers the same. A freed seat (cancel,
declined or expired offer, a raised capacity) is offered to the next person in line, who holds it
until `offer_expires_at` (now + offer_ttl, never later than the event start) and must accept it.
No seat is offered once the event has started. While people wait, a newcomer joins the queue
instead of taking a free seat ahead of them; `expire_offers`, run periodically, ends overdue
offers and hands every free seat on, and returns the new offers so the caller can text them.

Capacity on re-import. A re-import stores the capacity the file gives, even below the number of
seats already held: nobody registered is ever dropped by an import. Until enough cancel, the
event simply takes no one new (a warning is logged; the import CLI prints it).

Scheduled messages. pending -> sending (claimed by one process with a conditional UPDATE) -> sent
or skipped; pending -> cancelled. A row left `sending` by a crash becomes skipped ("interrupted")
at start-up: a reminder may be lost, never sent twice. Messages about a registration go only while
it is active: ending it (cancel, decline, expiry) cancels its pending messages, taking an offered
seat cancels the pending offer message, and a claim skips any message whose registration ended.
"""
from __future__ import annotations

import copy
import logging
import re
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Union

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.hiring_events.seats import free_seats, newcomer_gets_a_seat, offer_expires_at, offer_is_open, seats_to_offer
from bot.hiring_events.model import (
    WINDOW_CLOSED,
    WINDOW_NOT_OPEN_YET,
    WINDOW_OPEN,
    WINDOW_PAST,
    Event,
    event_from_document,
    event_to_document,
    is_offerable,
    normalize_event_code,
    registration_window,
)
from bot.store.models import HiringEvent, Registration, ScheduledMessage, Seeker
from bot.store.intake_store import locked_seeker
from bot.store.timestamps import utc_now
from bot.store.transactions import Clock, TransactionalStore, insert_or_fetch
from bot.store.validation import checked_address, checked_channel, checked_json_document
from bot.store.vocabulary import (
    CONFIRMATION_CODE_ALPHABET,
    CALENDAR_TOKEN_LENGTH,
    CONFIRMATION_CODE_LENGTH,
    CONSENT_OPTED_OUT,
    EVENT_CODE_MAX,
    REGISTRATION_ACTIVE,
    REGISTRATION_CANCELLED,
    REGISTRATION_DECLINED,
    REGISTRATION_EXPIRED,
    REGISTRATION_HOLDS_SEAT,
    REGISTRATION_OFFERED,
    REGISTRATION_OUTCOMES,
    REGISTRATION_REGISTERED,
    REGISTRATION_STATUSES,
    REGISTRATION_WAITLISTED,
    SCHEDULE_CANCELLED,
    SCHEDULE_KIND_MAX,
    SCHEDULE_PENDING,
    SCHEDULE_SENDING,
    SCHEDULE_SENT,
    SCHEDULE_SKIPPED,
    SKIP_INTERRUPTED,
    SKIP_REASON_MAX,
)

logger = logging.getLogger(__name__)

# How long a waitlisted person has to accept a freed seat, unless the caller says otherwise.
DEFAULT_OFFER_TTL = timedelta(hours=24)
# A free-text answer to an event question is a short preference, not a place for documents.
ANSWER_TEXT_MAX = 200
# Skip reason for a message whose registration was cancelled, declined or expired meanwhile.
SKIP_REGISTRATION_ENDED = "registration_ended"

_SCHEDULE_KIND_PATTERN = re.compile(rf"[a-z][a-z0-9_]{{0,{SCHEDULE_KIND_MAX - 1}}}")
_CONFIRMATION_CODE_PATTERN = re.compile(
    rf"[{CONFIRMATION_CODE_ALPHABET}]{{{CONFIRMATION_CODE_LENGTH}}}"
)
# Codes are random; a collision with an existing one is retried this many times.
_CONFIRMATION_CODE_ATTEMPTS = 8

RegistrationKind = Literal[
    "registered",
    "already_registered",
    "waitlisted",
    "already_waitlisted",
    "full",
    "not_open_yet",
    "closed",
    "past",
    "unknown_event",
]
CancelKind = Literal["cancelled", "not_active", "not_found"]
OfferKind = Literal[
    "registered", "already_registered", "declined", "expired", "not_offered", "not_found"
]
CheckInKind = Literal["checked_in", "already_checked_in", "not_registered", "not_found"]
# A registration id, or (event code, channel, address) for the seeker's active registration.
RegistrationRef = Union[int, tuple[str, str, str]]


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
class RegistrationOutcome:
    kind: RegistrationKind
    registration: RegistrationRecord | None = None
    event: EventRecord | None = None
    # For waitlisted / already_waitlisted: 1 means next in line.
    waitlist_place: int | None = None


@dataclass(frozen=True)
class CancelOutcome:
    kind: CancelKind
    registration: RegistrationRecord | None = None
    # Waitlisted people now offered the freed seat (status "offered"): text them.
    promoted: tuple[RegistrationRecord, ...] = ()


@dataclass(frozen=True)
class OfferOutcome:
    kind: OfferKind
    registration: RegistrationRecord | None = None
    promoted: tuple[RegistrationRecord, ...] = ()


@dataclass(frozen=True)
class ExpiryResult:
    expired: tuple[RegistrationRecord, ...]
    # New offers made with the seats those (and any other free seats) left: text them.
    offers: tuple[RegistrationRecord, ...]


@dataclass(frozen=True)
class CheckInOutcome:
    kind: CheckInKind
    registration: RegistrationRecord | None = None


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


@dataclass(frozen=True)
class ScheduledClaim:
    """A scheduled message this process now owns (status "sending"); finish it with mark_sent,
    mark_skipped or reschedule."""

    message: ScheduledMessageRecord
    language: str | None
    recipient_opted_out: bool


class HiringEventStore(TransactionalStore):
    def __init__(self, engine: Engine, offer_ttl: timedelta = DEFAULT_OFFER_TTL, *, clock: Clock = utc_now) -> None:
        if offer_ttl <= timedelta(0):
            raise ValueError("offer_ttl must be positive")
        super().__init__(engine, clock=clock)
        self._offer_ttl = offer_ttl

    # --- events ----------------------------------------------------------------------------

    def upsert_event(self, event: Event, now: datetime | None = None) -> tuple[EventRecord, bool]:
        """Stores `event` under its code; returns it and whether it was new. Importing the same
        definition again changes nothing (not even updated_at)."""
        document = checked_json_document(event_to_document(event), "event")
        with self._writing() as session:
            now = _checked_now(now or self._clock())
            row = _locked_event(session, event.code)
            if row is None:
                row = HiringEvent(
                    code=event.code, definition=document, created_at=now, updated_at=now
                )
                _copy_event_columns(row, event)
                row, inserted = insert_or_fetch(session, row, lambda: _locked_event(session, event.code))
                if inserted:
                    return event_record(row), True
            if row.definition != document:
                row.definition = document
                row.updated_at = now
                _copy_event_columns(row, event)
                held = _count(session, row.id, REGISTRATION_HOLDS_SEAT)
                if held > event.capacity:
                    logger.warning(
                        "event %s: capacity %d is below the %d seats already held; "
                        "nobody is dropped, no one new gets a seat until enough cancel",
                        event.code, event.capacity, held,
                    )
            return event_record(row), False

    def registrations_per_seeker(self, code: str) -> dict[int, int]:
        """How many active registrations each seeker holds for the event (always 1, by the
        database's own unique index; benchmarks check it)."""
        with self._reading() as session:
            rows = session.execute(
                select(Registration.seeker_id, func.count())
                .join(HiringEvent, HiringEvent.id == Registration.event_id)
                .where(HiringEvent.code == code, Registration.status.in_(REGISTRATION_ACTIVE))
                .group_by(Registration.seeker_id)
            ).all()
            return {seeker_id: count for seeker_id, count in rows}

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
        now = _checked_now(now)
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

    def counts(self, code: str) -> dict[str, int] | None:
        """How many registrations of the event are in each status, plus `attended` and
        `confirmed`; None for an unknown event."""
        with self._reading() as session:
            event_row = session.execute(
                select(HiringEvent).where(HiringEvent.code == normalize_event_code(code))
            ).scalar_one_or_none()
            if event_row is None:
                return None
            totals = {status: 0 for status in REGISTRATION_STATUSES}
            for status, number in session.execute(
                select(Registration.status, func.count())
                .where(Registration.event_id == event_row.id)
                .group_by(Registration.status)
            ):
                totals[status] = number
            totals["attended"] = _count_where(
                session, Registration.event_id == event_row.id, Registration.attended.is_(True)
            )
            totals["confirmed"] = _count_where(
                session,
                Registration.event_id == event_row.id,
                Registration.status == REGISTRATION_REGISTERED,
                Registration.confirmed_at.is_not(None),
            )
            return totals

    # --- registering -----------------------------------------------------------------------

    def register(
        self,
        code: str,
        channel: str,
        address: str,
        answers: Mapping[str, Any] | None,
        now: datetime,
        *,
        join_waitlist: bool = False,
    ) -> RegistrationOutcome:
        """Register the seeker for the event with that code.

        A seeker holding a still-valid offer for this event who registers again takes the seat
        ("registered"). `answers` are checked against the event's questions (ValueError if a key
        or a choice is not the event's).
        """
        now = _checked_now(now)
        channel, address = checked_channel(channel), checked_address(address)
        with self._writing() as session:
            event_row = None
            if isinstance(code, str):
                event_row = _locked_event(session, normalize_event_code(code))
            if event_row is None:
                return RegistrationOutcome("unknown_event")
            found_event = event_record(event_row)
            event = found_event.event
            window = registration_window(event, now)
            if window == WINDOW_PAST:
                return RegistrationOutcome("past", event=found_event)
            answers = _checked_event_answers(event, answers)
            seeker = locked_seeker(session, channel, address, now)
            existing = _active_registration(session, event_row.id, seeker.id)
            if existing is not None and existing.status == REGISTRATION_REGISTERED:
                return RegistrationOutcome(
                    "already_registered", _registration_record(session, existing), found_event
                )
            if existing is not None and existing.status == REGISTRATION_WAITLISTED:
                return RegistrationOutcome(
                    "already_waitlisted",
                    _registration_record(session, existing),
                    found_event,
                    _waitlist_place(session, existing),
                )
            if existing is not None and offer_is_open(existing.offer_expires_at, now):
                _take_offered_seat(session, existing, now)
                existing.answers = {**(existing.answers or {}), **answers}
                return RegistrationOutcome(
                    "registered", _registration_record(session, existing), found_event
                )
            if existing is not None:
                # An offer nobody swept yet: it ends now; the seat it held goes to the queue.
                _end_registration(session, existing, REGISTRATION_EXPIRED, now)
            if window == WINDOW_NOT_OPEN_YET:
                return RegistrationOutcome("not_open_yet", event=found_event)

            held = _count(session, event_row.id, REGISTRATION_HOLDS_SEAT)
            waiting = _count(session, event_row.id, (REGISTRATION_WAITLISTED,))
            if window == WINDOW_OPEN and newcomer_gets_a_seat(event_row.capacity, held, waiting):
                row = _insert_registration(
                    session, event_row.id, seeker.id, REGISTRATION_REGISTERED, answers, now
                )
                return RegistrationOutcome(
                    "registered", _registration_record(session, row), found_event
                )
            if not join_waitlist:
                refusal: RegistrationKind = "closed" if window == WINDOW_CLOSED else "full"
                return RegistrationOutcome(refusal, event=found_event)
            row = _insert_registration(
                session,
                event_row.id,
                seeker.id,
                REGISTRATION_WAITLISTED,
                answers,
                now,
                waitlist_position=_next_waitlist_position(session, event_row.id),
            )
            return RegistrationOutcome(
                "waitlisted", _registration_record(session, row), found_event, waiting + 1
            )

    def cancel(
        self, registration: RegistrationRef, now: datetime, offer_ttl: timedelta | None = None
    ) -> CancelOutcome:
        """Cancel a registration, given its id or (event code, channel, address). A seat freed
        this way is offered to the next waitlisted person (returned in `promoted`), and the
        registration's pending reminders are cancelled."""
        now = _checked_now(now)
        ttl = self._ttl(offer_ttl)
        with self._writing() as session:
            row = self._find_registration(session, registration)
            if row is None:
                return CancelOutcome("not_found")
            event_row, row = _lock_event_and_registration(session, row)
            if row.status not in REGISTRATION_ACTIVE:
                return CancelOutcome("not_active", _registration_record(session, row))
            _end_registration(session, row, REGISTRATION_CANCELLED, now)
            promoted = _offer_free_seats(session, event_row, now, ttl)
            logger.info("event %s: registration %d cancelled", event_row.code, row.id)
            return CancelOutcome(
                "cancelled",
                _registration_record(session, row),
                tuple(_registration_record(session, each) for each in promoted),
            )

    def accept_offer(
        self, registration_id: int, now: datetime, offer_ttl: timedelta | None = None
    ) -> OfferOutcome:
        """Take the offered seat: "registered" if the offer is still open, else "expired" (and
        the seat moves on to the next person, in `promoted`)."""
        return self._answer_offer(registration_id, now, offer_ttl, accept=True)

    def decline_offer(
        self, registration_id: int, now: datetime, offer_ttl: timedelta | None = None
    ) -> OfferOutcome:
        """Turn the offered seat down; it moves on to the next person (in `promoted`)."""
        return self._answer_offer(registration_id, now, offer_ttl, accept=False)

    def expire_offers(self, now: datetime, offer_ttl: timedelta | None = None) -> ExpiryResult:
        """End every offer past its time and offer each free seat to the next person waiting.

        Also hands on seats freed any other way (a capacity raised by a re-import). Run it
        periodically; text the people in `offers`, and those in `expired` if wanted.
        """
        now = _checked_now(now)
        ttl = self._ttl(offer_ttl)
        expired: list[Registration] = []
        offers: list[Registration] = []
        with self._reading() as session:
            if not _events_needing_a_sweep(session, now):
                # The usual case, answered without the write lock (the scheduler asks often).
                return ExpiryResult((), ())
        with self._writing() as session:
            for event_id in _events_needing_a_sweep(session, now):
                event_row = _lock_event_by_id(session, event_id)
                overdue = session.execute(
                    select(Registration)
                    .where(
                        Registration.event_id == event_id,
                        Registration.status == REGISTRATION_OFFERED,
                        Registration.offer_expires_at <= now,
                    )
                    .order_by(Registration.id)
                    .execution_options(populate_existing=True)
                ).scalars().all()
                for row in overdue:
                    _end_registration(session, row, REGISTRATION_EXPIRED, now)
                expired.extend(overdue)
                offers.extend(_offer_free_seats(session, event_row, now, ttl))
            return ExpiryResult(
                tuple(_registration_record(session, row) for row in expired),
                tuple(_registration_record(session, row) for row in offers),
            )

    # --- reading registrations -------------------------------------------------------------

    def registrations_of(
        self, channel: str, address: str, now: datetime
    ) -> tuple[RegistrationWithEvent, ...]:
        """The seeker's active registrations (registered, waitlisted, offered) for events not
        over yet, soonest event first."""
        now = _checked_now(now)
        channel, address = checked_channel(channel), checked_address(address)
        with self._reading() as session:
            rows = session.execute(
                select(Registration, HiringEvent)
                .join(HiringEvent, HiringEvent.id == Registration.event_id)
                .join(Seeker, Seeker.id == Registration.seeker_id)
                .where(
                    Seeker.channel == channel,
                    Seeker.address == address,
                    Registration.status.in_(REGISTRATION_ACTIVE),
                    HiringEvent.ends_at > now,
                )
                .order_by(HiringEvent.starts_at, Registration.id)
            ).all()
            return tuple(
                RegistrationWithEvent(_registration_record(session, row), event_record(event_row))
                for row, event_row in rows
            )

    def get_registration(self, registration_id: int) -> RegistrationWithEvent | None:
        with self._reading() as session:
            row = session.get(Registration, registration_id)
            if row is None:
                return None
            return RegistrationWithEvent(
                _registration_record(session, row),
                event_record(session.get(HiringEvent, row.event_id)),
            )

    def find_by_code(self, confirmation_code: str) -> RegistrationWithEvent | None:
        """The registration with this confirmation code, typed in any case, with spaces or
        dashes; None if there is none."""
        code = normalize_confirmation_code(confirmation_code)
        if code is None:
            return None
        with self._reading() as session:
            row = session.execute(
                select(Registration).where(Registration.confirmation_code == code)
            ).scalar_one_or_none()
            if row is None:
                return None
            return RegistrationWithEvent(
                _registration_record(session, row),
                event_record(session.get(HiringEvent, row.event_id)),
            )

    def find_by_calendar_token(self, token: str) -> RegistrationWithEvent | None:
        """The registration whose calendar link carries `token`; None if there is none."""
        if not token or len(token) != CALENDAR_TOKEN_LENGTH:
            return None
        with self._reading() as session:
            row = session.execute(select(Registration).where(Registration.calendar_token == token)).scalar_one_or_none()
            if row is None:
                return None
            return RegistrationWithEvent(
                _registration_record(session, row),
                event_record(session.get(HiringEvent, row.event_id)),
            )

    # --- at and after the event ------------------------------------------------------------

    def confirm_attendance(self, registration_id: int, now: datetime) -> RegistrationRecord | None:
        """The seeker replied to a reminder that they are coming (kept the first time)."""
        now = _checked_now(now)
        with self._writing() as session:
            row = session.get(Registration, registration_id)
            if row is None:
                return None
            if row.status == REGISTRATION_REGISTERED and row.confirmed_at is None:
                row.confirmed_at = now
                row.updated_at = now
            return _registration_record(session, row)

    def check_in(self, confirmation_code: str) -> CheckInOutcome:
        """At the door: marks a registered seeker as attended."""
        code = normalize_confirmation_code(confirmation_code)
        if code is None:
            return CheckInOutcome("not_found")
        with self._writing() as session:
            row = session.execute(
                select(Registration).where(Registration.confirmation_code == code).with_for_update()
            ).scalar_one_or_none()
            if row is None:
                return CheckInOutcome("not_found")
            if row.status != REGISTRATION_REGISTERED:
                return CheckInOutcome("not_registered", _registration_record(session, row))
            if row.attended:
                return CheckInOutcome("already_checked_in", _registration_record(session, row))
            row.attended = True
            row.updated_at = self._clock()
            return CheckInOutcome("checked_in", _registration_record(session, row))

    def record_outcome(
        self, registration_id: int, outcome: str, now: datetime | None = None
    ) -> RegistrationRecord | None:
        """What came of it (offer, no_offer, no_show), from the follow-up or staff."""
        if outcome not in REGISTRATION_OUTCOMES:
            raise ValueError(f"outcome must be one of {REGISTRATION_OUTCOMES}")
        with self._writing() as session:
            row = session.get(Registration, registration_id)
            if row is None:
                return None
            row.outcome = outcome
            row.updated_at = _checked_now(now or self._clock())
            return _registration_record(session, row)

    # --- scheduled messages ----------------------------------------------------------------

    def schedule(
        self,
        kind: str,
        channel: str,
        address: str,
        due_at: datetime,
        deadline: datetime,
        registration_id: int | None = None,
    ) -> ScheduledMessageRecord:
        """Plan a message; idempotent: the same (registration, kind), or (seeker, kind) for a
        message tied to no registration, returns the row already planned, unchanged."""
        if not isinstance(kind, str) or not _SCHEDULE_KIND_PATTERN.fullmatch(kind):
            raise ValueError(f"kind must be 1-{SCHEDULE_KIND_MAX} lower-case letters, digits, '_'")
        due_at, deadline = _checked_now(due_at), _checked_now(deadline)
        if deadline < due_at:
            raise ValueError("deadline is before due_at")
        with self._writing() as session:
            now = self._clock()
            seeker = locked_seeker(session, channel, address, now)
            if registration_id is not None:
                registration = session.get(Registration, registration_id)
                if registration is None or registration.seeker_id != seeker.id:
                    raise ValueError("registration_id is not a registration of this seeker")
            existing = _planned_message(session, seeker.id, kind, registration_id)
            if existing is not None:
                return _scheduled_record(existing, seeker)
            row = ScheduledMessage(
                kind=kind,
                seeker_id=seeker.id,
                registration_id=registration_id,
                due_at=due_at,
                deadline=deadline,
                status=SCHEDULE_PENDING,
                created_at=now,
                updated_at=now,
            )
            stored, _ = insert_or_fetch(
                session, row, lambda: _planned_message(session, seeker.id, kind, registration_id)
            )
            return _scheduled_record(stored, seeker)

    def claim_due(self, now: datetime, limit: int = 50) -> list[ScheduledClaim]:
        """Claims up to `limit` pending messages due by `now`, earliest first. Each row moves to
        "sending" with a conditional UPDATE, so two processes never claim the same one.

        A message about a registration that has ended (cancelled, declined, expired) is skipped
        here, not returned.
        """
        now = _checked_now(now)
        claims: list[ScheduledClaim] = []
        with self._reading() as session:
            anything_due = session.execute(
                select(ScheduledMessage.id)
                .where(ScheduledMessage.status == SCHEDULE_PENDING, ScheduledMessage.due_at <= now)
                .limit(1)
            ).first()
        if anything_due is None:
            return claims  # the usual case, answered without the write lock
        with self._writing() as session:
            # SKIP LOCKED (PostgreSQL): claimers running at once pick different rows instead of
            # all queueing on the same first ones. The conditional UPDATE below is what makes
            # a claim exclusive, on every backend.
            due_ids = session.execute(
                select(ScheduledMessage.id)
                .where(ScheduledMessage.status == SCHEDULE_PENDING, ScheduledMessage.due_at <= now)
                .order_by(ScheduledMessage.due_at, ScheduledMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).scalars().all()
            for message_id in due_ids:
                taken = session.execute(
                    update(ScheduledMessage)
                    .where(
                        ScheduledMessage.id == message_id,
                        ScheduledMessage.status == SCHEDULE_PENDING,
                    )
                    .values(status=SCHEDULE_SENDING, updated_at=now)
                    .execution_options(synchronize_session=False)
                )
                if taken.rowcount != 1:
                    continue  # another process claimed it first
                row, seeker, registration_status = session.execute(
                    select(ScheduledMessage, Seeker, Registration.status)
                    .join(Seeker, Seeker.id == ScheduledMessage.seeker_id)
                    .outerjoin(Registration, Registration.id == ScheduledMessage.registration_id)
                    .where(ScheduledMessage.id == message_id)
                    .execution_options(populate_existing=True)
                ).one()
                ended = registration_status not in REGISTRATION_ACTIVE
                if row.registration_id is not None and ended:
                    row.status = SCHEDULE_SKIPPED
                    row.skip_reason = SKIP_REGISTRATION_ENDED
                    continue
                claims.append(
                    ScheduledClaim(
                        _scheduled_record(row, seeker),
                        seeker.language,
                        seeker.consent_status == CONSENT_OPTED_OUT,
                    )
                )
        return claims

    def mark_sent(self, scheduled_id: int, message_id: int | None) -> ScheduledMessageRecord | None:
        """The message went out as outbound message `message_id` (the message log's row).

        Also accepted for a row skipped as interrupted meanwhile (a restart elsewhere): it did go.
        """
        with self._writing() as session:
            row = session.get(ScheduledMessage, scheduled_id)
            if row is None:
                return None
            interrupted = row.status == SCHEDULE_SKIPPED and row.skip_reason == SKIP_INTERRUPTED
            if row.status != SCHEDULE_SENDING and not interrupted:
                raise ValueError(f"scheduled message {scheduled_id} is {row.status}, not sending")
            row.status = SCHEDULE_SENT
            row.skip_reason = None
            row.sent_message_id = message_id
            row.updated_at = self._clock()
            return _scheduled_record(row, session.get(Seeker, row.seeker_id))

    def mark_skipped(self, scheduled_id: int, reason: str) -> ScheduledMessageRecord | None:
        """Not sent and never will be (too late, opted out, quiet hours past the deadline...)."""
        reason = " ".join(str(reason).split())[:SKIP_REASON_MAX] or "unspecified"
        with self._writing() as session:
            row = session.get(ScheduledMessage, scheduled_id)
            if row is None:
                return None
            if row.status in (SCHEDULE_PENDING, SCHEDULE_SENDING):
                row.status = SCHEDULE_SKIPPED
                row.skip_reason = reason
                row.updated_at = self._clock()
                logger.info("scheduled %s %d skipped: %s", row.kind, row.id, reason)
            return _scheduled_record(row, session.get(Seeker, row.seeker_id))

    def reschedule(self, scheduled_id: int, due_at: datetime) -> ScheduledMessageRecord | None:
        """Back to pending, due at `due_at` (for example after quiet hours); ValueError if that
        is past the message's deadline or the message is already sent, skipped or cancelled."""
        due_at = _checked_now(due_at)
        with self._writing() as session:
            row = session.get(ScheduledMessage, scheduled_id)
            if row is None:
                return None
            if row.status not in (SCHEDULE_PENDING, SCHEDULE_SENDING):
                raise ValueError(f"scheduled message {scheduled_id} is {row.status}")
            if due_at > row.deadline:
                raise ValueError("due_at is after the message's deadline")
            row.status = SCHEDULE_PENDING
            row.due_at = due_at
            row.updated_at = self._clock()
            return _scheduled_record(row, session.get(Seeker, row.seeker_id))

    def cancel_for_registration(self, registration_id: int) -> int:
        """Pending messages about this registration will not be sent; returns how many."""
        with self._writing() as session:
            return _cancel_pending_messages(session, registration_id, self._clock())

    def recover_after_crash(self, untouched_since: datetime | None = None) -> int:
        """At start-up: messages a dead process left "sending" may have gone out, so they are
        skipped as "interrupted", never sent again; returns how many. `untouched_since`: only
        those not updated since then (other instances live, one may be sending right now)."""
        conditions = [ScheduledMessage.status == SCHEDULE_SENDING]
        if untouched_since is not None:
            conditions.append(ScheduledMessage.updated_at < untouched_since)
        with self._writing() as session:
            result = session.execute(
                update(ScheduledMessage)
                .where(*conditions)
                .values(status=SCHEDULE_SKIPPED, skip_reason=SKIP_INTERRUPTED, updated_at=self._clock())
                .execution_options(synchronize_session=False)
            )
            if result.rowcount:
                logger.warning(
                    "%d scheduled messages were interrupted while sending", result.rowcount
                )
            return result.rowcount

    def get_scheduled(self, scheduled_id: int) -> ScheduledMessageRecord | None:
        with self._reading() as session:
            row = session.get(ScheduledMessage, scheduled_id)
            return _scheduled_record(row, session.get(Seeker, row.seeker_id)) if row else None

    def scheduled_for_registration(
        self, registration_id: int
    ) -> tuple[ScheduledMessageRecord, ...]:
        with self._reading() as session:
            rows = session.execute(
                select(ScheduledMessage, Seeker)
                .join(Seeker, Seeker.id == ScheduledMessage.seeker_id)
                .where(ScheduledMessage.registration_id == registration_id)
                .order_by(ScheduledMessage.due_at, ScheduledMessage.id)
            ).all()
            return tuple(_scheduled_record(row, seeker) for row, seeker in rows)

    # --- internals -------------------------------------------------------------------------

    def _answer_offer(
        self, registration_id: int, now: datetime, offer_ttl: timedelta | None, accept: bool
    ) -> OfferOutcome:
        now = _checked_now(now)
        ttl = self._ttl(offer_ttl)
        with self._writing() as session:
            row = session.get(Registration, registration_id)
            if row is None:
                return OfferOutcome("not_found")
            event_row, row = _lock_event_and_registration(session, row)
            if row.status == REGISTRATION_REGISTERED:
                return OfferOutcome("already_registered", _registration_record(session, row))
            if row.status != REGISTRATION_OFFERED:
                return OfferOutcome("not_offered", _registration_record(session, row))
            if accept and offer_is_open(row.offer_expires_at, now):
                _take_offered_seat(session, row, now)
                return OfferOutcome("registered", _registration_record(session, row))
            kind: OfferKind = "declined" if offer_is_open(row.offer_expires_at, now) else "expired"
            ended = REGISTRATION_EXPIRED if kind == "expired" else REGISTRATION_DECLINED
            _end_registration(session, row, ended, now)
            promoted = _offer_free_seats(session, event_row, now, ttl)
            return OfferOutcome(
                kind,
                _registration_record(session, row),
                tuple(_registration_record(session, each) for each in promoted),
            )

    def _find_registration(
        self, session: Session, reference: RegistrationRef
    ) -> Registration | None:
        if isinstance(reference, int) and not isinstance(reference, bool):
            return session.get(Registration, reference)
        if not (isinstance(reference, tuple) and len(reference) == 3):
            raise TypeError("pass a registration id or (event code, channel, address)")
        code, channel, address = reference
        return session.execute(
            select(Registration)
            .join(HiringEvent, HiringEvent.id == Registration.event_id)
            .join(Seeker, Seeker.id == Registration.seeker_id)
            .where(
                HiringEvent.code == normalize_event_code(code),
                Seeker.channel == checked_channel(channel),
                Seeker.address == checked_address(address),
                Registration.status.in_(REGISTRATION_ACTIVE),
            )
        ).scalar_one_or_none()

    def _ttl(self, offer_ttl: timedelta | None) -> timedelta:
        ttl = offer_ttl if offer_ttl is not None else self._offer_ttl
        if ttl <= timedelta(0):
            raise ValueError("offer_ttl must be positive")
        return ttl



def normalize_confirmation_code(text: str) -> str | None:
    """"hk3 9tx" or "HK3-9TX" -> "HK39TX"; None when it cannot be a confirmation code."""
    if not isinstance(text, str):
        return None
    code = re.sub(r"[\s\-]", "", text).upper()
    return code if _CONFIRMATION_CODE_PATTERN.fullmatch(code) else None


# --- seats and the waitlist (all called with the event row locked) ---------------------------


def _locked_event(session: Session, code: str) -> HiringEvent | None:
    return session.execute(
        select(HiringEvent)
        .where(HiringEvent.code == code)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _lock_event_by_id(session: Session, event_id: int) -> HiringEvent:
    return session.execute(
        select(HiringEvent)
        .where(HiringEvent.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def _lock_event_and_registration(
    session: Session, row: Registration
) -> tuple[HiringEvent, Registration]:
    """The event locked first, then the registration read again: its status may have changed
    while we waited for the lock."""
    event_row = _lock_event_by_id(session, row.event_id)
    fresh = session.execute(
        select(Registration)
        .where(Registration.id == row.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    return event_row, fresh


def _count(session: Session, event_id: int, statuses: tuple[str, ...]) -> int:
    return _count_where(
        session, Registration.event_id == event_id, Registration.status.in_(statuses)
    )


def _count_where(session: Session, *conditions: Any) -> int:
    return session.execute(
        select(func.count()).select_from(Registration).where(*conditions)
    ).scalar_one()


def _active_registration(session: Session, event_id: int, seeker_id: int) -> Registration | None:
    return session.execute(
        select(Registration).where(
            Registration.event_id == event_id,
            Registration.seeker_id == seeker_id,
            Registration.status.in_(REGISTRATION_ACTIVE),
        )
    ).scalar_one_or_none()


def _waitlist_place(session: Session, row: Registration) -> int:
    ahead = _count_where(
        session,
        Registration.event_id == row.event_id,
        Registration.status == REGISTRATION_WAITLISTED,
        Registration.waitlist_position < row.waitlist_position,
    )
    return ahead + 1


def _next_waitlist_position(session: Session, event_id: int) -> int:
    highest = session.execute(
        select(func.max(Registration.waitlist_position)).where(Registration.event_id == event_id)
    ).scalar_one()
    return (highest or 0) + 1


def _insert_registration(
    session: Session,
    event_id: int,
    seeker_id: int,
    status: str,
    answers: dict[str, Any],
    now: datetime,
    waitlist_position: int | None = None,
) -> Registration:
    for _ in range(_CONFIRMATION_CODE_ATTEMPTS):
        row = Registration(
            event_id=event_id,
            seeker_id=seeker_id,
            status=status,
            confirmation_code=_new_confirmation_code(),
            calendar_token=new_calendar_token(),
            answers=answers,
            waitlist_position=waitlist_position,
            attended=False,
            created_at=now,
            updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(row)
            return row
        except IntegrityError:
            if _active_registration(session, event_id, seeker_id) is not None:
                raise  # the one-active-registration index: a bug above, not a code collision
    raise RuntimeError("no free confirmation code found; the code space is nearly used up")


def _end_registration(session: Session, row: Registration, status: str, now: datetime) -> None:
    row.status = status
    row.updated_at = now
    if status == REGISTRATION_CANCELLED:
        row.cancelled_at = now
    session.flush()
    _cancel_pending_messages(session, row.id, now)


def _take_offered_seat(session: Session, row: Registration, now: datetime) -> None:
    row.status = REGISTRATION_REGISTERED
    row.updated_at = now
    session.flush()
    # Whatever was still waiting to go out about the offer ("a seat is free, reply YES") is stale.
    _cancel_pending_messages(session, row.id, now)


def _offer_free_seats(
    session: Session, event_row: HiringEvent, now: datetime, ttl: timedelta
) -> list[Registration]:
    """Offer each free seat to the next waitlisted person; nothing once the event has started."""
    starts_at = event_row.starts_at
    if now >= starts_at:
        return []  # before counting: no seat is offered once the event has started
    offered = seats_to_offer(
        event_row.capacity, _count(session, event_row.id, REGISTRATION_HOLDS_SEAT), starts_at, now
    )
    if offered <= 0:
        return []
    next_in_line = session.execute(
        select(Registration)
        .where(
            Registration.event_id == event_row.id,
            Registration.status == REGISTRATION_WAITLISTED,
        )
        .order_by(Registration.waitlist_position, Registration.id)
        .limit(offered)
        .with_for_update()
    ).scalars().all()
    for row in next_in_line:
        row.status = REGISTRATION_OFFERED
        row.offer_expires_at = offer_expires_at(now, ttl, starts_at)
        row.updated_at = now
    session.flush()
    if next_in_line:
        logger.info(
            "event %s: %d seat(s) offered from the waitlist", event_row.code, len(next_in_line)
        )
    return list(next_in_line)


def _events_needing_a_sweep(session: Session, now: datetime) -> list[int]:
    """Events with an overdue offer, or with people waiting and a seat free before the start.
    Read without locks; each is locked and looked at again before anything changes."""
    overdue = set(
        session.execute(
            select(Registration.event_id).where(
                Registration.status == REGISTRATION_OFFERED, Registration.offer_expires_at <= now
            )
        ).scalars()
    )
    waiting = set(
        session.execute(
            select(Registration.event_id).where(Registration.status == REGISTRATION_WAITLISTED)
        ).scalars()
    )
    held = dict(
        session.execute(
            select(Registration.event_id, func.count())
            .where(Registration.status.in_(REGISTRATION_HOLDS_SEAT))
            .group_by(Registration.event_id)
        ).all()
    )
    with_free_seats = {
        event_id
        for event_id, capacity in session.execute(
            select(HiringEvent.id, HiringEvent.capacity).where(
                HiringEvent.starts_at > now, HiringEvent.id.in_(sorted(waiting))
            )
        )
        if free_seats(capacity, held.get(event_id, 0)) > 0
    } if waiting else set()
    # Sorted: every process locks events in the same order.
    return sorted(overdue | with_free_seats)


def _checked_event_answers(event: Event, answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Only the event's own questions, and for a question with choices one of its values."""
    if answers is None:
        return {}
    if not isinstance(answers, Mapping):
        raise TypeError("answers must map question keys to answers")
    checked: dict[str, Any] = {}
    for key, value in answers.items():
        question = event.question(key)
        if question is None:
            raise ValueError(f"event {event.code} has no question {key!r}")
        if question.choices:
            if question.choice(value) is None:
                raise ValueError(f"answer to {key!r} is not one of the question's choices")
        elif not isinstance(value, str):
            raise ValueError(f"answer to {key!r} must be text")
        else:
            value = " ".join(value.split())[:ANSWER_TEXT_MAX]
        checked[key] = value
    return checked_json_document(checked, "answers")


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)[:CALENDAR_TOKEN_LENGTH]


def _new_confirmation_code() -> str:
    alphabet = CONFIRMATION_CODE_ALPHABET
    return "".join(secrets.choice(alphabet) for _ in range(CONFIRMATION_CODE_LENGTH))


def _copy_event_columns(row: HiringEvent, event: Event) -> None:
    row.starts_at = event.starts_at
    row.ends_at = event.ends_at
    row.capacity = event.capacity
    row.registration_opens_at = event.registration_opens_at
    row.registration_closes_at = event.registration_closes_at


# --- scheduled messages ----------------------------------------------------------------------


def _planned_message(
    session: Session, seeker_id: int, kind: str, registration_id: int | None
) -> ScheduledMessage | None:
    query = select(ScheduledMessage).where(ScheduledMessage.kind == kind)
    if registration_id is None:
        query = query.where(
            ScheduledMessage.seeker_id == seeker_id, ScheduledMessage.registration_id.is_(None)
        )
    else:
        query = query.where(ScheduledMessage.registration_id == registration_id)
    return session.execute(query).scalar_one_or_none()


def _cancel_pending_messages(session: Session, registration_id: int, now: datetime) -> int:
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


# --- records ---------------------------------------------------------------------------------


def _checked_now(moment: datetime) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("pass a timezone-aware datetime")
    return moment


def event_record(row: HiringEvent) -> EventRecord:
    """The record of a hiring_events row (also used by bot.store.report_queries)."""
    return EventRecord(
        id=row.id,
        code=row.code,
        event=event_from_document(row.definition),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _registration_record(session: Session, row: Registration) -> RegistrationRecord:
    # Both come from the session's identity map when already loaded in this transaction.
    event_row = session.get(HiringEvent, row.event_id)
    seeker = session.get(Seeker, row.seeker_id)
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


def _scheduled_record(row: ScheduledMessage, seeker: Seeker) -> ScheduledMessageRecord:
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
