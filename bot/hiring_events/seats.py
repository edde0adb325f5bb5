"""The seat rules of an event, pure: who gets a seat, how many are offered from the waitlist, and
how long an offer holds. The store (bot/store/hiring_event_store.py) counts the seats under the
event's lock and asks these.

`registered` and `offered` registrations hold a seat; `waitlisted` ones queue for one.
"""
from __future__ import annotations

from datetime import datetime, timedelta


def free_seats(capacity: int, seats_held: int) -> int:
    """Seats nobody holds; never below 0 (a re-import may lower the capacity under the seats
    already held: nobody is dropped, the event just takes no one new)."""
    return max(0, capacity - seats_held)


def newcomer_gets_a_seat(capacity: int, seats_held: int, waiting: int) -> bool:
    """A new registration takes a seat only when more seats are free than people wait for one:
    the waitlist is served first, in its order."""
    return free_seats(capacity, seats_held) > waiting


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
