"""Channel set-up: the Telegram webhook registration command, the development switch for Twilio
signatures (loudly warned about), and channels that are not configured."""
from __future__ import annotations

import asyncio

import pytest

from bot.channels.settings import SKIP_SIGNATURE_SETTING, channel_settings
from bot.channels.telegram_webhook import ALLOWED_UPDATES
from bot.cli.harness import running_assistant
from bot.cli.telegram_webhook import NotConfigured, register_webhook
from tests.channels.people import TELEGRAM_PATH, TWILIO_PATH, new_phone_number, wait_until_settled
from tests.channels.settings import OUR_NUMBER, PUBLIC_BASE_URL, TELEGRAM_SECRET, TELEGRAM_TOKEN
from tests.channels.settings import TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
from tests.fakes.telegram_api import post_update, text_message_update
from tests.fakes.twilio_api import twilio_inbound_params, unsigned_twilio_post


def test_the_webhook_command_registers_our_url_secret_and_update_kinds(telegram_api):
    settings = channel_settings({
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    })
    url = asyncio.run(register_webhook(settings))
    assert url == PUBLIC_BASE_URL + TELEGRAM_PATH
    webhook = telegram_api.webhook
    assert webhook.url == url
    assert webhook.secret_token == TELEGRAM_SECRET
    assert set(webhook.allowed_updates) == set(ALLOWED_UPDATES)


@pytest.mark.parametrize(
    "missing", ["TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN", "PUBLIC_BASE_URL"]
)
def test_the_webhook_command_says_what_is_missing(telegram_api, missing):
    env = {
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    }
    env.pop(missing)
    with pytest.raises(NotConfigured, match=missing):
        asyncio.run(register_webhook(channel_settings(env)))


def test_development_switch_accepts_unsigned_sms_and_warns_and_unconfigured_telegram_answers_503(
    tmp_path, twilio_api
):
    env = {
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,  # for sending; posts are not checked
        "TWILIO_API_BASE_URL": twilio_api.base_url,
        SKIP_SIGNATURE_SETTING: "1",
        # Telegram deliberately not configured (blank, not merely absent: an assistant already
        # running for other tests has its settings in this process's environment).
        "TELEGRAM_BOT_TOKEN": "",
        "TELEGRAM_SECRET_TOKEN": "",
    }
    with running_assistant(tmp_path, env) as assistant:
        number = new_phone_number()
        params = twilio_inbound_params(from_=number, to=OUR_NUMBER, body="hi", account_sid=TWILIO_ACCOUNT_SID)
        status, _ = unsigned_twilio_post(assistant.webhook_url + TWILIO_PATH, params)
        assert status == 200
        wait_until_settled(assistant, "twilio", number)
        assert twilio_api.messages_to(number)
        status, _ = post_update(assistant.webhook_url + TELEGRAM_PATH, text_message_update("hi"), TELEGRAM_SECRET)
        assert status == 503
        logs = {path.name: path.read_text() for path in assistant.log_dir.glob("*.log")}
        # Both processes serve the webhooks (the Rasa server's own routes remain), both warn.
        assert "NOT authenticated" in logs["webhook_ingest.log"]
        assert "NOT authenticated" in logs["Rasa_server.log"]
        for text in logs.values():
            assert number not in text and "+1312" not in text  # no phone number in the logs


@pytest.mark.parametrize("profile, skipped", [("embedded", True), ("production", False)])
def test_the_signature_check_is_never_skipped_in_production(profile, skipped):
    settings = channel_settings({"INTAKE_PROFILE": profile, "TWILIO_SKIP_SIGNATURE_CHECK_FOR_DEVELOPMENT": "1"})
    assert settings.skip_twilio_signature is skipped
