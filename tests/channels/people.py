"""Test seekers who text the running assistant through its real webhooks.

Each posts what Twilio or Telegram would post (signed, or with the secret token), then waits
until the message is processed and every reply has left the outbound queue, and returns the
replies the local Twilio/Telegram server received.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from bot.cli.harness import Assistant, new_test_phone_number
from bot.store import MessageRecord
from tests.channels.settings import OUR_NUMBER, PUBLIC_BASE_URL, TELEGRAM_SECRET, TWILIO_ACCOUNT_SID
from tests.channels.settings import TWILIO_AUTH_TOKEN
from tests.fakes import telegram_api as telegram
from tests.fakes.telegram_api import FakeTelegramApi, TelegramPerson
from tests.fakes.twilio_api import FakeTwilioApi, InboundMedia, signed_twilio_post, twilio_inbound_params

TWILIO_PATH = "/webhooks/twilio/webhook"
TELEGRAM_PATH = "/webhooks/telegram/webhook"
_UNSETTLED = ("received", "processing", "queued", "sending")


def new_phone_number() -> str:
    return new_test_phone_number()


def wait_until_settled(assistant: Assistant, channel: str, address: str, timeout: float = 30.0) -> None:
    """Until nothing of this person's is waiting to be processed or sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(m.status in _UNSETTLED for m in assistant.messages.transcript(channel, address)):
            return
        time.sleep(0.05)
    raise TimeoutError(f"messages of {channel} {address} still unsettled after {timeout}s")


@dataclass
class SmsSeeker:
    assistant: Assistant
    twilio_api: FakeTwilioApi
    number: str = field(default_factory=new_phone_number)
    to: str = OUR_NUMBER
    messaging_service_sid: str | None = None
    transcript: list[tuple[str, str]] = field(default_factory=list)

    def post(self, body: str, **extra: Any) -> tuple[int, str]:
        """Posts one signed inbound SMS; returns the webhook's (status, body)."""
        params = twilio_inbound_params(
            from_=self.number,
            to=self.to,
            body=body,
            account_sid=TWILIO_ACCOUNT_SID,
            messaging_service_sid=self.messaging_service_sid,
            **extra,
        )
        return self.post_params(params)

    def post_params(self, params: dict[str, str]) -> tuple[int, str]:
        return signed_twilio_post(
            self.assistant.webhook_url + TWILIO_PATH,
            params,
            TWILIO_AUTH_TOKEN,
            signature_url=PUBLIC_BASE_URL + TWILIO_PATH,
        )

    def text(self, body: str, media: tuple[InboundMedia, ...] = ()) -> list[str]:
        """Texts the assistant and returns the SMS bodies it sent back."""
        before = len(self.twilio_api.messages_to(self.number))
        status, _ = self.post(body, media=media)
        assert status == 200, status
        wait_until_settled(self.assistant, "twilio", self.number)
        replies = [message.body for message in self.twilio_api.messages_to(self.number)[before:]]
        self.transcript.append(("seeker", body))
        self.transcript.extend(("bot", reply) for reply in replies)
        return replies

    def say(self, body: str) -> str:
        return "\n".join(self.text(body))

    def messages(self) -> tuple[MessageRecord, ...]:
        return self.assistant.messages.transcript("twilio", self.number)

    def dump(self) -> str:
        return "\n".join(f"{who:>6}: {text}" for who, text in self.transcript)


@dataclass
class TelegramSeeker:
    assistant: Assistant
    telegram_api: FakeTelegramApi
    person: TelegramPerson = field(
        default_factory=lambda: TelegramPerson(user_id=700_000_000 + uuid.uuid4().int % 100_000_000)
    )
    secret: str | None = TELEGRAM_SECRET

    @property
    def chat_id(self) -> str:
        return str(self.person.user_id)

    def post(self, update: dict[str, Any], secret: str | None | type(...) = ...) -> tuple[int, str]:
        return telegram.post_update(
            self.assistant.webhook_url + TELEGRAM_PATH, update, self.secret if secret is ... else secret
        )

    def send(self, update: dict[str, Any]) -> list[dict[str, Any]]:
        """Posts an update and returns the sendMessage calls made to this chat in answer."""
        before = len(self.telegram_api.messages_to(self.chat_id))
        status, _ = self.post(update)
        assert status == 200, status
        wait_until_settled(self.assistant, "telegram", self.chat_id)
        return list(self.telegram_api.messages_to(self.chat_id)[before:])

    def text(self, text: str) -> list[dict[str, Any]]:
        return self.send(telegram.text_message_update(text, person=self.person))

    def press(self, sent_message: dict[str, Any], payload: str) -> list[dict[str, Any]]:
        return self.send(telegram.callback_query_update(payload, person=self.person, message=sent_message))

    def messages(self) -> tuple[MessageRecord, ...]:
        return self.assistant.messages.transcript("telegram", self.chat_id)
