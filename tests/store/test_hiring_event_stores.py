"""Hiring events in the database, across the three stores (EventCatalog, RegistrationStore,
ScheduledMessageStore): registering, the waitlist and seat offers, check-in, counts, the last seat
under real concurrency, and the durable schedule of messages. Every test runs on
SQLite and PostgreSQL (see conftest.py); tests share one database, so each uses its own event
codes and addresses."""
from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.hiring_events.model import Event, EventChoice, EventQuestion
from bot.store import MessageLog, make_engine
from bot.store.models import Registration
from bot.store.vocabulary import CONFIRMATION_CODE_ALPHABET, CONFIRMATION_CODE_LENGTH
from bot.store.registration_store import DEFAULT_OFFER_TTL, RegistrationStore, normalize_confirmation_code
from bot.store.scheduled_message_store import ScheduledMessageStore
from tests.hiring_event_stores import HiringEventStores

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
STARTS = NOW + timedelta(days=15)
HOUR = timedelta(hours=1)
TICK = timedelta(seconds=1)
TTL = timedelta(hours=12)

SHIFT = EventQuestion(
    "shift_preference",
    {"en": "Which shift?", "es": "¿Qué turno?"},
    (
        EventChoice("morning", {"en": "Morning", "es": "Mañana"}),
        EventChoice("evening", {"en": "Evening", "es": "Tarde"}),
        EventChoice("overnight", {"en": "Overnight", "es": "Madrugada"}),
    ),
)
COMMENTS = EventQuestion("comments", {"en": "Anything else?", "es": "¿Algo más?"})


def new_code() -> str:
    return "T" + uuid.uuid4().hex[:10].upper()


def new_address() -> str:
    return f"+1555{uuid.uuid4().int % 10**11:011d}"


def make_event(capacity: int = 10, starts_at: datetime = STARTS, **changes: Any) -> Event:
    fields: dict[str, Any] = {
        "code": new_code(),
        "name": {"en": "Test hiring event", "es": "Evento de contratación de prueba"},
        "sectors": ("hospitality",),
        "starts_at": starts_at,
        "ends_at": starts_at + 5 * HOUR,
        "venue": "Example Hall",
        "address": "100 Example Ave, Chicago, IL",
        "capacity": capacity,
        "questions": (SHIFT, COMMENTS),
    }
    fields.update(changes)
    return Event(**fields)


@pytest.fixture()
def events(engine: Engine) -> HiringEventStores:
    return HiringEventStores.on(engine, offer_ttl=TTL)


def stored(events: HiringEventStores, **changes: Any) -> Event:
    event = make_event(**changes)
    events.catalog.upsert_event(event, NOW)
    return event


def register_many(events: HiringEventStores, code: str, how_many: int, **options: Any) -> list[Any]:
    return [
        events.registrations.register(code, "twilio", new_address(), None, NOW, **options) for _ in range(how_many)
    ]


# --- events ----------------------------------------------------------------------------------


def test_an_event_is_created_then_reimported_idempotently(events: HiringEventStores) -> None:
    event = make_event()
    first, created = events.catalog.upsert_event(event, NOW)
    again, created_again = events.catalog.upsert_event(event, NOW + HOUR)
    assert (created, created_again) == (True, False)
    assert again.id == first.id and again.event == event
    assert again.updated_at == first.updated_at == NOW  # nothing changed, nothing touched

    renamed = Event(**{**event.__dict__, "name": {"en": "Renamed", "es": "Renombrado"}})
    updated, created_third = events.catalog.upsert_event(renamed, NOW + 2 * HOUR)
    assert created_third is False and updated.id == first.id
    assert updated.updated_at == NOW + 2 * HOUR
    assert events.catalog.get_event(event.code).event.name["en"] == "Renamed"


@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {lower} ", "#{code}"])
def test_an_event_is_found_by_its_code_as_seekers_type_it(events: HiringEventStores, typed: str) -> None:
    event = stored(events)
    found = events.catalog.get_event(typed.format(code=event.code, lower=event.code.lower()))
    assert found is not None and found.code == event.code


@pytest.mark.parametrize("typed", ["", "NOPE", "X" * 40, "1"])
def test_unknown_codes_find_nothing(events: HiringEventStores, typed: str) -> None:
    assert events.catalog.get_event(typed) is None


def test_upcoming_events_leave_out_past_and_closed_ones_and_filter_by_sector(events: HiringEventStores) -> None:
    soon = stored(events, starts_at=NOW + 2 * HOUR, sectors=("healthcare",))
    later = stored(events, starts_at=NOW + 30 * HOUR, sectors=("it", "hospitality"))
    not_open = stored(
        events, starts_at=NOW + 40 * HOUR, registration_opens_at=NOW + 20 * HOUR, sectors=("it",)
    )
    closed = stored(events, starts_at=NOW + 50 * HOUR, registration_closes_at=NOW - HOUR)
    under_way = stored(events, starts_at=NOW - HOUR)
    past = stored(events, starts_at=NOW - 30 * HOUR)
    mine = {event.code for event in (soon, later, not_open, closed, under_way, past)}

    def listed(sectors: set[str] | None) -> list[str]:
        return [record.code for record in events.catalog.list_upcoming(NOW, sectors) if record.code in mine]

    assert listed(None) == [soon.code, later.code, not_open.code]
    assert listed({"it"}) == [later.code, not_open.code]
    assert listed({"healthcare", "hospitality"}) == [soon.code, later.code]
    assert listed({"construction"}) == []


