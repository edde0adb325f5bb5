"""Time zones named in configuration (QUIET_HOURS' zone, BUSINESS_TIMEZONE)."""
from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def time_zone(name: str) -> ZoneInfo:
    """The zone called `name` ("America/Chicago"); ValueError naming it if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error
