"""Which channels of a credentials.yml the webhook ingest process serves: ours that work without
the dialogue, never Rasa's own (they answer with the bot's replies, so need the Rasa server)."""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from bot.channels.calendar_feed import CalendarFeed
from bot.channels.ingest import WEBHOOK_MAX_BODY_BYTES, ingest_channels, read_credentials
from bot.channels.telegram import TelegramInput
from bot.channels.twilio_sms import TwilioSmsInput
from bot.cli.settings import REPO_ROOT

TWILIO = "bot.channels.twilio_sms.TwilioSmsInput"
TELEGRAM = "bot.channels.telegram.TelegramInput"
CALENDAR = "bot.channels.calendar_feed.CalendarFeed"


@pytest.mark.parametrize(
    "credentials, served",
    [
        (None, []),
        ({}, []),
        ({"rest": None}, []),
        ({"rasa.core.channels.rest.RestInput": None}, []),  # a full path does not make it ours
        ({"rest": None, TWILIO: None}, [TwilioSmsInput]),
        ({TELEGRAM: {"unused": "x"}, "socketio": None, CALENDAR: None}, [TelegramInput, CalendarFeed]),
    ],
)
def test_only_channels_that_work_without_the_dialogue_are_served(credentials, served):
    assert [type(channel) for channel in ingest_channels(credentials)] == served


def test_the_repositorys_credentials_give_sms_telegram_and_calendar_files():
    channels = ingest_channels(read_credentials(REPO_ROOT / "credentials.yml"))
    assert sorted(channel.name() for channel in channels) == ["calendar", "telegram", "twilio"]


@pytest.mark.parametrize("path", ["/webhooks/twilio/webhook", "/webhooks/telegram/webhook"])
def test_a_huge_body_is_refused_before_it_is_read_and_the_server_carries_on(assistant, path):
    oversized = b"Body=" + b"x" * (WEBHOOK_MAX_BODY_BYTES + 1)
    request = urllib.request.Request(
        assistant.webhook_url + path,
        data=oversized,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 413
    with urllib.request.urlopen(assistant.webhook_url + "/health", timeout=10) as health:
        assert health.status == 200
