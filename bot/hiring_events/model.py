"""A hiring event as a value: what it is, when it takes registrations, its Telegram link. Pure.

    event = Event(code="HHC", name={"en": ..., "es": ...}, sectors=("hospitality",), ...)
    registration_window(event, now)        # "not_open_yet" | "open" | "closed" | "past"
    telegram_deep_link("CookCareersBot", event)  # https://t.me/CookCareersBot?start=HHC

Times are aware datetimes in America/Chicago, where the events happen: an aware datetime in any
zone is converted, a naive one is refused (its zone would be a guess). An Event checks itself when
built and raises `InvalidEvent` listing every problem, so a bad definition never gets further.

Registration rules (one place, used by the store and the conversation):
- past: the event has ended. Past events are never offered.
- closed: registration closes at `registration_closes_at`, or when the event starts if none is
  set: nobody registers by text for an event already under way.
- not_open_yet: `registration_opens_at` is set and still ahead.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot.local_zone import CHICAGO
from bot.answers import SECTOR_VALUES

EVENT_ZONE = CHICAGO
EVENT_LANGUAGES = ("en", "es")

# Seekers text the code, so it is short: letters and digits, starting with a letter so it is
# never read as a numbered reply ("1", "2"). Telegram's start parameter accepts the same set.
EVENT_CODE_MAX_LENGTH = 12
_EVENT_CODE_PATTERN = re.compile(rf"[A-Z][A-Z0-9]{{1,{EVENT_CODE_MAX_LENGTH - 1}}}")
# Question keys and choice values are stored in registrations' answers: identifiers only.
_IDENTIFIER_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,31}")
# Telegram bot usernames: 5-32 characters, letters, digits and underscores.
_TELEGRAM_USERNAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}")
_MAX_MIN_AGE = 99

RegistrationWindow = Literal["not_open_yet", "open", "closed", "past"]
WINDOW_NOT_OPEN_YET: RegistrationWindow = "not_open_yet"
WINDOW_OPEN: RegistrationWindow = "open"
WINDOW_CLOSED: RegistrationWindow = "closed"
WINDOW_PAST: RegistrationWindow = "past"


class InvalidEvent(ValueError):
    """An event definition that breaks a rule; `problems` lists each one in plain words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class EventChoice:
    """One answer a seeker can pick: the stored `value` and its title in each language."""

    value: str
    title: dict[str, str]

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not isinstance(self.value, str) or not _IDENTIFIER_PATTERN.fullmatch(self.value):
            problems.append(f"choice value {self.value!r} must be lower-case letters, digits, '_'")
        object.__setattr__(self, "title", _checked_text(self.title, "choice title", problems))
        if problems:
            raise InvalidEvent(problems)


@dataclass(frozen=True)
class EventQuestion:
    """A question of the event's own; no choices means the answer is free text."""

    key: str
    prompt: dict[str, str]
    choices: tuple[EventChoice, ...] = ()

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not isinstance(self.key, str) or not _IDENTIFIER_PATTERN.fullmatch(self.key):
            problems.append(f"question key {self.key!r} must be lower-case letters, digits, '_'")
        object.__setattr__(
            self, "prompt", _checked_text(self.prompt, f"question {self.key} prompt", problems)
        )
        choices = tuple(self.choices)
        if not all(isinstance(choice, EventChoice) for choice in choices):
            problems.append("question choices must be EventChoice values")
        else:
            values = [choice.value for choice in choices]
            for repeated in sorted({value for value in values if values.count(value) > 1}):
                problems.append(f"question {self.key}: choice {repeated!r} appears twice")
        object.__setattr__(self, "choices", choices)
        if problems:
            raise InvalidEvent(problems)

    def choice(self, value: str) -> EventChoice | None:
        return next((choice for choice in self.choices if choice.value == value), None)


