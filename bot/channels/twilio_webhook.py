"""SMS through Twilio: `/webhooks/twilio/webhook` (messages) and `/webhooks/twilio/status`
(delivery reports), both refused with 403 unless Twilio signed them. No Rasa: the same webhooks
run in the Rasa server and in the webhook ingest process (see reception.py).

The webhook stores the message and answers empty TwiML at once; the reply goes out later through
the REST API (see sender.py), so a slow turn never makes Twilio time out and retry.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import inbound as kinds
from bot.channels.inbound import Inbound
from bot.channels.phones import to_e164
from bot.channels.providers import TWILIO_UNSUBSCRIBED
from bot.channels.reception import Reception, Webhooks, server_timing, start_and_stop_with_the_server
from bot.channels.settings import ChannelSettings
from bot.store import address_digest

logger = logging.getLogger(__name__)

CHANNEL = "twilio"
MESSAGE_PATH = "/webhooks/twilio/webhook"
STATUS_PATH = "/webhooks/twilio/status"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
# What we keep of Twilio's form besides the text: how to reply, and what was attached.
_ROUTING_FIELDS = ("To", "MessagingServiceSid", "OptOutType", "NumMedia", "NumSegments")
_MEDIA_LIMIT = 10  # Twilio sends at most 10 attachments per message


@dataclass(frozen=True)
class CalledAt:
    """Where a request was made, as this server saw it: what Twilio's signature covers besides
    the form, when no public URL is configured."""

    scheme: str
    host: str
    query_string: str
    peer: str  # the TCP peer's address


def called_at(request: Request) -> CalledAt:
    return CalledAt(request.scheme, request.host, request.query_string, request.ip)


def signature_urls(settings: ChannelSettings, path: str, headers: Mapping[str, str], called: CalledAt) -> list[str]:
    """The URL Twilio signed: the configured public one only, when there is one. Without it, the
    one a trusted proxy reports, or the one this server was called at. Believing any caller's
    X-Forwarded-Host would accept a request signed for another deployment on the same Twilio
    account (a staging copy) replayed here. `headers` have lower-case names."""
    query = f"?{called.query_string}" if called.query_string else ""
    public = settings.public_url(path)
    if public:
        return [public + query]
    scheme, host = called.scheme, called.host
    if called.peer in settings.trusted_proxy_addresses:
        scheme = headers.get("x-forwarded-proto", "").split(",")[0].strip() or scheme
        host = headers.get("x-forwarded-host", "").split(",")[0].strip() or host
    return [f"{scheme}://{host}{path}{query}"]


def has_valid_signature(
    settings: ChannelSettings, path: str, form: Mapping[str, str], headers: Mapping[str, str], called: CalledAt
) -> bool:
    from twilio.request_validator import RequestValidator

    signature = headers.get("x-twilio-signature")
    if not signature or not settings.twilio_auth_token:
        return False
    validator = RequestValidator(settings.twilio_auth_token)
    return any(validator.validate(url, dict(form), signature) for url in signature_urls(settings, path, headers, called))


def is_for_our_account(settings: ChannelSettings, form: Mapping[str, str]) -> bool:
    """Twilio names the account in every webhook and status callback; a signed request for
    another account (a subaccount sharing the auth token) is not ours to act on."""
    return form.get("AccountSid") == settings.twilio_account_sid


def parse_message(form: Mapping[str, str]) -> Inbound | None:
    """An inbound SMS/MMS from Twilio's form; None when it is not one."""
    # PostgreSQL text refuses NUL characters (a %00 in a signed form); Twilio never sends them.
    # Dropped here, after the signature was checked on the form as posted.
    form = {name: value.replace("\x00", "") for name, value in form.items()}
    sid = form.get("MessageSid") or form.get("SmsMessageSid")
    sender = to_e164(form.get("From", ""))
    if not sid or sender is None:
        return None
    details: dict[str, Any] = {name: form[name] for name in _ROUTING_FIELDS if form.get(name)}
    try:
        media_count = min(int(form.get("NumMedia") or 0), _MEDIA_LIMIT)
    except ValueError:
        media_count = 0
    media = [
        {"url": form.get(f"MediaUrl{index}", ""), "type": form.get(f"MediaContentType{index}", "")}
        for index in range(media_count)
        if form.get(f"MediaUrl{index}")
    ]
    if media:
        details["media"] = media
    return Inbound(
        channel=CHANNEL,
        address=sender,
        provider_id=sid,
        kind=kinds.MEDIA if media else kinds.TEXT,
        text=(form.get("Body") or "").strip(),
        details=details,
    )


