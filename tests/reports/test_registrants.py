"""Employer CSV columns and the door search over an event's registrants."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from bot.hiring_events.model import Event, EventChoice, EventQuestion
from bot.reports.csv_files import csv_text
from bot.reports.registrants import (
    DEFAULT_EXPORT_FIELDS,
    Registrant,
    chosen_fields,
    export_fields,
    export_rows,
    search_registrants,
)

STARTS = datetime(2026, 12, 10, 16, 0, tzinfo=timezone.utc)
SHIFT = EventQuestion(
    "shift",
    {"en": "Which shift?", "es": "¿Qué turno?"},
    (EventChoice("morning", {"en": "Morning", "es": "Mañana"}), EventChoice("night", {"en": "Night", "es": "Noche"})),
)
NOTES = EventQuestion("notes", {"en": "Anything else?", "es": "¿Algo más?"})
EMAIL = EventQuestion("email", {"en": "Your email?", "es": "¿Su correo?"})
EVENT = Event(
    code="HIRE1",
    name={"en": "Hiring day", "es": "Día de contratación"},
    sectors=("hospitality",),
    starts_at=STARTS,
    ends_at=STARTS + timedelta(hours=4),
    venue="Hall",
    address="1 Main St",
    capacity=50,
    questions=(SHIFT, NOTES, EMAIL),
)


def registrant(number: int, **changes: Any) -> Registrant:
    fields: dict[str, Any] = {
        "registration_id": number,
        "seeker_id": number,
        "channel": "twilio",
        "address": f"+1312555{number:04d}",
        "language": "en",
        "consent_status": "granted",
        "status": "registered",
        "confirmation_code": "ACDEFG",
        "attended": False,
        "outcome": None,
        "registered_at": STARTS - timedelta(days=3),
        "first_name": f"Person{number}",
        "sectors": ("hospitality", "it"),
        "likely_programs": (),
        "answers": {},
    }
    fields.update(changes)
    return Registrant(**fields)


def parsed_csv(rows: list[list[str]]) -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_text(rows))))


def test_every_question_is_a_column_choice_and_email_once() -> None:
    keys = [column.key for column in export_fields(EVENT)]
    assert keys == ["first_name", "phone", "email", "sectors", "status", "checked_in", "answer:shift", "answer:notes"]
    assert DEFAULT_EXPORT_FIELDS == ("first_name",)


@pytest.mark.parametrize(
    ("requested", "header"),
    [
        (["first_name"], ["first_name"]),
        ([], []),
        # The form's order, whatever order the browser sent them in.
        (["checked_in", "answer:shift", "first_name"], ["first_name", "checked_in", "shift"]),
        # A tampered form: unknown fields are dropped, never echoed.
        (["first_name", "address", "answer:salary", "=cmd"], ["first_name"]),
        (["phone", "email", "sectors", "status"], ["phone", "email", "sectors", "status"]),
    ],
)
def test_header_is_exactly_the_chosen_fields(requested, header) -> None:
    columns = chosen_fields(EVENT, requested)
    assert export_rows(EVENT, [], columns) == [header]


def test_cells() -> None:
    people = [
        registrant(1, answers={"shift": "night", "notes": "after 5 pm", "email": "p1@example.org"}, attended=True),
        registrant(2, channel="telegram", address="987654321", sectors=(), status="waitlisted"),
    ]
    columns = chosen_fields(EVENT, [column.key for column in export_fields(EVENT)])
    rows = parsed_csv(export_rows(EVENT, people, columns))
    assert rows[1] == ["Person1", "+13125550001", "p1@example.org", "hospitality; it", "registered", "yes", "Night", "after 5 pm"]
    # A Telegram chat id is not a phone number an employer can call.
    assert rows[2] == ["Person2", "", "", "", "waitlisted", "no", "", ""]


@pytest.mark.parametrize(
    ("typed", "cell"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+1+1", "'+1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Ana", "Ana"),
        ("Ana-María", "Ana-María"),
    ],
)
def test_typed_text_cannot_run_as_a_formula(typed, cell) -> None:
    columns = chosen_fields(EVENT, ["first_name", "answer:notes"])
    rows = export_rows(EVENT, [registrant(1, first_name=typed, answers={"notes": typed})], columns)
    assert rows[1] == [cell, cell]


def test_phone_numbers_stay_as_they_are() -> None:
    rows = export_rows(EVENT, [registrant(7)], chosen_fields(EVENT, ["phone"]))
    assert rows[1] == ["+13125550007"]


PEOPLE = [
    registrant(1, first_name="José", address="+13125550100"),
    registrant(2, first_name="Maria", address="+17735550199"),
    registrant(3, first_name="Marta", address="+13125554100"),
    registrant(4, first_name=None, address="+13125550101"),
    registrant(5, first_name="Ana", channel="telegram", address="55530100"),
]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("0100", [1, 5]),
        ("4100", [3]),
        ("555-0100", [1]),
        ("jose", [1]),
        ("JOSÉ", [1]),
        ("mar", [2, 3]),
        ("maria", [2]),
        ("  ana ", [5]),
        ("ria", []),
        ("9999", []),
        ("", []),
    ],
)
def test_search_by_last_digits_or_first_name(query, found) -> None:
    assert [person.registration_id for person in search_registrants(PEOPLE, query)] == found
