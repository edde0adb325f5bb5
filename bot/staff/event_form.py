"""The event create/edit form of the staff console: what staff typed, kept as typed so a refused
form comes back unchanged, and turned into an Event by the events file loader's own rules."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import yaml

from bot.hiring_events.loader import event_from_fields
from bot.hiring_events.model import EVENT_ZONE, Event, InvalidEvent, event_to_document

# The form's text boxes, named as the events file's fields where they are the same.
TEXT_FIELDS = (
    "code", "name_en", "name_es", "starts_at", "ends_at", "venue", "address", "capacity",
    "registration_opens_at", "registration_closes_at", "eligibility_en", "eligibility_es", "min_age",
    "bring_en", "bring_es", "questions",
)
TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
LOCALIZED_FIELDS = ("name", "eligibility", "bring")
# What an <input type="datetime-local"> sends and shows: Chicago wall-clock time, no zone; the
# seconds only when an imported event has some, so an edit never moves a time.
FORM_TIME_FORMAT = "%Y-%m-%dT%H:%M"
FORM_TIME_FORMAT_SECONDS = "%Y-%m-%dT%H:%M:%S"


# --- the form --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventForm:
    """What the create/edit form holds, as typed, so a refused form comes back unchanged."""

    values: Mapping[str, str]
    sectors: tuple[str, ...]

    @classmethod
    def from_request(cls, form: Any) -> EventForm:
        return cls(
            values={name: form.get(name, "") for name in TEXT_FIELDS},
            sectors=tuple(sector for sector in form.getlist("sectors") if sector),
        )

    @classmethod
    def blank(cls) -> EventForm:
        return cls(values={name: "" for name in TEXT_FIELDS}, sectors=())

    @classmethod
    def from_event(cls, event: Event) -> EventForm:
        document = event_to_document(event)
        values = {name: "" for name in TEXT_FIELDS}
        values.update(code=event.code, venue=event.venue, address=event.address, capacity=str(event.capacity))
        values["min_age"] = str(event.min_age) if event.min_age is not None else ""
        for name in LOCALIZED_FIELDS:
            for language, text in document[name].items():
                values[f"{name}_{language}"] = text
        for name in TIME_FIELDS:
            moment = getattr(event, name)
            values[name] = _form_time(moment) if moment else ""
        if document["questions"]:
            values["questions"] = yaml.safe_dump(document["questions"], allow_unicode=True, sort_keys=False)
        return cls(values=values, sectors=event.sectors)

    def to_event(self, code: str | None = None) -> Event:
        """The event the form describes, checked by the events file loader's own rules;
        raises InvalidEvent listing every problem. `code` overrides the form's (editing)."""
        fields: dict[str, Any] = {
            "code": code if code is not None else self.values.get("code"),
            "sectors": list(self.sectors),
            "venue": self.values.get("venue"),
            "address": self.values.get("address"),
            "capacity": self.values.get("capacity"),
            "min_age": self.values.get("min_age"),
        }
        for name in TIME_FIELDS:
            fields[name] = self.values.get(name)
        for name in LOCALIZED_FIELDS:
            texts = {
                language: self.values.get(f"{name}_{language}", "").strip()
                for language in ("en", "es")
                if self.values.get(f"{name}_{language}", "").strip()
            }
            # Nothing typed is a missing field, so it is reported with the other missing ones.
            fields[name] = texts or None
        questions = self.values.get("questions", "")
        if questions.strip():
            try:
                fields["questions"] = yaml.safe_load(questions)
            except yaml.YAMLError as error:
                where = getattr(error, "problem_mark", None)
                problem = getattr(error, "problem", None)
                details = ", ".join(
                    part for part in (f"line {where.line + 1}" if where is not None else "", problem or "") if part
                )
                raise InvalidEvent([f"questions are not valid YAML ({details or 'unreadable'})"]) from None
        return event_from_fields(fields)


def _form_time(moment: datetime) -> str:
    local = moment.astimezone(EVENT_ZONE)
    return local.strftime(FORM_TIME_FORMAT_SECONDS if local.second else FORM_TIME_FORMAT)


def changed_fields(before: Event, after: Event) -> list[str]:
    """The names of the event's fields an edit changed (for the audit log: names, not values)."""
    old, new = event_to_document(before), event_to_document(after)
    return sorted(name for name in new if old.get(name) != new[name])
