"""The Event value: its checks, its registration window at every boundary, its link and JSON."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from bot.hiring_events.model import (
    EVENT_ZONE,
    Event,
    EventChoice,
    EventQuestion,
    code_candidates,
    InvalidEvent,
    event_from_document,
    event_to_document,
    is_offerable,
    localized,
    registration_deadline,
    registration_window,
    telegram_deep_link,
)

STARTS = datetime(2026, 12, 10, 10, 0, tzinfo=EVENT_ZONE)
ENDS = datetime(2026, 12, 10, 15, 0, tzinfo=EVENT_ZONE)
OPENS = datetime(2026, 11, 1, 9, 0, tzinfo=EVENT_ZONE)
CLOSES = datetime(2026, 12, 9, 17, 0, tzinfo=EVENT_ZONE)
TICK = timedelta(seconds=1)

SHIFT = EventQuestion(
    key="shift_preference",
    prompt={"en": "Which shift?", "es": "¿Qué turno?"},
    choices=(
        EventChoice("morning", {"en": "Morning", "es": "Mañana"}),
        EventChoice("evening", {"en": "Evening", "es": "Tarde"}),
    ),
)


def make_event(**changes: Any) -> Event:
    fields: dict[str, Any] = {
        "code": "HHC",
        "name": {"en": "Hospitality Hires Chicago", "es": "Hospitality Hires Chicago (feria)"},
        "sectors": ("hospitality",),
        "starts_at": STARTS,
        "ends_at": ENDS,
        "venue": "Example Hall",
        "address": "100 Example Ave, Chicago, IL",
        "capacity": 300,
        "registration_opens_at": OPENS,
        "registration_closes_at": CLOSES,
        "eligibility": {"en": "18+", "es": "18 años o más"},
        "min_age": 18,
        "bring": {"en": "Photo ID", "es": "Identificación con foto"},
        "questions": (SHIFT,),
    }
    fields.update(changes)
    return Event(**fields)


def test_a_valid_event_keeps_its_values() -> None:
    event = make_event(code=" hhc ")
    assert event.code == "HHC"
    assert event.question("shift_preference") is SHIFT
    assert event.question("missing") is None
    assert SHIFT.choice("evening").title["es"] == "Tarde"


def test_times_in_another_zone_are_converted_to_chicago() -> None:
    utc_start = STARTS.astimezone(timezone.utc)
    event = make_event(starts_at=utc_start)
    assert event.starts_at == STARTS
    assert event.starts_at.tzinfo is EVENT_ZONE and event.starts_at.hour == 10


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"code": "H"}, "code must be 2-12"),
        ({"code": "1HC"}, "code must be 2-12"),
        ({"code": "HH-C"}, "code must be 2-12"),
        ({"code": "ABCDEFGHIJKLM"}, "code must be 2-12"),
        ({"name": {"en": "Only English"}}, "name is missing in es"),
        ({"name": {}}, "name is missing in en, es"),
        ({"name": {"en": "A", "es": "B", "fr": "C"}}, "unknown language fr"),
        ({"sectors": ()}, "sectors is missing"),
        ({"sectors": ("hospitality", "retail")}, "unknown sector 'retail'"),
        ({"sectors": "hospitality"}, "sectors must be a list"),
        ({"starts_at": datetime(2026, 12, 10, 10, 0)}, "starts_at has no time zone"),
        ({"ends_at": None}, "ends_at is missing"),
        ({"ends_at": STARTS}, "ends_at must be after starts_at"),
        ({"ends_at": STARTS - TICK}, "ends_at must be after starts_at"),
        ({"venue": "  "}, "venue is missing"),
        ({"capacity": 0}, "capacity must be a positive whole number"),
        ({"capacity": -3}, "capacity must be a positive whole number"),
        ({"capacity": 2.5}, "capacity must be a positive whole number"),
        ({"capacity": True}, "capacity must be a positive whole number"),
        ({"min_age": 0}, "min_age must be a whole number from 1 to 99"),
        ({"min_age": 100}, "min_age must be a whole number from 1 to 99"),
        ({"bring": {"en": "ID"}}, "bring is missing in es"),
        ({"registration_opens_at": STARTS}, "registration_opens_at must be before the event starts"),
        ({"registration_closes_at": ENDS + TICK}, "registration_closes_at must not be after"),
        (
            {"registration_opens_at": CLOSES, "registration_closes_at": CLOSES},
            "registration_closes_at must be after registration_opens_at",
        ),
        ({"questions": (SHIFT, SHIFT)}, "question 'shift_preference' appears twice"),
    ],
)
def test_a_broken_rule_is_named(changes: dict[str, Any], problem: str) -> None:
    with pytest.raises(InvalidEvent) as raised:
        make_event(**changes)
    assert any(problem in each for each in raised.value.problems), raised.value.problems


@pytest.mark.parametrize(
    "changes",
    [
        {"min_age": 1},
        {"min_age": 99},
        {"min_age": None},
        {"capacity": 1},
        {"ends_at": STARTS + TICK, "registration_closes_at": None},
        {"registration_closes_at": ENDS},
        {"registration_opens_at": None, "registration_closes_at": None},
        {"eligibility": {}, "bring": {}, "questions": ()},
        {"sectors": ("clean_energy", "construction", "clean_energy")},
    ],
)
def test_values_at_the_edge_of_the_rules_are_accepted(changes: dict[str, Any]) -> None:
    make_event(**changes)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidEvent) as raised:
        make_event(code="x", capacity=0, sectors=("retail",))
    assert len(raised.value.problems) == 3


def test_repeated_sectors_are_kept_once_in_order() -> None:
    event = make_event(sectors=("clean_energy", "construction", "clean_energy"))
    assert event.sectors == ("clean_energy", "construction")


@pytest.mark.parametrize(
    "question_fields, problem",
    [
        ({"key": "Shift", "prompt": {"en": "a", "es": "b"}}, "question key 'Shift'"),
        ({"key": "shift", "prompt": {"en": "a"}}, "question shift prompt is missing in es"),
        (
            {
                "key": "shift",
                "prompt": {"en": "a", "es": "b"},
                "choices": (
                    EventChoice("am", {"en": "a", "es": "b"}),
                    EventChoice("am", {"en": "c", "es": "d"}),
                ),
            },
            "choice 'am' appears twice",
        ),
    ],
)
def test_question_rules(question_fields: dict[str, Any], problem: str) -> None:
    with pytest.raises(InvalidEvent) as raised:
        EventQuestion(**question_fields)
    assert any(problem in each for each in raised.value.problems), raised.value.problems


def test_choice_values_are_identifiers() -> None:
    with pytest.raises(InvalidEvent, match="choice value"):
        EventChoice("Morning shift", {"en": "a", "es": "b"})


@pytest.mark.parametrize(
    "now, window",
    [
        (OPENS - TICK, "not_open_yet"),
        (OPENS, "open"),
        (CLOSES - TICK, "open"),
        (CLOSES, "closed"),
        (STARTS, "closed"),
        (ENDS - TICK, "closed"),
        (ENDS, "past"),
        (ENDS + timedelta(days=300), "past"),
    ],
)
def test_registration_window_at_its_boundaries(now: datetime, window: str) -> None:
    event = make_event()
    assert registration_window(event, now) == window
    assert is_offerable(event, now) == (window in ("open", "not_open_yet"))


@pytest.mark.parametrize(
    "now, window",
    [
        (datetime(2020, 1, 1, tzinfo=timezone.utc), "open"),
        (STARTS - TICK, "open"),
        (STARTS, "closed"),
        (ENDS, "past"),
    ],
)
def test_without_dates_registration_is_open_until_the_start(now: datetime, window: str) -> None:
    event = make_event(registration_opens_at=None, registration_closes_at=None)
    assert registration_deadline(event) == STARTS
    assert registration_window(event, now) == window


def test_the_window_compares_instants_not_wall_clocks() -> None:
    event = make_event()
    closes_in_utc = CLOSES.astimezone(timezone.utc)
    assert registration_window(event, closes_in_utc - TICK) == "open"
    assert registration_window(event, closes_in_utc) == "closed"


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        registration_window(make_event(), datetime(2026, 11, 25, 12, 0))


@pytest.mark.parametrize("username", ["CookCareersBot", "@CookCareersBot", " CookCareersBot "])
def test_telegram_deep_link_starts_registration(username: str) -> None:
    assert telegram_deep_link(username, make_event()) == "https://t.me/CookCareersBot?start=HHC"


@pytest.mark.parametrize("username", ["", "bot", "cook careers", "1CookBot", "x" * 33])
def test_telegram_deep_link_refuses_impossible_usernames(username: str) -> None:
    with pytest.raises(ValueError):
        telegram_deep_link(username, make_event())


@pytest.mark.parametrize(
    "texts, language, expected",
    [
        ({"en": "Hello", "es": "Hola"}, "es", "Hola"),
        ({"en": "Hello", "es": "Hola"}, "en", "Hello"),
        ({"en": "Hello"}, "es", "Hello"),
        ({}, "es", ""),
    ],
)
def test_localized_falls_back_to_english(texts: dict[str, str], language: str, expected: str) -> None:
    assert localized(texts, language) == expected


@pytest.mark.parametrize(
    "changes",
    [{}, {"registration_opens_at": None, "registration_closes_at": None, "questions": (), "min_age": None}],
)
def test_the_json_document_round_trips(changes: dict[str, Any]) -> None:
    import json

    event = make_event(**changes)
    document = json.loads(json.dumps(event_to_document(event)))
    assert event_from_document(document) == event
    assert document["starts_at"] == "2026-12-10T10:00:00-06:00"


def test_events_differ_when_any_field_differs() -> None:
    # The import CLI tells "updated" from "unchanged" by comparing events.
    event = make_event()
    assert dataclasses.replace(event, capacity=301) != event
    assert make_event() == event


@pytest.mark.parametrize(
    "text, expected",
    [
        ("HHC", "HHC"),
        (" #hhc ", "HHC"),
        ("tdlsouth", "TDLSOUTH"),
        ("H", None),  # too short to be a code
        ("ABCDEFGHIJKLM", None),  # 13 characters: longer than any code
        ("job fair", None),  # two words
        ("60623!", None),
        ("", None),
    ],
)
def test_a_whole_message_is_code_like_only_when_it_could_be_a_code(text, expected):
    from bot.hiring_events.model import code_like

    assert code_like(text) == expected


# A code inside a sentence: the candidates the processor looks up among stored events. Words in
# capitals (unless the whole message is), and the word after "text", "code", "#" or "sign up for".
@pytest.mark.parametrize(
    "text, candidates",
    [
        ("HHC", ("HHC",)),
        ("#hhc", ("HHC",)),
        ("hey i got a flyer that says text HHC to sign up", ("HHC",)),
        ("hey i got a flyer that says text hhc to sign up", ("HHC",)),
        ("I WANT TO SIGN UP FOR HHC", ("HHC",)),
        ("quiero inscribirme a hhc", ("HHC",)),
        ("mi codigo es #hhc", ("ES", "HHC")),
        ("I want to be a CNA in Chicago", ("CNA",)),  # looked up; only a stored code counts
        ("i need a job in a warehouse", ()),
        ("", ()),
    ],
)
def test_code_candidates_in_a_sentence(text, candidates):
    assert code_candidates(text) == candidates
