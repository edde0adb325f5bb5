"""The seat rules, without a database (bot/hiring_events/seats.py)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.hiring_events.seats import free_seats, newcomer_gets_a_seat, offer_expires_at, offer_is_open, seats_to_offer

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
