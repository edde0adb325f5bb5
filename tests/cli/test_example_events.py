"""`make run` (prepare) loads the example events whenever none is upcoming, with dates counted
from that day: a newcomer finds something to register for on any day, and a laptop database
whose examples have all passed gets them again, moved forward."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.cli.__main__ import example_events_when_none_is_upcoming
from bot.hiring_events.loader import events_from_yaml
from bot.hiring_events.model import EVENT_ZONE, registration_window
from bot.store import make_engine, migrate
from bot.store.event_catalog import EventCatalog


def _events(url: str) -> EventCatalog:
    return EventCatalog(make_engine(url))


def test_examples_load_into_an_empty_database_and_again_once_they_have_passed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/intake.db"
    migrate(url)
    first_day = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)

    assert example_events_when_none_is_upcoming(url, first_day) is True
    hhc = _events(url).get_event("HHC").event
    assert hhc.starts_at == datetime(2026, 12, 10, 10, 0, tzinfo=EVENT_ZONE)
    assert registration_window(hhc, first_day) == "open"

    # A week later the examples are still upcoming: nothing is touched.
    assert example_events_when_none_is_upcoming(url, first_day + timedelta(days=7)) is False
    assert _events(url).get_event("HHC").event.starts_at == hhc.starts_at

    # A year later all have passed: they come back, counted from the new day.
    year_later = first_day + timedelta(days=365)
    assert _events(url).list_upcoming(year_later) == ()
    assert example_events_when_none_is_upcoming(url, year_later) is True
    moved = _events(url).get_event("HHC").event
    assert moved.starts_at == datetime(2027, 12, 10, 10, 0, tzinfo=EVENT_ZONE)
    assert registration_window(moved, year_later) == "open"
    assert len(_events(url).list_upcoming(year_later)) >= 3


def test_a_database_with_an_upcoming_real_event_gets_no_examples(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/intake.db"
    migrate(url)
    (real,) = events_from_yaml(
        "events:\n  - code: REAL\n    name: {en: Job fair, es: Feria}\n    sectors: [it]\n"
        '    starts_at: "2026-12-01 10:00"\n    ends_at: "2026-12-01 12:00"\n'
        "    venue: Hall\n    address: 1 Main St\n    capacity: 10\n"
    ).events
    store = _events(url)
    store.upsert_event(real, datetime(2026, 11, 20, tzinfo=timezone.utc))
    assert example_events_when_none_is_upcoming(url, datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)) is False
    assert store.get_event("HHC") is None
    # Once it is over, the examples come.
    assert example_events_when_none_is_upcoming(url, datetime(2026, 12, 2, 15, 0, tzinfo=timezone.utc)) is True
    assert store.get_event("HHC") is not None
