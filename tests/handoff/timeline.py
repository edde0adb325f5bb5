"""Instants for the handoff tables: Chicago wall-clock and UTC, and the 2026 calendar facts."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from bot.handoff.business_hours import BusinessCalendar, shipped_holidays

CHICAGO = ZoneInfo("America/Chicago")
UTC = timezone.utc
# The calendar the Partnership runs on: Mon-Fri 9-5 in Chicago, closed on the shipped holidays.
OFFICE = BusinessCalendar(holidays=shipped_holidays())

# 2026 clock changes in Chicago: 02:00 CST -> 03:00 CDT on Sunday 8 March, 02:00 CDT -> 01:00 CST
# on Sunday 1 November. Thanksgiving is Thursday 26 November; the office is closed 26 and 27.


def local(text: str, fold: int = 0) -> datetime:
    """'2026-03-09 09:00' on the Chicago wall clock."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=CHICAGO, fold=fold)


def utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
