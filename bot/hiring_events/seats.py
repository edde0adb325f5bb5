"""The seat rules of an event, pure: who gets a seat, what a returning seeker's registration
becomes, how many are offered from the waitlist, how long an offer holds, what answering an offer
does, and who may be checked in. The registration store (bot/store/registration_store.py) counts
the seats under the event's lock and asks these.

`registered` and `offered` registrations hold a seat; `waitlisted` ones queue for one. The
status names are defined here, once; the store's vocabulary and its CHECK constraints use them.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from bot.hiring_events.model import WINDOW_CLOSED, WINDOW_NOT_OPEN_YET, WINDOW_OPEN

# Registration lifecycle. registered / waitlisted / offered are "active": at most one per seeker
# and event (a partial unique index). registered and offered hold a seat: an offered seat is
# kept for the waitlisted person it was offered to until they answer or the offer expires.
REGISTRATION_REGISTERED = "registered"
REGISTRATION_WAITLISTED = "waitlisted"
REGISTRATION_OFFERED = "offered"
REGISTRATION_CANCELLED = "cancelled"
REGISTRATION_DECLINED = "declined"
REGISTRATION_EXPIRED = "expired"
REGISTRATION_STATUSES = (
    REGISTRATION_REGISTERED,
    REGISTRATION_WAITLISTED,
    REGISTRATION_OFFERED,
    REGISTRATION_CANCELLED,
    REGISTRATION_DECLINED,
    REGISTRATION_EXPIRED,
)
REGISTRATION_ACTIVE = (REGISTRATION_REGISTERED, REGISTRATION_WAITLISTED, REGISTRATION_OFFERED)
REGISTRATION_HOLDS_SEAT = (REGISTRATION_REGISTERED, REGISTRATION_OFFERED)

# What registering again does to the seeker's active registration for the same event.
ReturningKind = Literal["already_registered", "already_waitlisted", "take_offered_seat", "end_stale_offer"]
# Where a seeker with no active registration for the event ends up.
PlacementKind = Literal["registered", "waitlisted", "full", "closed", "not_open_yet"]
OfferAnswerKind = Literal["registered", "already_registered", "declined", "expired", "not_offered"]
CheckInKind = Literal["checked_in", "already_checked_in", "not_registered"]


def free_seats(capacity: int, seats_held: int) -> int:
    """Seats nobody holds; never below 0 (a re-import may lower the capacity under the seats
    already held: nobody is dropped, the event just takes no one new)."""
    return max(0, capacity - seats_held)


def newcomer_gets_a_seat(capacity: int, seats_held: int, waiting: int) -> bool:
    """A new registration takes a seat only when more seats are free than people wait for one:
    the waitlist is served first, in its order."""
    return free_seats(capacity, seats_held) > waiting


def returning_seeker(status: str, offer_expires_at: datetime | None, now: datetime) -> ReturningKind:
    """The seeker registers again while holding an active registration (`status`): a seat or a
    place is kept as it is; a still-open offer is taken; an offer past its time (not swept yet)
    ends now, and the seeker is placed as a newcomer."""
    if status == REGISTRATION_REGISTERED:
        return "already_registered"
    if status == REGISTRATION_WAITLISTED:
        return "already_waitlisted"
    if offer_expires_at is not None and offer_is_open(offer_expires_at, now):
        return "take_offered_seat"
    return "end_stale_offer"


def newcomer_placement(
    window: str, capacity: int, seats_held: int, waiting: int, *, join_waitlist: bool
) -> PlacementKind:
    """Where a new registration goes, given the registration window (not past: a past event
    takes no one, not even on its waitlist) and the seats counted under the event's lock.

    A full event, or one whose registration has closed, answers "full"/"closed" unless the
    seeker asked to join the waitlist."""
    if window == WINDOW_NOT_OPEN_YET:
        return "not_open_yet"
    if window == WINDOW_OPEN and newcomer_gets_a_seat(capacity, seats_held, waiting):
        return "registered"
    if join_waitlist:
        return "waitlisted"
    return "closed" if window == WINDOW_CLOSED else "full"


def seats_to_offer(capacity: int, seats_held: int, starts_at: datetime, now: datetime) -> int:
    """How many people from the waitlist get an offer now: every free seat, none once the event
    has started (nobody could still take it in time)."""
    if now >= starts_at:
        return 0
    return free_seats(capacity, seats_held)


def offer_expires_at(now: datetime, offer_ttl: timedelta, starts_at: datetime) -> datetime:
    """An offer holds for `offer_ttl`, never past the start: holding a seat after it would keep
    it from anyone who could still come."""
    return min(now + offer_ttl, starts_at)


def offer_is_open(expires_at: datetime, now: datetime) -> bool:
    return now < expires_at


def answer_to_offer(status: str, offer_expires_at: datetime | None, now: datetime, *, accept: bool) -> OfferAnswerKind:
    """What the seeker's yes or no to a seat offer does: "registered" takes the seat; "declined"
    and "expired" end the registration (declined or expired) and free the seat for the next in
    line. A yes after the offer's time is "expired"."""
    if status == REGISTRATION_REGISTERED:
        return "already_registered"
    if status != REGISTRATION_OFFERED:
        return "not_offered"
    still_open = offer_expires_at is not None and offer_is_open(offer_expires_at, now)
    if accept and still_open:
        return "registered"
    return "declined" if still_open else "expired"


def ended_status(answer: OfferAnswerKind) -> str:
    """The status an offer answered "declined" or "expired" leaves the registration in."""
    return REGISTRATION_EXPIRED if answer == "expired" else REGISTRATION_DECLINED


def check_in(status: str, attended: bool) -> CheckInKind:
    """At the door: only a registered seat is checked in, and only once."""
    if status != REGISTRATION_REGISTERED:
        return "not_registered"
    return "already_checked_in" if attended else "checked_in"


def confirms_attendance(status: str, confirmed_at: datetime | None) -> bool:
    """A yes to a reminder is kept for a registered seat, the first time only."""
    return status == REGISTRATION_REGISTERED and confirmed_at is None


def needs_a_sweep(
    has_overdue_offer: bool, waiting: int, capacity: int, seats_held: int, starts_at: datetime, now: datetime
) -> bool:
    """Whether the periodic sweep must lock the event: an offer past its time ends, or someone
    waits while a seat is free before the start (a capacity raised by a re-import)."""
    return has_overdue_offer or (waiting > 0 and seats_to_offer(capacity, seats_held, starts_at, now) > 0)