@dataclass(frozen=True)
class Event:
    code: str
    name: dict[str, str]
    sectors: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    venue: str
    address: str
    capacity: int
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    eligibility: dict[str, str] = field(default_factory=dict)
    min_age: int | None = None
    bring: dict[str, str] = field(default_factory=dict)
    questions: tuple[EventQuestion, ...] = ()

    def __post_init__(self) -> None:
        problems: list[str] = []

        def set_field(name: str, value: Any) -> None:
            # Frozen: the checked, normalised value replaces the one given.
            object.__setattr__(self, name, value)

        code = normalize_event_code(self.code) if isinstance(self.code, str) else ""
        if not _EVENT_CODE_PATTERN.fullmatch(code):
            problems.append(
                f"code must be 2-{EVENT_CODE_MAX_LENGTH} letters or digits starting with a letter"
            )
        set_field("code", code)
        set_field("name", _checked_text(self.name, "name", problems, required=True))
        set_field("sectors", _checked_sectors(self.sectors, problems))
        for name in ("starts_at", "ends_at"):
            set_field(name, _checked_time(getattr(self, name), name, problems, required=True))
        for name in ("registration_opens_at", "registration_closes_at"):
            set_field(name, _checked_time(getattr(self, name), name, problems, required=False))
        for name in ("venue", "address"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{name} is missing")
            else:
                set_field(name, value.strip())
        capacity = self.capacity
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            problems.append("capacity must be a positive whole number")
        set_field("eligibility", _checked_text(self.eligibility, "eligibility", problems))
        set_field("bring", _checked_text(self.bring, "bring", problems))
        if self.min_age is not None and (
            isinstance(self.min_age, bool)
            or not isinstance(self.min_age, int)
            or not 0 < self.min_age <= _MAX_MIN_AGE
        ):
            problems.append(f"min_age must be a whole number from 1 to {_MAX_MIN_AGE}")
        set_field("questions", _checked_questions(self.questions, problems))
        if not problems:
            problems.extend(_order_problems(self))
        if problems:
            raise InvalidEvent(problems)

    def question(self, key: str) -> EventQuestion | None:
        return next((question for question in self.questions if question.key == key), None)


def normalize_event_code(text: str) -> str:
    """How a seeker's "hhc " or "#HHC" is compared with stored codes."""
    return text.strip().lstrip("#").strip().upper()


def code_like(text: str) -> str | None:
    """The normalized code when a whole message could be one ("HHC", "#hhc"), else None."""
    candidate = normalize_event_code(text)
    return candidate if candidate.isalnum() and 2 <= len(candidate) <= 12 else None


# Inside a sentence, where an event's code is likely: a word in capitals ("got a flyer, HHC"), or
# the word after "text", "code", "#" ("text hhc to sign up", "mi codigo es hhc").
_WORD = re.compile(r"#?[A-Za-z0-9]+")
_CODE_CUE = re.compile(
    r"(?:\b(?:text|txt|texted|send|code|code is|codigo|codigo es|código|código es|reply|escribe|manda|"
    r"sign up for|signup for|sign me up for|register for|rsvp for|inscribirme a|inscribirme en|apuntarme a|apuntarme en)\s+|#)$",
    re.I,
)
MAX_CODE_CANDIDATES = 4


def code_candidates(text: str) -> tuple[str, ...]:
    """The codes a message may name, to look up among stored events: the whole message ("HHC",
    "#hhc"); else, inside a sentence, words written in capitals and words after "text", "code"
    or "#" ("hey i got a flyer that says text HHC to sign up"). Stored codes are not everyday
    words, so a word of the message that is one names that event."""
    whole = code_like(text)
    if whole is not None:
        return (whole,)
    found: list[str] = []
    all_capitals = text.upper() == text
    for match in _WORD.finditer(text[:500]):
        word = match.group().lstrip("#")
        if not 2 <= len(word) <= 12:
            continue
        in_capitals = not all_capitals and word.isupper() and any(c.isalpha() for c in word)
        after_cue = bool(_CODE_CUE.search(text[: match.start() + (1 if match.group().startswith("#") else 0)]))
        if (in_capitals or after_cue) and word.upper() not in found:
            found.append(word.upper())
        if len(found) == MAX_CODE_CANDIDATES:
            break
    return tuple(found)


def registration_deadline(event: Event) -> datetime:
    """When registration stops: its own closing time, or the start of the event."""
    return event.registration_closes_at or event.starts_at


def registration_window(event: Event, now: datetime) -> RegistrationWindow:
    now = _aware(now)
    if now >= event.ends_at:
        return WINDOW_PAST
    if now >= registration_deadline(event):
        return WINDOW_CLOSED
    if event.registration_opens_at is not None and now < event.registration_opens_at:
        return WINDOW_NOT_OPEN_YET
    return WINDOW_OPEN


def is_offerable(event: Event, now: datetime) -> bool:
    """Worth showing a seeker: not over and still taking (or about to take) registrations."""
    return registration_window(event, now) in (WINDOW_OPEN, WINDOW_NOT_OPEN_YET)


def telegram_deep_link(bot_username: str, event: Event) -> str:
    """The t.me link that opens the bot with /start CODE, which starts registration."""
    username = bot_username.strip().lstrip("@")
    if not _TELEGRAM_USERNAME_PATTERN.fullmatch(username):
        raise ValueError("Telegram bot usernames are 5-32 letters, digits or '_'")
    return f"https://t.me/{username}?start={event.code}"


def localized(texts: Mapping[str, str], language: str) -> str:
    """The text in `language`, else English, else empty (optional texts may be absent)."""
    return texts.get(language) or texts.get("en") or ""


# --- serialisation: the JSON document the store keeps for each event -----------------------


def event_to_document(event: Event) -> dict[str, Any]:
    """Plain JSON values; times as ISO 8601 with their Chicago offset."""
    return {
        "code": event.code,
        "name": dict(event.name),
        "sectors": list(event.sectors),
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "venue": event.venue,
        "address": event.address,
        "capacity": event.capacity,
        "registration_opens_at": _iso_or_none(event.registration_opens_at),
        "registration_closes_at": _iso_or_none(event.registration_closes_at),
        "eligibility": dict(event.eligibility),
        "min_age": event.min_age,
        "bring": dict(event.bring),
        "questions": [
            {
                "key": question.key,
                "prompt": dict(question.prompt),
                "choices": [
                    {"value": choice.value, "title": dict(choice.title)}
                    for choice in question.choices
                ],
            }
            for question in event.questions
        ],
    }


def event_from_document(document: Mapping[str, Any]) -> Event:
    """The inverse of `event_to_document`; raises InvalidEvent or KeyError on a bad document."""
    return Event(
        code=document["code"],
        name=dict(document["name"]),
        sectors=tuple(document["sectors"]),
        starts_at=datetime.fromisoformat(document["starts_at"]),
        ends_at=datetime.fromisoformat(document["ends_at"]),
        venue=document["venue"],
        address=document["address"],
        capacity=document["capacity"],
        registration_opens_at=_time_or_none(document.get("registration_opens_at")),
        registration_closes_at=_time_or_none(document.get("registration_closes_at")),
        eligibility=dict(document.get("eligibility") or {}),
        min_age=document.get("min_age"),
        bring=dict(document.get("bring") or {}),
        questions=tuple(
            EventQuestion(
                key=question["key"],
                prompt=dict(question["prompt"]),
                choices=tuple(
                    EventChoice(value=choice["value"], title=dict(choice["title"]))
                    for choice in question.get("choices") or ()
                ),
            )
            for question in document.get("questions") or ()
        ),
    )


# --- checks ----------------------------------------------------------------------------------


def _checked_text(
    texts: Any, what: str, problems: list[str], required: bool = False
) -> dict[str, str]:
    """A copy of a {language: text} mapping: empty, or English and Spanish both given."""
    if texts is None:
        texts = {}
    if not isinstance(texts, Mapping):
        problems.append(f"{what} must give the text per language (en, es)")
        return {}
    unknown = sorted(str(language) for language in texts if language not in EVENT_LANGUAGES)
    if unknown:
        problems.append(f"{what}: unknown language {', '.join(unknown)} (use en, es)")
    cleaned = {
        language: texts[language].strip()
        for language in EVENT_LANGUAGES
        if isinstance(texts.get(language), str) and texts[language].strip()
    }
    missing = [language for language in EVENT_LANGUAGES if language not in cleaned]
    if missing and (required or cleaned):
        problems.append(f"{what} is missing in {', '.join(missing)}")
    return cleaned


def _checked_sectors(sectors: Any, problems: list[str]) -> tuple[str, ...]:
    if isinstance(sectors, str) or not isinstance(sectors, (list, tuple)):
        problems.append("sectors must be a list")
        return ()
    values = tuple(str(sector).strip().lower() for sector in sectors)
    if not values:
        problems.append("sectors is missing")
    for unknown in [value for value in values if value not in SECTOR_VALUES]:
        problems.append(f"unknown sector {unknown!r} (expected one of {', '.join(SECTOR_VALUES)})")
    # Repeats are harmless; drop them, keeping the order given.
    return tuple(dict.fromkeys(values))


def _checked_time(value: Any, what: str, problems: list[str], required: bool) -> datetime | None:
    if value is None:
        if required:
            problems.append(f"{what} is missing")
        return None
    if not isinstance(value, datetime):
        problems.append(f"{what} must be a date and time")
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        problems.append(f"{what} has no time zone")
        return None
    return value.astimezone(EVENT_ZONE)


def _checked_questions(questions: Any, problems: list[str]) -> tuple[EventQuestion, ...]:
    questions = tuple(questions or ())
    if not all(isinstance(question, EventQuestion) for question in questions):
        problems.append("questions must be EventQuestion values")
        return ()
    keys = [question.key for question in questions]
    for repeated in sorted({key for key in keys if keys.count(key) > 1}):
        problems.append(f"question {repeated!r} appears twice")
    return questions


def _order_problems(event: Event) -> list[str]:
    """Rules between fields, checked once each field is valid on its own."""
    problems: list[str] = []
    if event.ends_at <= event.starts_at:
        problems.append("ends_at must be after starts_at")
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens is not None and opens >= event.starts_at:
        problems.append("registration_opens_at must be before the event starts")
    if closes is not None and closes > event.ends_at:
        problems.append("registration_closes_at must not be after the event ends")
    if opens is not None and closes is not None and closes <= opens:
        problems.append("registration_closes_at must be after registration_opens_at")
    return problems


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime given; pass a timezone-aware datetime")
    return moment


def _iso_or_none(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _time_or_none(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
