"""RegistrationStore: registrations for hiring events, their seats and the waitlist, check-in and
outcomes. One transaction per call (or the caller's unit of work); frozen records out.

    registrations = RegistrationStore(make_engine())
    outcome = registrations.register("HHC", "twilio", "+13125550100", {"shift_preference": "morning"}, now)
    outcome.kind    # registered | already_registered | full | waitlisted | closed | ...

The decisions are the seat rules' (bot/hiring_events/seats.py, pure); this store counts, locks
and writes.

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

Ending a registration (cancel, decline, expiry) cancels its pending scheduled messages, and taking
an offered seat cancels the pending offer message, in the same transaction.
"""
from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Union

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.hiring_events import seats as seat_rules
from bot.hiring_events.model import WINDOW_PAST, Event, normalize_event_code, registration_window
from bot.store.hiring_event_rows import (
    EventRecord,
    RegistrationRecord,
    RegistrationWithEvent,
    cancel_pending_messages,
    checked_moment,
    count_in_status,
    count_registrations,
    event_record,
    locked_event,
    registration_record,
    seats_held,
)
from bot.store.intake_store import locked_seeker
from bot.store.models import HiringEvent, Registration, Seeker
from bot.store.timestamps import utc_now
from bot.store.transactions import Clock, TransactionalStore
from bot.store.validation import checked_address, checked_channel, checked_json_document
from bot.store.vocabulary import (
    CALENDAR_TOKEN_LENGTH,
    CONFIRMATION_CODE_ALPHABET,
    CONFIRMATION_CODE_LENGTH,
    REGISTRATION_ACTIVE,
    REGISTRATION_CANCELLED,
    REGISTRATION_EXPIRED,
    REGISTRATION_HOLDS_SEAT,
    REGISTRATION_OFFERED,
    REGISTRATION_OUTCOMES,
    REGISTRATION_REGISTERED,
    REGISTRATION_STATUSES,
    REGISTRATION_WAITLISTED,
)

logger = logging.getLogger(__name__)

# How long a waitlisted person has to accept a freed seat, unless the caller says otherwise.
DEFAULT_OFFER_TTL = timedelta(hours=24)
# A free-text answer to an event question is a short preference, not a place for documents.
ANSWER_TEXT_MAX = 200

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