def twilio_blueprint(reception: Reception) -> Blueprint:
    webhook = Blueprint("twilio_sms_webhook", __name__)
    start_and_stop_with_the_server(webhook, reception)

    @webhook.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok", "configured": reception.settings.twilio_configured})

    @webhook.route("/webhook", methods=["POST"])
    async def receive(request: Request) -> HTTPResponse:
        started = time.perf_counter()
        form = posted_form(request)
        refusal = _refusal(reception, MESSAGE_PATH, form, lower_case_headers(request), called_at(request))
        if refusal is not None:
            return refusal
        inbound = parse_message(form)
        if inbound is None:
            return response.text("Not a Twilio message (MessageSid and From are required)", status=400)
        storing = time.perf_counter()
        await reception.accept(inbound)
        stored = time.perf_counter() - storing
        return response.text(EMPTY_TWIML, content_type="text/xml", headers=server_timing(started, stored))

    @webhook.route("/status", methods=["POST"])
    async def status(request: Request) -> HTTPResponse:
        form = posted_form(request)
        refusal = _refusal(reception, STATUS_PATH, form, lower_case_headers(request), called_at(request))
        if refusal is not None:
            return refusal
        await _record_status(reception, form)
        return response.text("", status=204)

    return webhook


TWILIO_WEBHOOKS = Webhooks(CHANNEL, twilio_blueprint)


def lower_case_headers(request: Request) -> dict[str, str]:
    return {name.lower(): value for name, value in request.headers.items()}


def posted_form(request: Request) -> dict[str, str]:
    """The posted form, blank values included: Twilio signs `Body=` of a picture-only MMS too,
    and Sanic's own `request.form` drops blank values."""
    if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
        return {}
    pairs = parse_qsl(request.body.decode("utf-8", errors="replace"), keep_blank_values=True)
    form: dict[str, str] = {}
    for name, value in pairs:
        form.setdefault(name, value)
    return form


def _refusal(
    reception: Reception, path: str, form: Mapping[str, str], headers: Mapping[str, str], called: CalledAt
) -> HTTPResponse | None:
    """Checked before anything is stored or parsed beyond the form itself."""
    settings = reception.settings
    if not reception.started:
        return response.text("Starting", status=503)
    if settings.skip_twilio_signature:
        return None
    if not settings.twilio_configured:
        return response.text("SMS channel not configured", status=503)
    if not has_valid_signature(settings, path, form, headers, called):
        logger.warning("Twilio request with a missing or bad signature refused")
        return response.text("Forbidden", status=403)
    if not is_for_our_account(settings, form):
        logger.warning("Twilio request for another account refused")
        return response.text("Forbidden", status=403)
    return None


async def _record_status(reception: Reception, form: Mapping[str, str]) -> None:
    sid = form.get("MessageSid") or form.get("SmsSid")
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
    if not sid or not status:
        return
    error_code = form.get("ErrorCode") or None
    record = await asyncio.to_thread(reception.log.record_delivery, CHANNEL, sid, _STATUS_NAMES.get(status, status), error_code)
    if record is None:
        logger.info("delivery report for a message we did not send")
        return
    if error_code == str(TWILIO_UNSUBSCRIBED):
        # A report can arrive late or be replayed: it says nothing about an opt-in made since.
        opted_out = await asyncio.to_thread(
            reception.store.record_carrier_opt_out, CHANNEL, record.address, record.created_at, error_code
        )
        who = address_digest(CHANNEL, record.address)
        if opted_out is not None:
            logger.info("%s opted out at the carrier", who)
        else:
            logger.info("carrier opt-out report for %s ignored: opted out already, or opted in since", who)


# Twilio's delivery stages mapped to the message log's; "read" counts as delivered.
_STATUS_NAMES = {
    "accepted": "sent",
    "scheduled": "sent",
    "queued": "sent",
    "sending": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "undelivered",
    "failed": "failed",
    "canceled": "failed",
}
