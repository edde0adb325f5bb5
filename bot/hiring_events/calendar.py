"""The .ics file a registered seeker adds to their phone's calendar (RFC 5545, via icalendar).

One VCALENDAR (METHOD:PUBLISH) holding the America/Chicago VTIMEZONE and one VEVENT: the event's
name in the seeker's language, start and end on the Chicago clock, venue and address, and a
description with the confirmation code and what to bring, plus an alarm two hours before.

The UID is built from the event code and the confirmation code, so downloading the file again
updates the same calendar entry instead of adding a second one. icalendar escapes commas,
semicolons, backslashes and newlines in text and folds long lines.

Pure apart from icalendar: no Rasa, HTTP or database.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Timezone
from icalendar import Event as CalendarEvent

from bot.hiring_events.model import EVENT_LANGUAGES, EVENT_ZONE, Event, localized

ICS_MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODUCT_ID = "-//Chicago Cook Workforce Partnership//Hiring events//EN"
UID_DOMAIN = "chicookworks.org"
ALARM_BEFORE = timedelta(hours=2)

# Confirmation codes go into the UID, so only letters and digits: no '@', spaces or separators.
_CONFIRMATION_CODE_PATTERN = re.compile(r"[A-Za-z0-9]{1,32}")

_LABELS = {
    "en": {"code": "Confirmation code", "bring": "What to bring", "alarm": "Starts in 2 hours"},
    "es": {"code": "Código de confirmación", "bring": "Qué traer", "alarm": "Empieza en 2 horas"},
}


def event_uid(event: Event, confirmation_code: str) -> str:
    return f"{event.code}-{confirmation_code}@{UID_DOMAIN}"


def event_ics(
    event: Event,
    confirmation_code: str,
    language: str,
    *,
    stamped_at: datetime,
) -> bytes:
    """The calendar file for one registration, in "en" or "es". `stamped_at` is DTSTAMP, the
    time the file was made, from the caller's clock."""
    if language not in EVENT_LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(EVENT_LANGUAGES)}, not {language!r}")
    if not _CONFIRMATION_CODE_PATTERN.fullmatch(confirmation_code):
        raise ValueError("a confirmation code is letters and digits only")
    if stamped_at.tzinfo is None or stamped_at.utcoffset() is None:
        raise ValueError("stamped_at must be an aware datetime")

    labels = _LABELS[language]
    title = localized(event.name, language)
    starts_at = event.starts_at.astimezone(EVENT_ZONE)
    ends_at = event.ends_at.astimezone(EVENT_ZONE)

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    # Written before the VEVENT, where older clients look for it. Its observances cover the years
    # around the event instead of icalendar's default 1970-2038, which keeps the file small.
    calendar.add_component(
        Timezone.from_tzid(
            EVENT_ZONE.key,
            first_date=date(starts_at.year - 1, 1, 1),
            last_date=date(ends_at.year + 2, 1, 1),
        )
    )

    entry = CalendarEvent()
    entry.add("uid", event_uid(event, confirmation_code))
    entry.add("dtstamp", stamped_at.astimezone(timezone.utc))
    entry.add("dtstart", starts_at)
    entry.add("dtend", ends_at)
    entry.add("summary", title)
    entry.add("location", f"{event.venue}, {event.address}")
    entry.add("description", _description(event, confirmation_code, language))
    entry.add("status", "CONFIRMED")

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -ALARM_BEFORE)
    alarm.add("description", f"{labels['alarm']}: {title}")
    entry.add_component(alarm)

    calendar.add_component(entry)
    return calendar.to_ical()


def _description(event: Event, confirmation_code: str, language: str) -> str:
    labels = _LABELS[language]
    lines = [f"{labels['code']}: {confirmation_code}"]
    bring = localized(event.bring, language)
    if bring:
        lines.append(f"{labels['bring']}: {bring}")
    return "\n".join(lines)