class RegistrationStore(TransactionalStore):
    def __init__(self, engine: Engine, offer_ttl: timedelta = DEFAULT_OFFER_TTL, *, clock: Clock = utc_now) -> None:
        if offer_ttl <= timedelta(0):
            raise ValueError("offer_ttl must be positive")
        super().__init__(engine, clock=clock)
        self._offer_ttl = offer_ttl

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
        now = checked_moment(now)
        channel, address = checked_channel(channel), checked_address(address)
        with self._writing() as session:
            event_row = None
            if isinstance(code, str):
                event_row = locked_event(session, normalize_event_code(code))
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
            if existing is not None:
                returning = seat_rules.returning_seeker(existing.status, existing.offer_expires_at, now)
                if returning == "already_registered":
                    return RegistrationOutcome("already_registered", _loaded_record(session, existing), found_event)
                if returning == "already_waitlisted":
                    return RegistrationOutcome(
                        "already_waitlisted",
                        _loaded_record(session, existing),
                        found_event,
                        _waitlist_place(session, existing),
                    )
                if returning == "take_offered_seat":
                    _take_offered_seat(session, existing, now)
                    existing.answers = {**(existing.answers or {}), **answers}
                    return RegistrationOutcome("registered", _loaded_record(session, existing), found_event)
                # An offer nobody swept yet: it ends now; the seat it held goes to the queue.
                _end_registration(session, existing, REGISTRATION_EXPIRED, now)

            waiting = count_in_status(session, event_row.id, (REGISTRATION_WAITLISTED,))
            placement = seat_rules.newcomer_placement(
                window, event_row.capacity, seats_held(session, event_row.id), waiting, join_waitlist=join_waitlist
            )
            if placement == "registered":
                row = _insert_registration(session, event_row.id, seeker.id, REGISTRATION_REGISTERED, answers, now)
                return RegistrationOutcome("registered", _loaded_record(session, row), found_event)
            if placement != "waitlisted":
                return RegistrationOutcome(placement, event=found_event)
            row = _insert_registration(
                session,
                event_row.id,
                seeker.id,
                REGISTRATION_WAITLISTED,
                answers,
                now,
                waitlist_position=_next_waitlist_position(session, event_row.id),
            )
            return RegistrationOutcome("waitlisted", _loaded_record(session, row), found_event, waiting + 1)

    def cancel(
        self, registration: RegistrationRef, now: datetime, offer_ttl: timedelta | None = None
    ) -> CancelOutcome:
        """Cancel a registration, given its id or (event code, channel, address). A seat freed
        this way is offered to the next waitlisted person (returned in `promoted`), and the
        registration's pending reminders are cancelled."""
        now = checked_moment(now)
        ttl = self._ttl(offer_ttl)
        with self._writing() as session:
            row = self._find_registration(session, registration)
            if row is None:
                return CancelOutcome("not_found")
            event_row, row = _lock_event_and_registration(session, row)
            if row.status not in REGISTRATION_ACTIVE:
                return CancelOutcome("not_active", _loaded_record(session, row))
            _end_registration(session, row, REGISTRATION_CANCELLED, now)
            promoted = _offer_free_seats(session, event_row, now, ttl)
            logger.info("event %s: registration %d cancelled", event_row.code, row.id)
            return CancelOutcome(
                "cancelled",
                _loaded_record(session, row),
                tuple(_loaded_record(session, each) for each in promoted),
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
        now = checked_moment(now)
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
                tuple(_loaded_record(session, row) for row in expired),
                tuple(_loaded_record(session, row) for row in offers),
            )

    # --- reading registrations -------------------------------------------------------------

    def registrations_of(
        self, channel: str, address: str, now: datetime
    ) -> tuple[RegistrationWithEvent, ...]:
        """The seeker's active registrations (registered, waitlisted, offered) for events not
        over yet, soonest event first."""
        now = checked_moment(now)
        channel, address = checked_channel(channel), checked_address(address)
        with self._reading() as session:
            rows = session.execute(
                select(Registration, HiringEvent, Seeker)
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
                RegistrationWithEvent(registration_record(row, event_row, seeker), event_record(event_row))
                for row, event_row, seeker in rows
            )

    def get_registration(self, registration_id: int) -> RegistrationWithEvent | None:
        return self._one_with_event(Registration.id == registration_id)

    def find_by_code(self, confirmation_code: str) -> RegistrationWithEvent | None:
        """The registration with this confirmation code, typed in any case, with spaces or
        dashes; None if there is none."""
        code = normalize_confirmation_code(confirmation_code)
        if code is None:
            return None
        return self._one_with_event(Registration.confirmation_code == code)

    def find_by_calendar_token(self, token: str) -> RegistrationWithEvent | None:
        """The registration whose calendar link carries `token`; None if there is none."""
        if not token or len(token) != CALENDAR_TOKEN_LENGTH:
            return None
        return self._one_with_event(Registration.calendar_token == token)

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
            totals["attended"] = count_registrations(
                session, Registration.event_id == event_row.id, Registration.attended.is_(True)
            )
            totals["confirmed"] = count_registrations(
                session,
                Registration.event_id == event_row.id,
                Registration.status == REGISTRATION_REGISTERED,
                Registration.confirmed_at.is_not(None),
            )
            return totals

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

    # --- at and after the event ------------------------------------------------------------

    def confirm_attendance(self, registration_id: int, now: datetime) -> RegistrationRecord | None:
        """The seeker replied to a reminder that they are coming (kept the first time)."""
        now = checked_moment(now)
        with self._writing() as session:
            row = session.get(Registration, registration_id)
            if row is None:
                return None
            if seat_rules.confirms_attendance(row.status, row.confirmed_at):
                row.confirmed_at = now
                row.updated_at = now
            return _loaded_record(session, row)

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
            result = seat_rules.check_in(row.status, bool(row.attended))
            if result == "checked_in":
                row.attended = True
                row.updated_at = self._clock()
            return CheckInOutcome(result, _loaded_record(session, row))

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
            row.updated_at = checked_moment(now or self._clock())
            return _loaded_record(session, row)

    # --- internals -------------------------------------------------------------------------

    def _one_with_event(self, condition: Any) -> RegistrationWithEvent | None:
        with self._reading() as session:
            found = session.execute(
                select(Registration, HiringEvent, Seeker)
                .join(HiringEvent, HiringEvent.id == Registration.event_id)
                .join(Seeker, Seeker.id == Registration.seeker_id)
                .where(condition)
            ).one_or_none()
            if found is None:
                return None
            row, event_row, seeker = found
            return RegistrationWithEvent(registration_record(row, event_row, seeker), event_record(event_row))

    def _answer_offer(
        self, registration_id: int, now: datetime, offer_ttl: timedelta | None, accept: bool
    ) -> OfferOutcome:
        now = checked_moment(now)
        ttl = self._ttl(offer_ttl)
        with self._writing() as session:
            row = session.get(Registration, registration_id)
            if row is None:
                return OfferOutcome("not_found")
            event_row, row = _lock_event_and_registration(session, row)
            answer = seat_rules.answer_to_offer(row.status, row.offer_expires_at, now, accept=accept)
            if answer in ("already_registered", "not_offered"):
                return OfferOutcome(answer, _loaded_record(session, row))
            if answer == "registered":
                _take_offered_seat(session, row, now)
                return OfferOutcome(answer, _loaded_record(session, row))
            _end_registration(session, row, seat_rules.ended_status(answer), now)
            promoted = _offer_free_seats(session, event_row, now, ttl)
            return OfferOutcome(
                answer,
                _loaded_record(session, row),
                tuple(_loaded_record(session, each) for each in promoted),
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


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)[:CALENDAR_TOKEN_LENGTH]


