"""The time zone the product lives in: Cook County, Illinois. It decides calendar days (ages,
layoff dates), the default quiet and business hours, event times and report periods. Pure."""
from __future__ import annotations

from zoneinfo import ZoneInfo

CHICAGO_ZONE_NAME = "America/Chicago"
CHICAGO = ZoneInfo(CHICAGO_ZONE_NAME)
