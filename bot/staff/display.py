"""How the console writes phone numbers, waiting times and moments. Pure: standard library only."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

MASK = "•••"
SHOWN_DIGITS = 4


def mask_address(address: str) -> str:
    """Only the last four characters, as staff say them on the phone ("ending in 0100"); the
    queue is seen over shoulders, the full number only on the conversation page."""
    tail = address[-SHOWN_DIGITS:] if len(address) > SHOWN_DIGITS else ""
    return f"{MASK}{tail}"


def waited(since: datetime, now: datetime) -> str:
    """A short duration: "just now", "12 min", "2 h 5 min", "3 d 4 h"."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 60:
        return "just now"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def local_moment(moment: datetime | None, zone: str, now: datetime | None = None) -> str:
    """`moment` on the office wall clock: "3:05 pm" today, "Mon Mar 2, 3:05 pm" otherwise."""
    if moment is None:
        return ""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    clock = local.strftime("%I:%M %p").lstrip("0").lower()
    if now is not None and now.astimezone(tz).date() == local.date():
        return clock
    return f"{local:%a %b} {local.day}, {clock}"


def business_duration(elapsed: timedelta) -> str:
    """An SLA clock reading: "0 min", "45 min", "1 h 10 min"."""
    minutes = int(elapsed.total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
