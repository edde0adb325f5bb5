"""No log of a run holds the Telegram bot token, the Twilio auth token or the Rasa API token.

The Bot API's URL carries the bot's token (`/bot<token>/sendMessage`) and httpx logs every
request URL at INFO; the ingest process (which answers button presses) and the staff console log
at INFO. This drives a Telegram send, a button press, a send that fails and an SMS through the
running assistant, then reads every log file its processes wrote."""
from __future__ import annotations

import time

from tests.channels.people import SmsSeeker, TelegramSeeker, wait_until_settled
from tests.channels.settings import TELEGRAM_TOKEN, TWILIO_AUTH_TOKEN
from tests.channels.test_telegram_channel import delivered
from tests.fakes import telegram_api as telegram


def test_no_log_of_a_run_holds_a_token(assistant, telegram_api, twilio_api):
    seeker = TelegramSeeker(assistant, telegram_api)
    seeker.text("hi")
    seeker.text("Ana")
    (question,) = seeker.text("60623")  # the sectors question, with buttons
    press = telegram.callback_query_update("1", person=seeker.person, message=delivered(seeker, question))
    seeker.send(press)  # the ingest process answers the press through the Bot API
    telegram_api.wait_for(lambda calls: any(call.method == "answerCallbackQuery" for call in calls))

    blocked = TelegramSeeker(assistant, telegram_api)
    telegram_api.block(blocked.chat_id)
    try:
        assert blocked.post(telegram.text_message_update("hi", person=blocked.person))[0] == 200
        wait_until_settled(assistant, "telegram", blocked.chat_id)
        assert [row.status for row in blocked.messages() if row.direction == "out"][0] != "sent"
    finally:
        telegram_api.unblock(blocked.chat_id)
    assert SmsSeeker(assistant, twilio_api).text("hi")
    time.sleep(0.5)  # processes write their logs unbuffered; let the last lines land

    logs = [path for path in assistant.log_dir.rglob("*") if path.is_file()]
    assert logs, "the run wrote no logs"
    secrets = {
        "Telegram bot token": TELEGRAM_TOKEN,
        "Telegram bot token's secret part": TELEGRAM_TOKEN.split(":", 1)[1],
        "Twilio auth token": TWILIO_AUTH_TOKEN,
        "Rasa API token": assistant.rasa_api_token,
    }
    found = [
        f"{name} in {path.name}"
        for path in logs
        for name, secret in secrets.items()
        if secret.encode() in path.read_bytes()
    ]
    assert found == []