# --- registering -----------------------------------------------------------------------------


def test_registering_gives_a_seat_and_a_confirmation_code(events: HiringEventStores) -> None:
    event = stored(events)
    address = new_address()
    outcome = events.registrations.register(
        event.code.lower(), "twilio", address, {"shift_preference": "evening", "comments": "  wheelchair   access "}, NOW
    )
    assert outcome.kind == "registered"
    registration = outcome.registration
    assert registration.status == "registered" and registration.event_code == event.code
    assert (registration.channel, registration.address) == ("twilio", address)
    assert registration.answers == {"shift_preference": "evening", "comments": "wheelchair access"}
    assert len(registration.confirmation_code) == CONFIRMATION_CODE_LENGTH
    assert set(registration.confirmation_code) <= set(CONFIRMATION_CODE_ALPHABET)
    assert outcome.event.code == event.code


def test_registering_twice_says_already_registered(events: HiringEventStores) -> None:
    event = stored(events)
    address = new_address()
    first = events.registrations.register(event.code, "twilio", address, None, NOW)
    second = events.registrations.register(event.code, "twilio", address, {"shift_preference": "morning"}, NOW + HOUR)
    assert (first.kind, second.kind) == ("registered", "already_registered")
    assert second.registration.id == first.registration.id
    assert events.registrations.counts(event.code)["registered"] == 1


def test_the_same_address_on_another_channel_is_another_seeker(events: HiringEventStores) -> None:
    event = stored(events)
    address = new_address()
    kinds = [events.registrations.register(event.code, channel, address, None, NOW).kind for channel in ("twilio", "telegram")]
    assert kinds == ["registered", "registered"]


@pytest.mark.parametrize(
    "now_from_start, closes, opens, kind",
    [
        (-48 * HOUR, None, None, "registered"),
        (-TICK, None, None, "registered"),
        (timedelta(0), None, None, "closed"),  # no closing time: closes at the start
        (5 * HOUR - TICK, None, None, "closed"),
        (5 * HOUR, None, None, "past"),
        (-24 * HOUR - TICK, -24 * HOUR, None, "registered"),
        (-24 * HOUR, -24 * HOUR, None, "closed"),
        (-72 * HOUR - TICK, None, -72 * HOUR, "not_open_yet"),
        (-72 * HOUR, None, -72 * HOUR, "registered"),
    ],
)
def test_the_registration_window_at_its_edges(
    events: HiringEventStores,
    now_from_start: timedelta,
    closes: timedelta | None,
    opens: timedelta | None,
    kind: str,
) -> None:
    event = stored(
        events,
        registration_closes_at=STARTS + closes if closes is not None else None,
        registration_opens_at=STARTS + opens if opens is not None else None,
    )
    outcome = events.registrations.register(event.code, "twilio", new_address(), None, STARTS + now_from_start)
    assert outcome.kind == kind
    assert (outcome.registration is not None) == (kind == "registered")


def test_a_past_event_is_past_even_with_join_waitlist(events: HiringEventStores) -> None:
    event = stored(events, starts_at=NOW - 10 * HOUR)
    outcome = events.registrations.register(event.code, "twilio", new_address(), None, NOW, join_waitlist=True)
    assert outcome.kind == "past" and outcome.registration is None


def test_an_unknown_event_is_named_as_such(events: HiringEventStores) -> None:
    assert events.registrations.register("NOSUCHEVENT", "twilio", new_address(), None, NOW).kind == "unknown_event"


@pytest.mark.parametrize(
    "answers, error",
    [
        ({"favourite_colour": "red"}, "has no question 'favourite_colour'"),
        ({"shift_preference": "noon"}, "not one of the question's choices"),
        ({"comments": 42}, "must be text"),
    ],
)
def test_answers_must_fit_the_events_questions(events: HiringEventStores, answers: dict[str, Any], error: str) -> None:
    event = stored(events)
    with pytest.raises(ValueError, match=error):
        events.registrations.register(event.code, "twilio", new_address(), answers, NOW)
    assert events.registrations.counts(event.code)["registered"] == 0


def test_a_naive_clock_is_refused(events: HiringEventStores) -> None:
    event = stored(events)
    with pytest.raises(ValueError, match="timezone-aware"):
        events.registrations.register(event.code, "twilio", new_address(), None, datetime(2026, 11, 25, 12, 0))


# --- full events and the waitlist ------------------------------------------------------------


