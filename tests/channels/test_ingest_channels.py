"""Which channels of a credentials.yml the webhook ingest process serves: ours that work without
the dialogue, never Rasa's own (they answer with the bot's replies, so need the Rasa server)."""
from __future__ import annotations

import pytest

from bot.channels.calendar_feed import CalendarFeed
from bot.channels.ingest import ingest_channels, read_credentials
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
