"""Texts Twilio received that no webhook stored, recovered from Twilio's message list.

Twilio does not retry an inbound-message webhook: it tries the fallback URL once, if one is set.
A text that arrived while the ingest process and the fallback both failed (both down, the
database away: answered 503) would be lost. Twilio still lists it, so the webhook ingest process
asks (`GET /2010-04-01/Accounts/{Sid}/Messages.json?To=<our number>&DateSent>=<since>`) when it
starts (looking back TWILIO_RECOVERY_LOOKBACK_HOURS) and then every TWILIO_RECOVERY_SECONDS
(looking back to the start of the last pass that completed, less a margin, so a pass that failed
leaves its window to the next). Each inbound message listed is stored the way its webhook would
have stored it; the message log is unique per MessageSid, so one already stored (by the webhook,
another instance, an earlier pass) is a duplicate and is not stored or processed again. A text
sent before its sender's data was erased on request is not stored again (the consent ledger
keeps the erasure), and the look back never reaches RETENTION_DAYS.

What is asked: messages to TWILIO_FROM_NUMBER when it is set, else every inbound message of the
account (a Messaging Service's numbers). A recovered picture message is stored as a picture
without its media links (the assistant never reads them; it says it cannot). Not run when
TWILIO_RECOVERY_SECONDS is 0.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Optional
from urllib.parse import urlencode

import aiohttp

from bot.channels import inbound as kinds
from bot.channels.inbound import Inbound
from bot.channels.periodic import PeriodicTask
from bot.channels.settings import ChannelSettings
from bot.channels.twilio_webhook import parse_message

logger = logging.getLogger(__name__)

RECOVERY_INTERVAL_SETTING = "TWILIO_RECOVERY_SECONDS"
RECOVERY_LOOKBACK_SETTING = "TWILIO_RECOVERY_LOOKBACK_HOURS"
DEFAULT_INTERVAL_SECONDS = 300.0
DEFAULT_LOOKBACK_HOURS = 24.0
# Twilio's list may show a message a little after it arrived, and clocks differ: each pass looks
# back this much before the last complete one began.
OVERLAP = timedelta(minutes=2)
PAGE_SIZE = 200
# A page list that never ends (a misbehaving server) stops here: at most this many per pass.
MAX_PAGES = 50
API_VERSION = "2010-04-01"

# (inbound, when it was sent) -> True if it was stored now, False if it was already there (or
# must not be: its sender's data was erased since).
StoreRecovered = Callable[[Inbound, Optional[datetime]], Awaitable[bool]]


def sent_at(resource: dict[str, Any]) -> datetime | None:
    """When Twilio says the text was sent to us (RFC 2822, as its API writes dates)."""
    try:
        return parsedate_to_datetime(resource["date_sent"])
    except (KeyError, TypeError, ValueError):
        return None


def inbound_from_resource(resource: dict[str, Any], account_sid: str) -> Inbound | None:
    """The Inbound a webhook would have stored for one listed Twilio message resource; None for
    anything but a text received by our account."""
    if resource.get("direction") != "inbound" or resource.get("status") != "received":
        return None
    if resource.get("account_sid") != account_sid:
        return None
    form = {
        "MessageSid": resource.get("sid") or "",
        "From": resource.get("from") or "",
        "To": resource.get("to") or "",
        "Body": resource.get("body") or "",
        "MessagingServiceSid": resource.get("messaging_service_sid") or "",
        "NumSegments": str(resource.get("num_segments") or ""),
    }
    inbound = parse_message(form)
    if inbound is None:
        return None
    details = {**inbound.details, "recovered_from": "twilio_message_list"}
    try:
        media_count = int(resource.get("num_media") or 0)
    except ValueError:
        media_count = 0
    kind = inbound.kind
    if media_count:
        kind = kinds.MEDIA
        details["NumMedia"] = str(media_count)
        details.setdefault("media", [])
    return Inbound(inbound.channel, inbound.address, inbound.provider_id, kind, inbound.text, details)


class TwilioInboundRecovery:
    def __init__(
        self,
        settings: ChannelSettings,
        store_recovered: StoreRecovered,
        *,
        clock: Callable[[], datetime],
        interval_seconds: float = DEFAULT_INTERVAL_SECONDS,
        lookback: timedelta = timedelta(hours=DEFAULT_LOOKBACK_HOURS),
    ) -> None:
        """`store_recovered(inbound, sent_at)` is awaited for each message listed: stores it unless
        stored (by MessageSid) or erased since, announces it, and returns whether it was new."""
        self._settings = settings
        self._store = store_recovered
        self._clock = clock
        self._lookback = lookback
        self._complete_pass_began: datetime | None = None
        self._periodic = PeriodicTask("recovering texts from Twilio's message list", self._one_pass, interval_seconds)

    def start(self) -> None:
        self._periodic.start()

    async def stop(self) -> None:
        await self._periodic.stop()

    async def _one_pass(self) -> None:
        try:
            await self.run_once()
        except Exception as trouble:  # Twilio or the database away: the next pass covers it
            logger.warning("recovering texts from Twilio's message list failed (%s); trying again", type(trouble).__name__)

    async def run_once(self) -> int:
        """One pass; returns how many texts it stored that no webhook had."""
        began = self._clock()
        earliest = began - self._lookback
        # From the last complete pass on, but never further back than the lookback (after a long
        # outage of the passes).
        since = max(self._complete_pass_began - OVERLAP, earliest) if self._complete_pass_began else earliest
        recovered = 0
        for resource in await self._list_inbound(since):
            inbound = inbound_from_resource(resource, self._settings.twilio_account_sid or "")
            if inbound is not None and await self._store(inbound, sent_at(resource)):
                recovered += 1
        self._complete_pass_began = began
        if recovered:
            logger.warning("recovered %d texts from Twilio's message list that no webhook had stored", recovered)
        return recovered

    async def _list_inbound(self, since: datetime) -> list[dict[str, Any]]:
        settings = self._settings
        base = settings.twilio_api_base_url
        query: dict[str, str] = {
            "DateSent>": since.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "PageSize": str(PAGE_SIZE),
        }
        if settings.twilio_from_number:
            query["To"] = settings.twilio_from_number
        url: str | None = f"{base}/{API_VERSION}/Accounts/{settings.twilio_account_sid}/Messages.json?{urlencode(query)}"
        found: list[dict[str, Any]] = []
        auth = aiohttp.BasicAuth(settings.twilio_account_sid or "", settings.twilio_auth_token or "")
        async with aiohttp.ClientSession(auth=auth, timeout=aiohttp.ClientTimeout(total=30)) as session:
            for _ in range(MAX_PAGES):
                if url is None:
                    break
                async with session.get(url) as response:
                    response.raise_for_status()
                    page = await response.json()
                found.extend(page.get("messages") or [])
                next_page = page.get("next_page_uri")
                url = f"{base}{next_page}" if next_page else None
        # Oldest first, so one person's recovered texts are stored (and answered) in order.
        found.reverse()
        return found


def recovery_from_env(
    settings: ChannelSettings, store_recovered: StoreRecovered, clock: Callable[[], datetime], environ: dict[str, str]
) -> TwilioInboundRecovery | None:
    """The recovery the settings ask for, or None (Twilio not configured, or turned off). It
    never looks back as far as RETENTION_DAYS: a text that old may belong to someone the
    retention sweep erased (without a trace, unlike an erasure on request)."""
    if not settings.twilio_configured:
        return None
    interval = float(environ.get(RECOVERY_INTERVAL_SETTING) or DEFAULT_INTERVAL_SECONDS)
    if interval <= 0:
        return None
    hours = float(environ.get(RECOVERY_LOOKBACK_SETTING) or DEFAULT_LOOKBACK_HOURS)
    if settings.retention_days:
        hours = min(hours, settings.retention_days * 24 / 2)
    return TwilioInboundRecovery(
        settings, store_recovered, clock=clock, interval_seconds=interval, lookback=timedelta(hours=hours)
    )