@pytest.mark.parametrize("capacity", [1, 3])
def test_a_full_event_says_full_and_waitlists_only_when_asked(events: HiringEventStores, capacity: int) -> None:
    event = stored(events, capacity=capacity)
    assert [o.kind for o in register_many(events, event.code, capacity)] == ["registered"] * capacity
    address = new_address()
    full = events.registrations.register(event.code, "twilio", address, None, NOW)
    assert full.kind == "full" and full.registration is None
    first = events.registrations.register(event.code, "twilio", address, None, NOW, join_waitlist=True)
    second = events.registrations.register(event.code, "twilio", new_address(), None, NOW, join_waitlist=True)
    again = events.registrations.register(event.code, "twilio", address, None, NOW, join_waitlist=True)
    assert (first.kind, first.waitlist_place) == ("waitlisted", 1)
    assert (second.kind, second.waitlist_place) == ("waitlisted", 2)
    assert (again.kind, again.waitlist_place, again.registration.id) == (
        "already_waitlisted", 1, first.registration.id
    )
    assert events.registrations.counts(event.code)["waitlisted"] == 2


def test_join_waitlist_takes_a_free_seat_when_there_is_one(events: HiringEventStores) -> None:
    event = stored(events, capacity=2)
    assert events.registrations.register(event.code, "twilio", new_address(), None, NOW, join_waitlist=True).kind == "registered"


def test_a_closed_event_offers_its_waitlist(events: HiringEventStores) -> None:
    event = stored(events, registration_closes_at=NOW - HOUR)
    assert events.registrations.register(event.code, "twilio", new_address(), None, NOW).kind == "closed"
    waitlisted = events.registrations.register(event.code, "twilio", new_address(), None, NOW, join_waitlist=True)
    assert waitlisted.kind == "waitlisted"


def test_cancelling_offers_the_seat_to_the_next_in_line(events: HiringEventStores) -> None:
    event = stored(events, capacity=1)
    (seated,) = register_many(events, event.code, 1)
    first, second = register_many(events, event.code, 2, join_waitlist=True)

    outcome = events.registrations.cancel(seated.registration.id, NOW + HOUR)

    assert outcome.kind == "cancelled" and outcome.registration.status == "cancelled"
    assert outcome.registration.cancelled_at == NOW + HOUR
    (offered,) = outcome.promoted
    assert offered.id == first.registration.id and offered.status == "offered"
    assert offered.offer_expires_at == NOW + HOUR + TTL
    # The offered seat is held: a newcomer and the second in line still find the event full.
    assert events.registrations.register(event.code, "twilio", new_address(), None, NOW + HOUR).kind == "full"
    assert events.registrations.counts(event.code) == {
        "registered": 0, "waitlisted": 1, "offered": 1, "cancelled": 1, "declined": 0,
        "expired": 0, "attended": 0, "confirmed": 0,
    }
    assert second.registration.id not in {each.id for each in outcome.promoted}


def test_cancelling_a_waitlisted_place_frees_no_seat(events: HiringEventStores) -> None:
    event = stored(events, capacity=1)
    register_many(events, event.code, 1)
    first, second = register_many(events, event.code, 2, join_waitlist=True)
    outcome = events.registrations.cancel(first.registration.id, NOW)
    assert outcome.kind == "cancelled" and outcome.promoted == ()
    assert events.registrations.register(event.code, "twilio", second.registration.address, None, NOW).waitlist_place == 1


@pytest.mark.parametrize(
    "hours_before_start, expected_expiry",
    [(48, NOW + TTL), (12, STARTS), (6, STARTS)],
)
def test_an_offer_never_outlasts_the_start(
    events: HiringEventStores, hours_before_start: int, expected_expiry: datetime
) -> None:
    event = stored(events, capacity=1)
    (seated,) = register_many(events, event.code, 1)
    register_many(events, event.code, 1, join_waitlist=True)
    now = STARTS - hours_before_start * HOUR
    cancel_at = now if hours_before_start != 48 else NOW
    (offered,) = events.registrations.cancel(seated.registration.id, cancel_at).promoted
    assert offered.offer_expires_at == expected_expiry


def test_no_seat_is_offered_once_the_event_has_started(events: HiringEventStores) -> None:
    event = stored(events, capacity=1, registration_closes_at=STARTS - HOUR)
    (seated,) = register_many(events, event.code, 1)
    register_many(events, event.code, 1, join_waitlist=True)
    outcome = events.registrations.cancel(seated.registration.id, STARTS + TICK)
    assert outcome.kind == "cancelled" and outcome.promoted == ()


@pytest.mark.parametrize("accepted_after", [timedelta(0), TTL - TICK])
def test_accepting_in_time_takes_the_seat(events: HiringEventStores, accepted_after: timedelta) -> None:
    event = stored(events, capacity=1)
    (seated,) = register_many(events, event.code, 1)
    (waiting,) = register_many(events, event.code, 1, join_waitlist=True)
    (offered,) = events.registrations.cancel(seated.registration.id, NOW).promoted
    outcome = events.registrations.accept_offer(offered.id, NOW + accepted_after)
    assert outcome.kind == "registered" and outcome.registration.status == "registered"
    assert outcome.registration.confirmation_code == waiting.registration.confirmation_code
    assert events.registrations.accept_offer(offered.id, NOW + accepted_after).kind == "already_registered"


