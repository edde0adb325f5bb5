"""Telegram: `/webhooks/telegram/webhook`, refused with 403 unless the request carries the secret
token we registered with `python -m bot.cli telegram-webhook`, checked before the body is read.

Every update kind is accepted without crashing: texts, edits, button presses, commands, media,
locations, contacts, blocking and unblocking the bot; group chats are refused politely. No Rasa:
the same webhook runs in the Rasa server and in the webhook ingest process (see reception.py).
"""
from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import Mapping
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import inbound as kinds
from bot.channels.inbound import Inbound
from bot.channels.reception import Reception, Webhooks, server_timing, start_and_stop_with_the_server

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
WEBHOOK_PATH = "/webhooks/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# The update kinds the webhook asks Telegram for (setWebhook's allowed_updates).
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")
_MEDIA_FIELDS = ("photo", "sticker", "voice", "video", "video_note", "audio", "document", "animation")


def inbound_from_update(update: Any) -> Inbound | None:
    """What one Telegram update means for us; None for kinds with no person to answer."""
    provider_id = str(update.update_id)
    if update.callback_query is not None:
        return _button_press(update.callback_query, provider_id)
    if update.my_chat_member is not None:
        return _membership_change(update.my_chat_member, provider_id)
    message = update.message or update.edited_message
    if message is None or message.chat is None:
        return None
    address = str(message.chat.id)
    details: dict[str, Any] = {}
    if message.from_user is not None and message.from_user.language_code:
        details["language_hint"] = message.from_user.language_code[:2].lower()
    if update.edited_message is not None:
        details["edited"] = True
    if message.chat.type != "private":
        return Inbound(CHANNEL, address, provider_id, kinds.GROUP, message.text or "", details)
    if message.text:
        command = _command(message)
        if command is not None:
            name, payload = command
            details["command"] = name
            if payload:
                details["command_payload"] = payload
            return Inbound(CHANNEL, address, provider_id, kinds.COMMAND, message.text, details)
        return Inbound(CHANNEL, address, provider_id, kinds.TEXT, message.text, details)
    for field in _MEDIA_FIELDS:
        if getattr(message, field, None):
            details["media"] = [{"type": field}]
            return Inbound(CHANNEL, address, provider_id, kinds.MEDIA, message.caption or "", details)
    if message.location is not None or message.venue is not None:
        return Inbound(CHANNEL, address, provider_id, kinds.LOCATION, "", details)
    if message.contact is not None:
        # The shared number is not kept: we did not ask for it and do not need it.
        return Inbound(CHANNEL, address, provider_id, kinds.CONTACT, "", details)
    return Inbound(CHANNEL, address, provider_id, kinds.OTHER, "", details)


def _command(message: Any) -> tuple[str, str] | None:
    """('start', 'HHC') for '/start HHC' or '/start@OurBot HHC'; None if not a command."""
    text = message.text.strip()
    if not text.startswith("/"):
        return None
    first, _, rest = text.partition(" ")
    name = first[1:].split("@", 1)[0].lower()
    if not name:
        return None
    return name, rest.strip()


def _button_press(query: Any, provider_id: str) -> Inbound | None:
    chat = query.message.chat if query.message is not None else None
    if chat is None:
        return None  # a button on an inline message: no chat to answer in
    details: dict[str, Any] = {"callback_query_id": query.id}
    if query.message is not None:
        details["button_message_id"] = query.message.message_id
    if query.from_user is not None and query.from_user.language_code:
        details["language_hint"] = query.from_user.language_code[:2].lower()
    kind = kinds.BUTTON if chat.type == "private" else kinds.GROUP
    return Inbound(CHANNEL, str(chat.id), provider_id, kind, query.data or "", details)


def _membership_change(change: Any, provider_id: str) -> Inbound | None:
    if change.chat is None or change.chat.type != "private":
        return None  # added to or removed from a group: nothing to do
    status = change.new_chat_member.status
    before = change.old_chat_member.status
    if status == "kicked":
        kind = kinds.BLOCKED
    elif before == "kicked":
        kind = kinds.UNBLOCKED
    else:
        kind = kinds.OTHER
    return Inbound(CHANNEL, str(change.chat.id), provider_id, kind, "", {"member_status": status})


def telegram_blueprint(reception: Reception) -> Blueprint:
    webhook = Blueprint("telegram_webhook", __name__)
    start_and_stop_with_the_server(webhook, reception)

    @webhook.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok", "configured": reception.settings.telegram_configured})

    @webhook.route("/webhook", methods=["POST"])
    async def receive(request: Request) -> HTTPResponse:
        started = time.perf_counter()
        refusal = _refusal(reception, request.headers)
        if refusal is not None:
            return refusal
        update = _parse(request.body, reception)
        if update is None:
            return response.text("Not a Telegram update", status=400)
        inbound = inbound_from_update(update)
        if inbound is None:
            return response.text("", status=200)
        storing = time.perf_counter()
        _, is_new = await reception.accept(inbound)
        stored = time.perf_counter() - storing
        if is_new and inbound.kind == kinds.BUTTON:
            reception.acknowledge_button(inbound)
        return response.text("", status=200, headers=server_timing(started, stored))

    return webhook


TELEGRAM_WEBHOOKS = Webhooks(CHANNEL, telegram_blueprint)


def has_secret_token(expected: str, headers: Mapping[str, str]) -> bool:
    """`headers` as the server gives them (Sanic's are read case-insensitively)."""
    given = headers.get(SECRET_HEADER.lower(), "") or ""
    return hmac.compare_digest(given.encode(), expected.encode())


def _refusal(reception: Reception, headers: Mapping[str, str]) -> HTTPResponse | None:
    if not reception.started:
        return response.text("Starting", status=503)
    expected = reception.settings.telegram_secret_token
    if not expected or not reception.settings.telegram_bot_token:
        return response.text("Telegram channel not configured", status=503)
    if not has_secret_token(expected, headers):
        logger.warning("Telegram update with a missing or wrong secret token refused")
        return response.text("Forbidden", status=403)
    return None


def _without_lone_surrogates(value: Any) -> Any:
    """JSON may carry half a surrogate pair ("\\ud800"), which no database stores as UTF-8 (the
    insert failed with a 500): each becomes U+FFFD, as a broken character shows on a phone. NUL
    characters, which PostgreSQL text refuses, are dropped."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace("\x00", "")
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(key): _without_lone_surrogates(item) for key, item in value.items()}
    return value


def _parse(body: bytes | None, reception: Reception) -> Any:
    from telegram import Update

    try:
        data = _without_lone_surrogates(json.loads(body or b""))
        if not isinstance(data, dict) or "update_id" not in data:
            return None
        bot = reception.telegram.bot if reception.telegram is not None else None
        return Update.de_json(data, bot)
    except (ValueError, TypeError, KeyError, AttributeError):
        logger.info("unparseable Telegram update refused")
        return None
