"""The one place where the actions get their collaborators (store, clock).

Built on first use, not at import, so the action server starts without a database and tests can
put their own in place.
"""
from __future__ import annotations

import os
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.store import IntakeStore, make_engine

CHICAGO = ZoneInfo("America/Chicago")


@lru_cache(maxsize=1)
def store() -> IntakeStore:
    return IntakeStore(make_engine(os.environ.get("DATABASE_URL")))


def today() -> date:
    """Ages and layoff dates are judged on the calendar day in Chicago."""
    override = os.environ.get("INTAKE_TODAY")  # lets conversation tests pin the calendar
    if override:
        return date.fromisoformat(override)
    return datetime.now(CHICAGO).date()
