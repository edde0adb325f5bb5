"""The seat rules, without a database (bot/hiring_events/seats.py)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.hiring_events.seats import (
    answer_to_offer,
    check_in,
    confirms_attendance,
    ended_status,
    free_seats,
    needs_a_sweep,
    newcomer_gets_a_seat,
    newcomer_placement,
    offer_expires_at,
    offer_is_open,
    returning_seeker,
    seats_to_offer,
)

START = datetime(2031, 5, 20, 14, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)


@pytest.mark.parametrize("capacity, held, expected", [(10, 0, 10), (10, 9, 1), (10, 10, 0), (5, 8, 0)])
def test_free_seats_never_go_below_none(capacity, held, expected):
    assert free_seats(capacity, held) == expected


@pytest.mark.parametrize(
    "capacity, held, waiting, expected",
    [
        (10, 9, 0, True),  # the last seat, nobody waiting
        (10, 10, 0, False),  # full
        (10, 9, 1, False),  # one seat free, but someone waits for it
        (10, 8, 1, True),  # two free, one waiting: one is left for the newcomer
        (5, 8, 0, False),  # capacity lowered under the seats held
    ],
)
def test_a_newcomer_takes_a_seat_only_after_everyone_waiting(capacity, held, waiting, expected):
    assert newcomer_gets_a_seat(capacity, held, waiting) is expected


@pytest.mark.parametrize(
    "capacity, held, now, expected",
    [
        (10, 7, START - DAY, 3),
        (10, 10, START - DAY, 0),
        (10, 7, START, 0),  # started: nobody could take it in time
        (10, 7, START + DAY, 0),
        (5, 8, START - DAY, 0),
    ],
)
def test_free_seats_are_offered_until_the_start(capacity, held, now, expected):
    assert seats_to_offer(capacity, held, START, now) == expected


@pytest.mark.parametrize(
    "now, ttl, expected",
    [
        (START - 3 * DAY, DAY, START - 2 * DAY),
        (START - timedelta(hours=2), DAY, START),  # capped at the start
        (START - DAY, DAY, START),
    ],
)
def test_an_offer_holds_for_its_time_never_past_the_start(now, ttl, expected):
    assert offer_expires_at(now, ttl, START) == expected


@pytest.mark.parametrize(
    "now, expected",
    [(START - timedelta(seconds=1), True), (START, False), (START + timedelta(seconds=1), False)],
)
def test_an_offer_is_open_until_the_instant_it_expires(now, expected):
    assert offer_is_open(START, now) is expected


@pytest.mark.parametrize(
    "status, expires, now, expected",
    [
        ("registered", None, START - DAY, "already_registered"),
        ("waitlisted", None, START - DAY, "already_waitlisted"),
        ("offered", START - DAY, START - 2 * DAY, "take_offered_seat"),  # the offer still holds
        ("offered", START - DAY, START - DAY, "end_stale_offer"),  # its last instant has passed
        ("offered", START - DAY, START - timedelta(hours=1), "end_stale_offer"),
    ],
)
def test_registering_again_keeps_a_seat_or_a_place_and_takes_a_live_offer(status, expires, now, expected):
    assert returning_seeker(status, expires, now) == expected


@pytest.mark.parametrize(
    "window, capacity, held, waiting, join_waitlist, expected",
    [
        ("open", 10, 3, 0, False, "registered"),
        ("open", 10, 3, 0, True, "registered"),  # asked for the waitlist, but a seat is free
        ("open", 10, 9, 1, False, "full"),  # the one free seat is the waiting person's
        ("open", 10, 9, 1, True, "waitlisted"),
        ("open", 10, 10, 0, False, "full"),
        ("open", 5, 8, 0, True, "waitlisted"),  # capacity lowered under the seats held
        ("closed", 10, 0, 0, False, "closed"),  # closed takes no one new, even with seats free
        ("closed", 10, 0, 0, True, "waitlisted"),
        ("not_open_yet", 10, 0, 0, True, "not_open_yet"),
    ],
)
def test_where_a_newcomer_goes(window, capacity, held, waiting, join_waitlist, expected):
    assert newcomer_placement(window, capacity, held, waiting, join_waitlist=join_waitlist) == expected


@pytest.mark.parametrize(
    "status, expires, now, accept, expected",
    [
        ("offered", START - DAY, START - 2 * DAY, True, "registered"),
        ("offered", START - DAY, START - 2 * DAY, False, "declined"),
        ("offered", START - DAY, START - DAY, True, "expired"),  # a yes too late
        ("offered", START - DAY, START - timedelta(hours=2), False, "expired"),  # a no too late is no decline
        ("registered", None, START - DAY, True, "already_registered"),
        ("waitlisted", None, START - DAY, True, "not_offered"),
        ("cancelled", None, START - DAY, False, "not_offered"),
    ],
)
def test_answering_an_offer(status, expires, now, accept, expected):
    assert answer_to_offer(status, expires, now, accept=accept) == expected


@pytest.mark.parametrize("answer, status", [("declined", "declined"), ("expired", "expired")])
def test_an_unanswered_or_declined_offer_ends_the_registration_so(answer, status):
    assert ended_status(answer) == status


@pytest.mark.parametrize(
    "status, attended, expected",
    [
        ("registered", False, "checked_in"),
        ("registered", True, "already_checked_in"),
        ("waitlisted", False, "not_registered"),
        ("offered", False, "not_registered"),
        ("cancelled", True, "not_registered"),
    ],
)
def test_only_a_registered_seat_is_checked_in_and_once(status, attended, expected):
    assert check_in(status, attended) == expected


@pytest.mark.parametrize(
    "status, confirmed_at, expected",
    [("registered", None, True), ("registered", START - DAY, False), ("waitlisted", None, False)],
)
def test_a_yes_to_a_reminder_is_kept_the_first_time(status, confirmed_at, expected):
    assert confirms_attendance(status, confirmed_at) is expected


@pytest.mark.parametrize(
    "overdue, waiting, capacity, held, now, expected",
    [
        (True, 0, 10, 10, START + DAY, True),  # an overdue offer ends even after the start
        (False, 0, 10, 3, START - DAY, False),  # free seats, nobody waiting
        (False, 2, 10, 10, START - DAY, False),  # people waiting, no seat free
        (False, 2, 12, 10, START - DAY, True),  # a raised capacity: hand the seats on
        (False, 2, 12, 10, START, False),  # but not once the event has started
    ],
)
def test_the_sweep_looks_at_an_event_only_when_there_is_something_to_do(overdue, waiting, capacity, held, now, expected):
    assert needs_a_sweep(overdue, waiting, capacity, held, START, now) is expected
