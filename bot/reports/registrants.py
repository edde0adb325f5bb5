"""The people registered for an event, as staff see them and as employers get them.

Staff see a first name, the sectors and programs from the screening, and a phone number masked
to its last four digits (bot.staff.display). Employers get only the columns staff tick (`export_columns`), first
name alone by default: everything else is personal data shared on purpose, one field at a time.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.hiring_events.model import Event, localized

# Channels whose address is a phone number an employer could call; a Telegram chat id is not.
PHONE_CHANNELS = ("twilio",)
# An event question with this key collects an email address (events ask for one if they need it).
EMAIL_QUESTION = "email"

FIELD_FIRST_NAME = "first_name"
FIELD_PHONE = "phone"
FIELD_EMAIL = "email"
FIELD_SECTORS = "sectors"
FIELD_STATUS = "status"
FIELD_CHECKED_IN = "checked_in"
# Answers are chosen per question: "answer:shift_preference".
ANSWER_FIELD_PREFIX = "answer:"
BASE_FIELDS = (FIELD_FIRST_NAME, FIELD_PHONE, FIELD_EMAIL, FIELD_SECTORS, FIELD_STATUS, FIELD_CHECKED_IN)
BASE_FIELD_LABELS = {
    FIELD_FIRST_NAME: "First name",
    FIELD_PHONE: "Phone",
    FIELD_EMAIL: "Email (if given)",
    FIELD_SECTORS: "Sectors",
    FIELD_STATUS: "Registration status",
    FIELD_CHECKED_IN: "Checked in",
}
DEFAULT_EXPORT_FIELDS = (FIELD_FIRST_NAME,)


@dataclass(frozen=True)
class Registrant:
    registration_id: int
    seeker_id: int
    channel: str
    address: str
    language: str | None
    consent_status: str
    status: str
    confirmation_code: str
    attended: bool
    outcome: str | None
    registered_at: datetime
    first_name: str | None
    sectors: tuple[str, ...]
    likely_programs: tuple[str, ...]
    answers: Mapping[str, Any] = field(default_factory=dict)

    @property
    def phone(self) -> str | None:
        return self.address if self.channel in PHONE_CHANNELS else None


@dataclass(frozen=True)
class ExportField:
    key: str
    label: str


def export_fields(event: Event) -> tuple[ExportField, ...]:
    """Every column staff may choose for this event: the base ones, then one per question."""
    fields = [ExportField(key, BASE_FIELD_LABELS[key]) for key in BASE_FIELDS]
    for question in event.questions:
        if question.key == EMAIL_QUESTION:
            continue  # already the email column
        label = f"Answer: {localized(question.prompt, 'en')}"
        fields.append(ExportField(ANSWER_FIELD_PREFIX + question.key, label))
    return tuple(fields)


def chosen_fields(event: Event, requested: Iterable[str]) -> tuple[ExportField, ...]:
    """The requested columns this event has, in the order the form lists them; anything else
    (a tampered form) is dropped, never echoed into the file."""
    wanted = set(requested)
    return tuple(column for column in export_fields(event) if column.key in wanted)


def column_header(column: ExportField) -> str:
    """Stable, plain headers: the base field names, and the question key for answers."""
    return column.key.removeprefix(ANSWER_FIELD_PREFIX)


def export_rows(
    event: Event, registrants: Sequence[Registrant], columns: Sequence[ExportField]
) -> list[list[str]]:
    """The header, then one row per registrant, each cell made safe for a spreadsheet."""
    rows = [[column_header(column) for column in columns]]
    for registrant in registrants:
        rows.append([_spreadsheet_safe(_cell(event, registrant, column.key)) for column in columns])
    return rows


def _cell(event: Event, registrant: Registrant, key: str) -> str:
    if key == FIELD_FIRST_NAME:
        return registrant.first_name or ""
    if key == FIELD_PHONE:
        return registrant.phone or ""
    if key == FIELD_EMAIL:
        return str(registrant.answers.get(EMAIL_QUESTION) or "")
    if key == FIELD_SECTORS:
        return "; ".join(registrant.sectors)
    if key == FIELD_STATUS:
        return registrant.status
    if key == FIELD_CHECKED_IN:
        return "yes" if registrant.attended else "no"
    question_key = key.removeprefix(ANSWER_FIELD_PREFIX)
    return answer_text(event, question_key, registrant.answers.get(question_key))


def answer_text(event: Event, question_key: str, value: Any) -> str:
    """A choice's English title, or the free text as typed; empty when not answered."""
    if value is None:
        return ""
    question = event.question(question_key)
    choice = question.choice(value) if question is not None and question.choices else None
    return localized(choice.title, "en") if choice is not None else str(value)


def _spreadsheet_safe(text: str) -> str:
    """A cell a seeker typed that starts like a formula ("=HYPERLINK(...)") would run in the
    employer's spreadsheet; a leading apostrophe makes it plain text. Phone numbers start with
    "+" and are safe as they are (digits only), so they are left alone."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"\+\d+", text):
        return "'" + text
    return text


# --- finding someone at the door -------------------------------------------------------------


def search_registrants(registrants: Iterable[Registrant], query: str) -> list[Registrant]:
    """By the last four digits of the phone ("0100") or by first name, any case and accents
    ("jose" finds José); a name matches from its start, so "mar" finds Maria and Marta."""
    query = query.strip()
    if not query:
        return []
    digits = re.sub(r"\D", "", query)
    if digits and len(digits) == len(re.sub(r"[\s\-]", "", query)):
        return [person for person in registrants if re.sub(r"\D", "", person.address).endswith(digits)]
    wanted = _folded(query)
    return [
        person for person in registrants if person.first_name and _folded(person.first_name).startswith(wanted)
    ]


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character)).strip()
