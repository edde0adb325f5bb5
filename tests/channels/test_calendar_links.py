"""The calendar route against a running ingest process: it answers only to a registration's long
random token, and a caller guessing tokens is stopped after a few tries a minute."""
from __future__ import annotations

import secrets
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest

from bot.channels.calendar_webhook import CALENDAR_REQUESTS_PER_MINUTE
from bot.hiring_events.model import Event
from bot.store import make_engine
from tests.hiring_event_stores import HiringEventStores
from tests.channels.ingest_alone import running_ingest


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    work = tmp_path_factory.mktemp("calendar")
    with running_ingest(work) as ingest:
        events = HiringEventStores.on(make_engine(f"sqlite:///{work / 'intake.db'}"))
        start = (datetime.now(timezone.utc) + timedelta(days=9)).replace(minute=0, second=0, microsecond=0)
        event = Event(
            code="CAL1", name={"en": "Calendar Day", "es": "Día del calendario"}, sectors=("hospitality",),
            starts_at=start, ends_at=start + timedelta(hours=2), venue="Example Hall",
            address="100 Example Ave, Chicago, IL 60601", capacity=10,
            bring={"en": "a photo ID", "es": "una identificación"},
        )
        events.catalog.upsert_event(event)
        outcome = events.registrations.register("CAL1", "twilio", "+13125550123", {}, datetime.now(timezone.utc))
        yield ingest, outcome.registration


def test_only_the_long_token_opens_the_calendar_file(registered):
    ingest, registration = registered
    base = f"{ingest.url}/webhooks/calendar"
    assert status_of(f"{base}/{registration.calendar_token}.ics") == 200
    assert status_of(f"{base}/{registration.confirmation_code}.ics") == 404
    assert registration.calendar_token != registration.confirmation_code


def test_guessing_is_stopped_after_a_few_tries_a_minute(registered):
    ingest, registration = registered
    base = f"{ingest.url}/webhooks/calendar"
    answers = [status_of(f"{base}/{secrets.token_urlsafe(24)}.ics") for _ in range(CALENDAR_REQUESTS_PER_MINUTE + 5)]
    assert 429 in answers
    assert set(answers) == {404, 429}
    assert answers.index(429) <= CALENDAR_REQUESTS_PER_MINUTE
    # Even the right token waits: the caller is over its limit.
    assert status_of(f"{base}/{registration.calendar_token}.ics") == 429
