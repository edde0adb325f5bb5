"""Event details in short words for SMS, in English or Spanish (pure)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.hiring_events.model import EVENT_ZONE, Event, localized

_DAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "es": ("lun", "mar", "mié", "jue", "vie", "sáb", "dom"),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
}
# Bring-list used when an event names nothing of its own.
_DEFAULT_BRING = {"en": "a photo ID and a resume if you have one", "es": "una identificación con foto y tu currículum si tienes"}


def _language(language: str | None) -> str:
    return language if language in _DAYS else "en"


def clock(moment: datetime) -> str:
    """'10am', '2:30pm' in Chicago time."""
    local = moment.astimezone(EVENT_ZONE)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def day(moment: datetime, language: str | None) -> str:
    """'Thu Dec 10' / 'jue 10 dic'."""
    language = _language(language)
    local = moment.astimezone(EVENT_ZONE)
    weekday = _DAYS[language][local.weekday()]
    month = _MONTHS[language][local.month - 1]
    if language == "es":
        return f"{weekday} {local.day} {month}"
    return f"{weekday} {month} {local.day}"


def when(event: Event, language: str | None) -> str:
    """'Thu Dec 10, 10am-2pm' (the end day too if it ends on another day)."""
    start, end = event.starts_at.astimezone(EVENT_ZONE), event.ends_at.astimezone(EVENT_ZONE)
    if start.date() == end.date():
        return f"{day(start, language)}, {clock(start)}-{clock(end)}"
    return f"{day(start, language)} {clock(start)} - {day(end, language)} {clock(end)}"


def moment(value: datetime, language: str | None) -> str:
    """'Thu Dec 10 2pm' for a deadline."""
    return f"{day(value, language)} {clock(value)}"


def name(event: Event, language: str | None) -> str:
    return localized(event.name, _language(language))


def place(event: Event) -> str:
    return f"{event.venue}, {event.address}"


def bring(event: Event, language: str | None) -> str:
    language = _language(language)
    return localized(event.bring, language) or _DEFAULT_BRING[language]


def listing(events: Sequence[Event], language: str | None) -> str:
    """One numbered line per event: '1 Hospitality Hires Chicago, Thu Dec 10, 10am-2pm'."""
    return "\n".join(
        f"{number} {name(event, language)}, {when(event, language)}"
        for number, event in enumerate(events, start=1)
    )


def short_listing(events: Sequence[Event], language: str | None) -> str:
    """'Hospitality Hires Chicago (Dec 10)' joined, for the suggestion after a screening."""
    return "; ".join(f"{name(event, language)} ({day(event.starts_at, language)})" for event in events)
