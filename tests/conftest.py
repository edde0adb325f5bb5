from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.actions.wiring import BUSINESS_HOURS_NOW_ENV
from bot.cli.harness import Assistant, running_assistant
from tests.channels.settings import AFTER_HOURS
from tests.channels.settings import TEST_CHANNEL_ENV, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TELEGRAM_TOKEN
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.twilio_api import FakeTwilioApi


@pytest.fixture(scope="session")
def twilio_api() -> Iterator[FakeTwilioApi]:
    """A local server speaking Twilio's REST API; the assistant sends its SMS here."""
    with FakeTwilioApi(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) as server:
        yield server


@pytest.fixture(scope="session")
def telegram_api() -> Iterator[FakeTelegramApi]:
    """A local server speaking Telegram's Bot API."""
    with FakeTelegramApi(TELEGRAM_TOKEN) as server:
        yield server


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, twilio_api, telegram_api) -> Assistant:
    """The real Rasa server, action server and webhook ingest process, started once for the whole
    run, with both channels configured against the local Twilio and Telegram servers."""
    env = {
        **TEST_CHANNEL_ENV,
        "TWILIO_API_BASE_URL": twilio_api.base_url,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        # Webhooks reach the Rasa server by their wake alone: a broken wake fails these tests
        # instead of being hidden by the poll (tested on its own in test_crash_recovery.py).
        "INBOUND_POLL_SECONDS": "600",
        # Staff hours are judged at a fixed instant, never the real clock: Saturday 9 am in
        # Chicago, after hours (tests/conversation/test_handoff.py words its waits from it).
        BUSINESS_HOURS_NOW_ENV: AFTER_HOURS.isoformat(),
    }
    with running_assistant(tmp_path_factory.mktemp("assistant"), env) as running:
        yield running
