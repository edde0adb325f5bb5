"""The one place where the actions get their collaborators (stores, clock).

Built on first use, not at import, so the action server starts without a database and tests can
put their own in place. Every action reads the time through `now()` and `today()` and every store
made here stamps its rows with the same clock, so a test that sets `clock` moves all of them.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache

from bot.local_zone import CHICAGO
from bot.bootstrap import Stores, build_stores
from bot.handoff.business_hours import BusinessCalendar, calendar_from_env
from bot.store.campaign_store import CampaignStore
from bot.store.event_catalog import EventCatalog
from bot.store.registration_store import RegistrationStore
from bot.store.scheduled_message_store import ScheduledMessageStore
from bot.store.handoff_store import HandoffStore
from bot.store.intake_store import IntakeStore
from bot.store.timestamps import utc_now
from bot.store.warn_store import WarnStore

# The action server's clock: the machine's, in UTC. Tests replace it (wiring.clock = ...) before
# the first store is built.
clock: Callable[[], datetime] = utc_now


def now() -> datetime:
    """The stores are given this, not `clock` itself: it looks `clock` up at each call, so a
    clock a test puts in place is seen by stores built before."""
    return clock()


@lru_cache(maxsize=1)
def stores() -> Stores:
    return build_stores(database_url=os.environ.get("DATABASE_URL"), clock=now)


def store() -> IntakeStore:
    return stores().intake


def event_catalog() -> EventCatalog:
    return stores().event_catalog


def registrations() -> RegistrationStore:
    return stores().registrations


def scheduled_messages() -> ScheduledMessageStore:
    return stores().scheduled_messages


def handoff_store() -> HandoffStore:
    return stores().handoffs


def campaign_store() -> CampaignStore:
    return stores().campaigns


def warn_store() -> WarnStore:
    return stores().warn


@lru_cache(maxsize=1)
def business_calendar() -> BusinessCalendar:
    """Staff hours (BUSINESS_HOURS, BUSINESS_TIMEZONE, BUSINESS_HOLIDAYS), read once."""
    return calendar_from_env()


BUSINESS_HOURS_NOW_ENV = "BUSINESS_HOURS_NOW"


def business_now() -> datetime:
    """The instant a handoff's wait and "are staff at work" are judged at: now, unless
    BUSINESS_HOURS_NOW pins it (an ISO time with its offset), which lets conversation tests
    choose office hours or not as INTAKE_TODAY chooses the calendar day."""
    override = os.environ.get(BUSINESS_HOURS_NOW_ENV)
    if override:
        pinned = datetime.fromisoformat(override)
        if pinned.tzinfo is None:
            raise ValueError(f"{BUSINESS_HOURS_NOW_ENV}={override!r}: give the offset, like 2026-12-05T15:00:00+00:00")
        return pinned
    return now()


def public_base_url() -> str:
    """Where links in texts point (the calendar file); empty when not configured."""
    return (os.environ.get("PUBLIC_BASE_URL") or "").strip().rstrip("/")


def schedule_nudge(channel: str, address: str) -> None:
    """One reminder the next day for someone who starts and does not finish (sent only if the
    screening is still unfinished then; see bot/channels/scheduler.py)."""
    from bot.hiring_events.schedule import nudge_plan

    planned = nudge_plan(now())
    scheduled_messages().schedule(planned.kind, channel, address, planned.due_at, planned.deadline)


def today() -> date:
    """Ages and layoff dates are judged on the calendar day in Chicago, not the server's zone.

    INTAKE_TODAY pins that day for tests that start the real servers (bot/cli/harness.py): their
    seekers' ages ("born in 2002") must judge the same in any year, while their events, created
    relative to the real clock, keep using it."""
    pinned = os.environ.get("INTAKE_TODAY")
    if pinned:
        return date.fromisoformat(pinned)
    return now().astimezone(CHICAGO).date()