@pytest.mark.parametrize("accepted_after", [TTL, TTL + HOUR])
def test_accepting_too_late_expires_and_moves_on(events: HiringEventStores, accepted_after: timedelta) -> None:
    event = stored(events, capacity=1)
    (seated,) = register_many(events, event.code, 1)
    first, second = register_many(events, event.code, 2, join_waitlist=True)
    (offered,) = events.registrations.cancel(seated.registration.id, NOW).promoted
    late = NOW + accepted_after
    outcome = events.registrations.accept_offer(offered.id, late)
    assert outcome.kind == "expired" and outcome.registration.status == "expired"
    (next_offer,) = outcome.promoted
    assert next_offer.id == second.registration.id
    assert next_offer.offer_expires_at == late + TTL


def test_declining_moves_the_seat_on(events: HiringEventStores) -> None:
    event = stored(events, capacity=1)
    (seated,) = register_many(events, event.code, 1)
    first, second = register_many(events, event.code, 2, join_waitlist=True)
    (offered,) = events.registrations.cancel(seated.registration.id, NOW).promoted
    outcome = events.registrations.decline_offer(offered.id, NOW + HOUR)
    assert outcome.kind == "declined" and outcome.registration.status == "declined"
    assert [each.id for each in outcome.promoted] == [second.registration.id]
    assert events.registrations.decline_offer(offered.id, NOW + HOUR).kind == "not_offered"
    assert events.registrations.accept_offer(seated.registration.id, NOW).kind == "not_offered"
    assert events.registrations.accept_offer(10**9, NOW).kind == "not_found"


def test_registering_again_with_a_live_offer_takes_the_seat(events: HiringEventStores) -> None:
    event = stored(events, capacity=1)
    (seated,) = register_many(events, event.code, 1)
    (waiting,) = register_many(events, event.code, 1, join_waitlist=True)
    events.registrations.cancel(seated.registration.id, NOW)
    outcome = events.registrations.register(
        event.code, "twilio", waiting.registration.address, {"shift_preference": "morning"}, NOW + HOUR
    )
    assert outcome.kind == "registered" and outcome.registration.id == waiting.registration.id
    assert outcome.registration.answers == {"shift_preference": "morning"}


def test_expire_offers_ends_overdue_offers_and_offers_the_seats_again(events: HiringEventStores) -> None:
    event = stored(events, capacity=2)
    seated = register_many(events, event.code, 2)
    waiting = register_many(events, event.code, 3, join_waitlist=True)
    for outcome in seated:
        events.registrations.cancel(outcome.registration.id, NOW)

    assert events.registrations.expire_offers(NOW + TTL - TICK).expired == ()
    swept = events.registrations.expire_offers(NOW + TTL)

    mine = {outcome.registration.id for outcome in waiting}
    assert sorted(r.id for r in swept.expired if r.id in mine) == sorted(
        outcome.registration.id for outcome in waiting[:2]
    )
    assert [r.id for r in swept.offers if r.id in mine] == [waiting[2].registration.id]
    assert events.registrations.counts(event.code)["expired"] == 2
    # Run again right away: nothing left to do for this event.
    again = events.registrations.expire_offers(NOW + TTL)
    assert not {r.id for r in again.expired + again.offers} & mine


def test_a_raised_capacity_is_handed_to_the_waitlist_by_the_sweep(events: HiringEventStores) -> None:
    event = stored(events, capacity=1)
    register_many(events, event.code, 1)
    waiting = register_many(events, event.code, 3, join_waitlist=True)
    events.catalog.upsert_event(Event(**{**event.__dict__, "capacity": 3}), NOW)
    # People are waiting, so a newcomer does not jump the queue for the new seats.
    assert events.registrations.register(event.code, "twilio", new_address(), None, NOW).kind == "full"
    swept = events.registrations.expire_offers(NOW)
    mine = [r.id for r in swept.offers if r.event_code == event.code]
    assert mine == [outcome.registration.id for outcome in waiting[:2]]


def test_a_lowered_capacity_drops_nobody(events: HiringEventStores) -> None:
    event = stored(events, capacity=3)
    register_many(events, event.code, 3)
    record, created = events.catalog.upsert_event(Event(**{**event.__dict__, "capacity": 1}), NOW)
    assert created is False and record.event.capacity == 1
    assert events.registrations.counts(event.code)["registered"] == 3
    assert events.registrations.register(event.code, "twilio", new_address(), None, NOW).kind == "full"


# --- listing and cancelling ------------------------------------------------------------------


