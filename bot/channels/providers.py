"""The two messaging APIs, behind one small interface: deliver a queued message or say why not.

Twilio through the twilio library's async client, Telegram through python-telegram-bot. Both base
URLs come from the settings, so tests point them at local servers that speak these APIs.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

import aiohttp

from bot.sms import sms_body
from bot.channels.settings import ChannelSettings
from bot.store import MessageRecord

logger = logging.getLogger(__name__)

# Twilio: "Attempt to send to unsubscribed recipient" (the person texted STOP to the carrier).
TWILIO_UNSUBSCRIBED = 21610
TELEGRAM_CALLBACK_DATA_MAX_BYTES = 64


@dataclass(frozen=True)
class Delivered:
    provider_id: str | None
    text_sent: str


class DeliveryFailed(Exception):
    def __init__(
        self,
        code: str,
        *,
        retry: bool,
        recipient_gone: bool = False,
        retry_after: float | None = None,
        uncertain: bool = False,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.retry = retry
        # The request may have reached the provider (a timeout): never sent again, since a text
        # sent twice is worse than one logged as possibly lost.
        self.uncertain = uncertain
        # The person blocked us or opted out at the carrier: record it, never retry.
        self.recipient_gone = recipient_gone
        self.retry_after = retry_after


def reply_route(details: dict[str, Any] | None) -> dict[str, Any]:
    """The Twilio routing fields (our number, the Messaging Service) among a message's details:
    an inbound text's say where the person wrote to; a reply carries them so that it goes out
    the same way without reading the inbound text again."""
    return {key: details[key] for key in ("To", "MessagingServiceSid") if details and details.get(key)}


class Provider(Protocol):
    async def deliver(self, message: MessageRecord, route: dict[str, Any]) -> Delivered: ...


class LookupFailed(Exception):
    """The provider could not say whether it has a message: it stays uncertain."""


# How much earlier than our row the provider's record of a message may be stamped (clock skew).
_LOOKUP_CLOCK_SLACK = timedelta(minutes=2)


def sms_text(message: MessageRecord) -> str:
    """What an SMS shows: the text, the numbered choices, in GSM-7 characters where possible."""
    return sms_body(message.text, message.buttons, message.language or "en")


class TwilioProvider:
    def __init__(self, settings: ChannelSettings) -> None:
        from twilio.http.async_http_client import AsyncTwilioHttpClient
        from twilio.rest import Client

        self._settings = settings
        class TimedHttpClient(AsyncTwilioHttpClient):
            """twilio 8.2's async client passes `timeout=None` (no limit at all) unless each call
            names one; this applies the client's own. A hung call would hold that person's
            queue, and Twilio answers in well under a second."""

            async def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
                return await super().request(*args, timeout=timeout or self.timeout, **kwargs)

        self._client = Client(
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            http_client=TimedHttpClient(timeout=settings.send_timeout_seconds),
        )
        self._client.api.base_url = settings.twilio_api_base_url

    async def deliver(self, message: MessageRecord, route: dict[str, Any]) -> Delivered:
        from twilio.base.exceptions import TwilioRestException

        text = sms_text(message)
        arguments: dict[str, Any] = {"to": message.address, "body": text}
        # Reply from the Messaging Service (A2P 10DLC pool) or number the person wrote to.
        service = route.get("MessagingServiceSid") or self._settings.twilio_messaging_service_sid
        number = route.get("To") or self._settings.twilio_from_number
        if service:
            arguments["messaging_service_sid"] = service
        elif number:
            arguments["from_"] = number
        else:
            raise DeliveryFailed("no_sender", retry=False)
        callback = self._settings.public_url("/webhooks/twilio/status")
        if callback:
            arguments["status_callback"] = callback
        try:
            created = await self._client.messages.create_async(**arguments)
        except TwilioRestException as error:
            if error.code == TWILIO_UNSUBSCRIBED:
                raise DeliveryFailed(str(error.code), retry=False, recipient_gone=True) from None
            transient = error.status == 429 or error.status >= 500
            raise DeliveryFailed(str(error.code or error.status), retry=transient) from None
        except aiohttp.ClientConnectorError:
            raise DeliveryFailed("connect", retry=True) from None  # never reached Twilio
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise DeliveryFailed(type(error).__name__[:16], retry=False, uncertain=True) from None
        return Delivered(created.sid, text)

    async def find_accepted(self, message: MessageRecord) -> str | None:
        """The sid of this exact text if Twilio accepted it (a send a crash or a timeout left
        uncertain), None if it did not: then it is safe to send again. Twilio's message list,
        newest first, for that number."""
        from twilio.base.exceptions import TwilioRestException

        text = sms_text(message)
        try:
            recent = await self._client.messages.list_async(to=message.address, limit=20)
        except (TwilioRestException, aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise LookupFailed(type(error).__name__) from None
        earliest = message.created_at - _LOOKUP_CLOCK_SLACK
        for found in recent:
            created = found.date_created
            if found.body == text and (created is None or created >= earliest):
                return found.sid
        return None


class TelegramProvider:
    def __init__(self, settings: ChannelSettings) -> None:
        from telegram import Bot

        from telegram.request import HTTPXRequest

        timeout = settings.send_timeout_seconds
        self.bot = Bot(
            settings.telegram_bot_token,
            base_url=f"{settings.telegram_api_base_url}/bot",
            request=HTTPXRequest(connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout),
        )

    async def deliver(self, message: MessageRecord, route: dict[str, Any]) -> Delivered:
        from telegram import InlineKeyboardButton, InlineKeyboardMarkup
        from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

        markup = None
        if message.buttons:
            markup = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(button["title"], callback_data=_callback_data(button["payload"]))]
                    for button in message.buttons
                ]
            )
        try:
            sent = await self.bot.send_message(int(message.address), message.text, reply_markup=markup)
        except Forbidden:
            raise DeliveryFailed("blocked", retry=False, recipient_gone=True) from None
        except RetryAfter as error:
            seconds = error.retry_after.total_seconds() if hasattr(error.retry_after, "total_seconds") else float(error.retry_after)
            raise DeliveryFailed("429", retry=True, retry_after=seconds) from None
        except BadRequest:
            raise DeliveryFailed("bad_request", retry=False) from None
        except TimedOut:
            raise DeliveryFailed("timeout", retry=False, uncertain=True) from None
        except NetworkError as error:  # could not connect, or the API's 5xx answers
            raise DeliveryFailed(type(error).__name__[:16], retry=True) from None
        # Telegram numbers messages per chat; the chat makes the id unique in the message log.
        return Delivered(telegram_message_ref(message.address, sent.message_id), message.text)

    async def answer_button(self, callback_query_id: str, chat_id: str, message_id: int | None) -> None:
        """Stops the pressed button spinning and removes the keyboard so it is not pressed twice."""
        from telegram.error import TelegramError

        try:
            await self.bot.answer_callback_query(callback_query_id)
            if message_id is not None:
                await self.bot.edit_message_reply_markup(int(chat_id), message_id, reply_markup=None)
        except TelegramError as error:
            logger.info("could not acknowledge a button press: %s", type(error).__name__)


def telegram_message_ref(chat_id: str | int, message_id: int) -> str:
    return f"{chat_id}:{message_id}"


def _callback_data(payload: str) -> str:
    encoded = payload.encode("utf-8")[:TELEGRAM_CALLBACK_DATA_MAX_BYTES]
    return encoded.decode("utf-8", errors="ignore")
