"""How long a seeker should expect to wait for a staff member, in plain English or Spanish.

The phrase completes "A person will text you back here ...":
    open, with the target time left before closing:  "within about an hour"
    open, closing before then:                        "today or after 9 am tomorrow"
    closed:                                           "after 9 am Monday"
Short on purpose: it goes into an SMS that must stay in one segment.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from bot.handoff.business_hours import BusinessCalendar
from bot.handoff.sla import DEFAULT_TARGET

_WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"),
}
# Within this many days a weekday name is clear; further out ("after a holiday week") the date is.
_WEEKDAY_NAME_DAYS = 6


def expected_wait(
    now: datetime, calendar: BusinessCalendar, language: str | None, target: timedelta = DEFAULT_TARGET
) -> str:
    spanish = language == "es"
    closing = calendar.closing_time(now)
    if closing is not None and closing - now >= target:
        return "en más o menos una hora" if spanish else "within about an hour"
    if closing is not None:
        reopening = _moment(calendar.next_opening(closing), now, calendar, spanish)
        return f"hoy o {reopening}" if spanish else f"today or {reopening}"
    return _moment(calendar.next_opening(now), now, calendar, spanish)


def _moment(opening: datetime, now: datetime, calendar: BusinessCalendar, spanish: bool) -> str:
    """'after 9 am Monday' / 'el lunes después de las 9 am'."""
    local = opening.astimezone(calendar.tz)
    days_ahead = (local.date() - calendar.local_date(now)).days
    clock = _clock(local)
    if spanish:
        article = "la" if local.hour % 12 == 1 else "las"  # "la 1 pm", "las 9 am"
        return f"{_day_es(local, days_ahead)} después de {article} {clock}"
    return f"after {clock} {_day_en(local, days_ahead)}"


def _clock(local: datetime) -> str:
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour} {suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d} {suffix}"


def _day_en(local: datetime, days_ahead: int) -> str:
    if days_ahead == 0:
        return "today"
    if days_ahead == 1:
        return "tomorrow"
    weekday = _WEEKDAYS["en"][local.weekday()]
    if days_ahead <= _WEEKDAY_NAME_DAYS:
        return weekday
    return f"{weekday}, {_MONTHS['en'][local.month - 1]} {local.day}"


def _day_es(local: datetime, days_ahead: int) -> str:
    if days_ahead == 0:
        return "hoy"
    if days_ahead == 1:
        return "mañana"
    weekday = _WEEKDAYS["es"][local.weekday()]
    if days_ahead <= _WEEKDAY_NAME_DAYS:
        return f"el {weekday}"
    return f"el {weekday} {local.day} de {_MONTHS['es'][local.month - 1]}"