# --- seats and the waitlist (all called with the event row locked) ---------------------------


def _loaded_record(session: Session, row: Registration) -> RegistrationRecord:
    """The record of a row this transaction already works on: its event and seeker come from the
    session's identity map when already loaded (they are, after the locks above)."""
    return registration_record(row, session.get(HiringEvent, row.event_id), session.get(Seeker, row.seeker_id))


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


def _active_registration(session: Session, event_id: int, seeker_id: int) -> Registration | None:
    return session.execute(
        select(Registration).where(
            Registration.event_id == event_id,
            Registration.seeker_id == seeker_id,
            Registration.status.in_(REGISTRATION_ACTIVE),
        )
    ).scalar_one_or_none()


def _waitlist_place(session: Session, row: Registration) -> int:
    ahead = count_registrations(
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
    cancel_pending_messages(session, row.id, now)


def _take_offered_seat(session: Session, row: Registration, now: datetime) -> None:
    row.status = REGISTRATION_REGISTERED
    row.updated_at = now
    session.flush()
    # Whatever was still waiting to go out about the offer ("a seat is free, reply YES") is stale.
    cancel_pending_messages(session, row.id, now)


def _offer_free_seats(
    session: Session, event_row: HiringEvent, now: datetime, ttl: timedelta
) -> list[Registration]:
    """Offer each free seat to the next waitlisted person; nothing once the event has started."""
    starts_at = event_row.starts_at
    if now >= starts_at:
        return []  # before counting: no seat is offered once the event has started
    offered = seat_rules.seats_to_offer(event_row.capacity, seats_held(session, event_row.id), starts_at, now)
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
        row.offer_expires_at = seat_rules.offer_expires_at(now, ttl, starts_at)
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
    waiting = dict(
        session.execute(
            select(Registration.event_id, func.count())
            .where(Registration.status == REGISTRATION_WAITLISTED)
            .group_by(Registration.event_id)
        ).all()
    )
    held = dict(
        session.execute(
            select(Registration.event_id, func.count())
            .where(Registration.status.in_(REGISTRATION_HOLDS_SEAT))
            .group_by(Registration.event_id)
        ).all()
    )
    candidates = sorted(overdue | set(waiting))
    if not candidates:
        return []
    events = session.execute(
        select(HiringEvent.id, HiringEvent.capacity, HiringEvent.starts_at).where(HiringEvent.id.in_(candidates))
    ).all()
    # Sorted: every process locks events in the same order.
    return sorted(
        event_id
        for event_id, capacity, starts_at in events
        if seat_rules.needs_a_sweep(
            event_id in overdue, waiting.get(event_id, 0), capacity, held.get(event_id, 0), starts_at, now
        )
    )


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


def _new_confirmation_code() -> str:
    alphabet = CONFIRMATION_CODE_ALPHABET
    return "".join(secrets.choice(alphabet) for _ in range(CONFIRMATION_CODE_LENGTH))