def test_a_seeker_lists_and_cancels_their_registrations(events: HiringEventStores) -> None:
    address = new_address()
    later = stored(events, starts_at=STARTS + 48 * HOUR)
    sooner = stored(events, starts_at=STARTS)
    full = stored(events, capacity=1)
    over = stored(events, starts_at=NOW - 2 * HOUR, registration_closes_at=NOW - 3 * HOUR)
    for event in (later, sooner):
        assert events.registrations.register(event.code, "twilio", address, None, NOW).kind == "registered"
    register_many(events, full.code, 1)
    assert events.registrations.register(full.code, "twilio", address, None, NOW, join_waitlist=True).kind == "waitlisted"

    held = events.registrations.registrations_of("twilio", address, NOW)
    assert [(each.event.code, each.registration.status) for each in held] == [
        (sooner.code, "registered"), (full.code, "waitlisted"), (later.code, "registered"),
    ]
    assert held[0].event.event.venue == "Example Hall"

    outcome = events.registrations.cancel((sooner.code.lower(), "twilio", address), NOW)
    assert outcome.kind == "cancelled"
    assert [each.event.code for each in events.registrations.registrations_of("twilio", address, NOW)] == [
        full.code, later.code,
    ]
    assert events.registrations.cancel((sooner.code, "twilio", address), NOW).kind == "not_found"
    assert events.registrations.cancel(outcome.registration.id, NOW).kind == "not_active"
    assert events.registrations.cancel((over.code, "twilio", address), NOW).kind == "not_found"
    assert events.registrations.registrations_of("twilio", new_address(), NOW) == ()


def test_after_cancelling_one_can_register_again(events: HiringEventStores) -> None:
    event = stored(events)
    address = new_address()
    first = events.registrations.register(event.code, "twilio", address, None, NOW)
    events.registrations.cancel(first.registration.id, NOW)
    again = events.registrations.register(event.code, "twilio", address, None, NOW + HOUR)
    assert again.kind == "registered" and again.registration.id != first.registration.id
    assert again.registration.confirmation_code != first.registration.confirmation_code


def test_the_database_refuses_a_second_active_registration(engine: Engine, events: HiringEventStores) -> None:
    # The partial unique index is the last line: even code that skips the checks cannot do it.
    event = stored(events)
    held = events.registrations.register(event.code, "twilio", new_address(), None, NOW).registration
    with engine.begin() as connection, pytest.raises(IntegrityError):
        connection.execute(
            Registration.__table__.insert().values(
                event_id=held.event_id, seeker_id=held.seeker_id, status="waitlisted",
                confirmation_code="XXXXXX", answers={}, attended=False, created_at=NOW, updated_at=NOW,
            )
        )


# --- check-in, confirmation, outcome, counts -------------------------------------------------


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{spaced}", "{dashed}"])
def test_a_registration_is_found_by_its_confirmation_code(events: HiringEventStores, typed: str) -> None:
    event = stored(events)
    code = events.registrations.register(event.code, "twilio", new_address(), None, NOW).registration.confirmation_code
    text = typed.format(code=code, lower=code.lower(), spaced=f"{code[:3]} {code[3:]}", dashed=f"{code[:3]}-{code[3:]}")
    found = events.registrations.find_by_code(text)
    assert found is not None and found.registration.confirmation_code == code
    assert found.event.code == event.code


@pytest.mark.parametrize("typed", ["", "ABC", "OOOOOO", "ACDEFGH", "12345!"])
def test_impossible_confirmation_codes_find_nothing(events: HiringEventStores, typed: str) -> None:
    assert normalize_confirmation_code(typed) is None
    assert events.registrations.find_by_code(typed) is None
    assert events.registrations.check_in(typed).kind == "not_found"


def test_check_in_marks_attendance_once(events: HiringEventStores) -> None:
    event = stored(events, capacity=1)
    (seated,) = register_many(events, event.code, 1)
    (waiting,) = register_many(events, event.code, 1, join_waitlist=True)
    code = seated.registration.confirmation_code
    first = events.registrations.check_in(code.lower())
    assert first.kind == "checked_in" and first.registration.attended is True
    assert events.registrations.check_in(code).kind == "already_checked_in"
    assert events.registrations.check_in(waiting.registration.confirmation_code).kind == "not_registered"
    assert events.registrations.counts(event.code)["attended"] == 1


def test_confirming_attendance_keeps_the_first_time(events: HiringEventStores) -> None:
    event = stored(events)
    registration = events.registrations.register(event.code, "twilio", new_address(), None, NOW).registration
    assert events.registrations.confirm_attendance(registration.id, NOW + HOUR).confirmed_at == NOW + HOUR
    assert events.registrations.confirm_attendance(registration.id, NOW + 2 * HOUR).confirmed_at == NOW + HOUR
    assert events.registrations.counts(event.code)["confirmed"] == 1
    assert events.registrations.confirm_attendance(10**9, NOW) is None


@pytest.mark.parametrize("outcome", ["offer", "no_offer", "no_show"])
def test_the_outcome_is_recorded(events: HiringEventStores, outcome: str) -> None:
    event = stored(events)
    registration = events.registrations.register(event.code, "twilio", new_address(), None, NOW).registration
    assert events.registrations.record_outcome(registration.id, outcome).outcome == outcome
    assert events.registrations.get_registration(registration.id).registration.outcome == outcome


