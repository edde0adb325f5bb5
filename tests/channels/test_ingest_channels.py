"""Which channels of a credentials.yml the webhook ingest process serves: ours that work without
the dialogue, never Rasa's own (they answer with the bot's replies, so need the Rasa server); and
that it serves them without loading Rasa."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from bot.channels.ingest import SERVED_WITHOUT_DIALOGUE, WEBHOOK_MAX_BODY_BYTES, ingest_webhooks, read_credentials
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
        ({"rest": None, TWILIO: None}, ["twilio"]),
        ({TELEGRAM: {"unused": "x"}, "socketio": None, CALENDAR: None}, ["telegram", "calendar"]),
    ],
)
def test_only_channels_that_work_without_the_dialogue_are_served(credentials, served):
    assert [webhooks.name for webhooks in ingest_webhooks(credentials)] == served


def test_the_repositorys_credentials_give_sms_telegram_and_calendar_files():
    webhooks = ingest_webhooks(read_credentials(REPO_ROOT / "credentials.yml"))
    assert sorted(served.name for served in webhooks) == ["calendar", "telegram", "twilio"]


@pytest.mark.parametrize("class_path", sorted(SERVED_WITHOUT_DIALOGUE))
def test_the_ingest_serves_the_webhooks_the_rasa_server_mounts_for_the_same_class(class_path):
    module_name, _, class_name = class_path.rpartition(".")
    channel_class = getattr(importlib.import_module(module_name), class_name)
    assert channel_class.webhooks is SERVED_WITHOUT_DIALOGUE[class_path]
    assert channel_class.name() == SERVED_WITHOUT_DIALOGUE[class_path].name


# Builds the ingest app as `python -m bot.channels.ingest` does, then lists what got imported.
_IMPORTS_OF_THE_INGEST_APP = """
import json, sys
from bot.channels.ingest import create_app, read_credentials
from bot.cli.settings import REPO_ROOT
create_app(read_credentials(REPO_ROOT / "credentials.yml"))
print(json.dumps(sorted(sys.modules)))
"""


def test_the_ingest_app_imports_no_rasa():
    listed = subprocess.run(
        [sys.executable, "-c", _IMPORTS_OF_THE_INGEST_APP], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    imported = json.loads(listed.stdout.strip().splitlines()[-1])
    assert "bot.channels.twilio_webhook" in imported  # it did build the webhooks
    assert [name for name in imported if name.split(".")[0] in ("rasa", "rasa_sdk", "tensorflow")] == []


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