def test_an_unknown_outcome_is_refused(events: HiringEventStores) -> None:
    with pytest.raises(ValueError, match="outcome must be one of"):
        events.registrations.record_outcome(1, "hired!")


def test_counts_of_an_unknown_event_are_none(events: HiringEventStores) -> None:
    assert events.registrations.counts("NOSUCHEVENT") is None


# --- the last seat, with real concurrency ----------------------------------------------------


def _run_at_once(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Runs every job in its own thread, all released at the same instant; returns the results
    (or the exceptions) in job order."""
    results: list[Any] = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = jobs[index]()
        except BaseException as error:  # reported by the caller
            results[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a registration never finished"
    return results


def _with_own_engines(
    db_url: str, how_many: int, work: Callable[[Any, int], Any], store: Callable[[Engine], Any] | None = None
) -> list[Any]:
    """Each job gets its own engine, so its own connection, as a separate process would; and its
    own store on it (a RegistrationStore unless `store` builds another)."""
    engines = [make_engine(db_url) for _ in range(how_many)]
    try:
        stores = [store(each) if store else RegistrationStore(each, offer_ttl=TTL) for each in engines]
        return _run_at_once([lambda s=s, n=n: work(s, n) for n, s in enumerate(stores)])
    finally:
        for each in engines:
            each.dispose()


def _registered_in_database(engine: Engine, code: str) -> int:
    counts = RegistrationStore(engine).counts(code)
    return counts["registered"] + counts["offered"]


@pytest.mark.parametrize("capacity, registrants", [(1, 2), (1, 8), (10, 30)])
def test_the_last_seat_goes_to_exactly_one(
    db_url: str, engine: Engine, events: HiringEventStores, capacity: int, registrants: int
) -> None:
    event = stored(events, capacity=capacity)
    addresses = [new_address() for _ in range(registrants)]
    results = _with_own_engines(
        db_url, registrants, lambda store, n: store.register(event.code, "twilio", addresses[n], None, NOW)
    )
    assert not [result for result in results if isinstance(result, BaseException)], results
    kinds = Counter(result.kind for result in results)
    assert kinds == {"registered": capacity, "full": registrants - capacity}
    assert _registered_in_database(engine, event.code) == capacity
    codes = [result.registration.confirmation_code for result in results if result.registration]
    assert len(set(codes)) == capacity


def test_a_crowd_joining_the_waitlist_gets_distinct_places(
    db_url: str, engine: Engine, events: HiringEventStores
) -> None:
    event = stored(events, capacity=1)
    register_many(events, event.code, 1)
    results = _with_own_engines(
        db_url, 12,
        lambda store, n: store.register(event.code, "twilio", new_address(), None, NOW, join_waitlist=True),
    )
    assert not [result for result in results if isinstance(result, BaseException)], results
    assert all(result.kind == "waitlisted" for result in results), results
    positions = sorted(result.registration.waitlist_position for result in results)
    assert positions == list(range(1, 13))
    assert _registered_in_database(engine, event.code) == 1


def test_the_same_seeker_registering_twice_at_once_holds_one_seat(
    db_url: str, engine: Engine, events: HiringEventStores
) -> None:
    event = stored(events)
    address = new_address()
    results = _with_own_engines(
        db_url, 4, lambda store, n: store.register(event.code, "twilio", address, None, NOW)
    )
    assert not [result for result in results if isinstance(result, BaseException)], results
    assert sorted(result.kind for result in results) == ["already_registered"] * 3 + ["registered"]
    assert _registered_in_database(engine, event.code) == 1


def test_a_cancellation_racing_a_newcomer_gives_the_seat_to_the_waitlist(
    db_url: str, events: HiringEventStores
) -> None:
    event = stored(events, capacity=1)
    (seated,) = register_many(events, event.code, 1)
    (waiting,) = register_many(events, event.code, 1, join_waitlist=True)
    newcomer = new_address()
    cancelled, arrived = _with_own_engines(
        db_url,
        2,
        lambda store, n: store.cancel(seated.registration.id, NOW)
        if n == 0
        else store.register(event.code, "twilio", newcomer, None, NOW),
    )
    assert cancelled.kind == "cancelled" and arrived.kind == "full"
    assert [each.id for each in cancelled.promoted] == [waiting.registration.id]


# --- scheduled messages ----------------------------------------------------------------------


def _reminder_for(events: HiringEventStores, due_at: datetime, kind: str = "reminder_2d") -> Any:
    event = stored(events)
    registration = events.registrations.register(event.code, "twilio", new_address(), None, NOW).registration
    return registration, events.scheduled.schedule(
        kind, "twilio", registration.address, due_at, due_at + HOUR, registration.id
    )


def test_scheduling_is_idempotent_on_registration_and_kind(events: HiringEventStores) -> None:
    registration, first = _reminder_for(events, NOW + HOUR)
    again = events.scheduled.schedule("reminder_2d", "twilio", registration.address, NOW + 2 * HOUR, NOW + 3 * HOUR, registration.id)
    other_kind = events.scheduled.schedule("reminder_2h", "twilio", registration.address, NOW + 2 * HOUR, NOW + 3 * HOUR, registration.id)
    assert again.id == first.id and again.due_at == NOW + HOUR  # the first plan stands
    assert other_kind.id != first.id
    assert first.status == "pending" and first.registration_id == registration.id


def test_a_message_tied_to_no_registration_goes_once_per_seeker_and_kind(events: HiringEventStores) -> None:
    address, other = new_address(), new_address()
    first = events.scheduled.schedule("nudge", "twilio", address, NOW + HOUR, NOW + 2 * HOUR)
    again = events.scheduled.schedule("nudge", "twilio", address, NOW + 5 * HOUR, NOW + 6 * HOUR)
    someone_else = events.scheduled.schedule("nudge", "twilio", other, NOW + HOUR, NOW + 2 * HOUR)
    assert again.id == first.id and someone_else.id != first.id
    assert first.registration_id is None and first.address == address


@pytest.mark.parametrize(
    "kind, due, deadline, registration, error",
    [
        ("Reminder!", NOW, NOW, None, "kind must be"),
        ("nudge", NOW + HOUR, NOW, None, "deadline is before due_at"),
        ("nudge", datetime(2026, 11, 25), NOW, None, "timezone-aware"),
        ("reminder_2d", NOW, NOW, "someone else's", "not a registration of this seeker"),
    ],
)
def test_bad_schedules_are_refused(
    events: HiringEventStores, kind: str, due: datetime, deadline: datetime, registration: str | None, error: str
) -> None:
    registration_id = None
    if registration:
        event = stored(events)
        registration_id = events.registrations.register(event.code, "twilio", new_address(), None, NOW).registration.id
    with pytest.raises(ValueError, match=error):
        events.scheduled.schedule(kind, "twilio", new_address(), due, deadline, registration_id)


# Claims take every due row in the shared database; these tests schedule theirs in eras no other
# test uses, and only look at their own rows.
ERA_LIMIT = datetime(1981, 1, 1, tzinfo=timezone.utc)
ERA_THREADS = datetime(1982, 1, 1, tzinfo=timezone.utc)


def test_claims_take_due_messages_earliest_first_up_to_the_limit(events: HiringEventStores) -> None:
    planned = [
        events.scheduled.schedule("nudge", "twilio", new_address(), ERA_LIMIT + offset * HOUR, ERA_LIMIT + 9 * HOUR)
        for offset in (2, 0, 1, 5)
    ]
    claims = events.scheduled.claim_due(ERA_LIMIT + 2 * HOUR, limit=2)
    assert [claim.message.id for claim in claims] == [planned[1].id, planned[2].id]
    assert all(claim.message.status == "sending" for claim in claims)
    rest = events.scheduled.claim_due(ERA_LIMIT + 2 * HOUR, limit=10)
    assert [claim.message.id for claim in rest] == [planned[0].id]  # the 5-hour one is not due
    assert events.scheduled.claim_due(ERA_LIMIT + 2 * HOUR, limit=10) == []
    assert events.scheduled.get_scheduled(planned[3].id).status == "pending"


def test_concurrent_claimers_never_share_a_message(db_url: str, events: HiringEventStores) -> None:
    planned = {
        events.scheduled.schedule("nudge", "twilio", new_address(), ERA_THREADS + n * TICK, ERA_THREADS + HOUR).id
        for n in range(40)
    }
    results = _with_own_engines(
        db_url, 6, lambda store, n: [c.message.id for c in store.claim_due(ERA_THREADS + HOUR, limit=15)],
        ScheduledMessageStore,
    )
    assert not [result for result in results if isinstance(result, BaseException)], results
    claimed = [message_id for result in results for message_id in result if message_id in planned]
    assert len(claimed) == len(set(claimed))  # nobody claimed a message twice
    # Six claimers of 15 each could take 90: every one of the 40 was claimed by someone.
    assert set(claimed) == planned


def test_a_claimed_message_is_finished_one_way(events: HiringEventStores, engine: Engine) -> None:
    registration, planned = _reminder_for(events, NOW - HOUR)
    (claim,) = [c for c in events.scheduled.claim_due(NOW) if c.message.id == planned.id]
    assert claim.language is None and claim.recipient_opted_out is False
    outbound = MessageLog(engine).enqueue("twilio", registration.address, "Reminder")
    sent = events.scheduled.mark_sent(planned.id, outbound.id)
    assert (sent.status, sent.sent_message_id) == ("sent", outbound.id)
    assert [c for c in events.scheduled.claim_due(NOW) if c.message.id == planned.id] == []
    with pytest.raises(ValueError, match="is sent, not sending"):
        events.scheduled.mark_sent(planned.id, outbound.id)


def test_a_skipped_message_keeps_its_reason(events: HiringEventStores) -> None:
    _, planned = _reminder_for(events, NOW - HOUR)
    skipped = events.scheduled.mark_skipped(planned.id, "quiet hours past deadline")
    assert (skipped.status, skipped.skip_reason) == ("skipped", "quiet hours past deadline")
    assert events.scheduled.mark_skipped(planned.id, "again").skip_reason == "quiet hours past deadline"


def test_a_rescheduled_message_waits_again(events: HiringEventStores) -> None:
    _, planned = _reminder_for(events, NOW - 2 * HOUR)
    assert [c for c in events.scheduled.claim_due(NOW) if c.message.id == planned.id]
    later = NOW - timedelta(minutes=90)  # still before the deadline, NOW - 1 hour
    moved = events.scheduled.reschedule(planned.id, later)
    assert (moved.status, moved.due_at) == ("pending", later)
    assert not [c for c in events.scheduled.claim_due(later - TICK) if c.message.id == planned.id]
    assert [c for c in events.scheduled.claim_due(NOW) if c.message.id == planned.id]
    with pytest.raises(ValueError, match="after the message's deadline"):
        events.scheduled.reschedule(planned.id, planned.deadline + TICK)


def test_cancelling_a_registration_cancels_its_pending_messages(events: HiringEventStores) -> None:
    registration, planned = _reminder_for(events, NOW + HOUR)
    other = events.scheduled.schedule("reminder_2h", "twilio", registration.address, NOW + 2 * HOUR, NOW + 3 * HOUR, registration.id)
    events.registrations.cancel(registration.id, NOW)
    assert [each.status for each in events.scheduled.scheduled_for_registration(registration.id)] == [
        "cancelled", "cancelled",
    ]
    assert {planned.id, other.id} == {each.id for each in events.scheduled.scheduled_for_registration(registration.id)}
    assert events.scheduled.cancel_for_registration(registration.id) == 0


def test_cancel_for_registration_counts_what_it_cancelled(events: HiringEventStores) -> None:
    registration, _ = _reminder_for(events, NOW + HOUR)
    events.scheduled.schedule("followup", "twilio", registration.address, NOW + 9 * HOUR, NOW + 99 * HOUR, registration.id)
    assert events.scheduled.cancel_for_registration(registration.id) == 2


def test_a_message_about_an_ended_registration_is_skipped_at_claim(engine: Engine, events: HiringEventStores) -> None:
    registration, planned = _reminder_for(events, NOW - HOUR)
    # Ended behind the store's back (so its pending messages were not cancelled).
    with engine.begin() as connection:
        connection.execute(
            update(Registration).where(Registration.id == registration.id).values(status="cancelled")
        )
    assert not [c for c in events.scheduled.claim_due(NOW) if c.message.id == planned.id]
    skipped = events.scheduled.get_scheduled(planned.id)
    assert (skipped.status, skipped.skip_reason) == ("skipped", "registration_ended")


def test_taking_an_offered_seat_cancels_the_pending_offer_message(events: HiringEventStores) -> None:
    event = stored(events, capacity=1)
    (seated,) = register_many(events, event.code, 1)
    register_many(events, event.code, 1, join_waitlist=True)
    (offered,) = events.registrations.cancel(seated.registration.id, NOW).promoted
    offer_message = events.scheduled.schedule("offer", "twilio", offered.address, NOW + HOUR, NOW + TTL, offered.id)
    events.registrations.accept_offer(offered.id, NOW + 30 * timedelta(minutes=1))
    assert events.scheduled.get_scheduled(offer_message.id).status == "cancelled"


def test_after_a_crash_messages_left_sending_are_never_sent_again(
    db_url: str, events: HiringEventStores
) -> None:
    _, planned = _reminder_for(events, NOW - HOUR)
    crashed_engine = make_engine(db_url)
    try:
        # A process claims it and dies before recording the outcome.
        assert [c for c in ScheduledMessageStore(crashed_engine).claim_due(NOW) if c.message.id == planned.id]
    finally:
        crashed_engine.dispose()

    assert events.scheduled.recover_after_crash() >= 1
    recovered = events.scheduled.get_scheduled(planned.id)
    assert (recovered.status, recovered.skip_reason) == ("skipped", "interrupted")
    assert not [c for c in events.scheduled.claim_due(NOW + 99 * HOUR) if c.message.id == planned.id]
    # If the dead process did send it and reports so later, the truth is recorded.
    assert events.scheduled.mark_sent(planned.id, None).status == "sent"


def test_scheduled_rows_survive_a_new_store(db_url: str, events: HiringEventStores) -> None:
    # "Restart": a fresh engine and store see the same pending plan.
    _, planned = _reminder_for(events, NOW + 5 * HOUR)
    restarted_engine = make_engine(db_url)
    try:
        seen = ScheduledMessageStore(restarted_engine).get_scheduled(planned.id)
    finally:
        restarted_engine.dispose()
    assert seen == planned


def test_default_offer_ttl_is_a_day() -> None:
    assert DEFAULT_OFFER_TTL == timedelta(hours=24)
    with pytest.raises(ValueError):
        RegistrationStore(make_engine("sqlite://"), offer_ttl=timedelta(0))
