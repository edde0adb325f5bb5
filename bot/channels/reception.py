"""What the webhooks of a process stand on: the settings, the stores they write, the flood gates,
and `accept` (store one inbound message, then announce it). It needs only the database, so the
webhook ingest process loads no Rasa.

Two kinds, one per process that serves webhooks:
- `IngestReception` (the webhook ingest process, `python -m bot.channels.ingest`): stores in
  batches (inbound_writer.py) and announces each new message to the Rasa process with a wake
  datagram (wake.py).
- `DialogueRuntime` (bot/channels/runtime.py, the Rasa server): stores, then hands the message to
  its own inbound processor.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sanic import Blueprint
from sanic.exceptions import ServiceUnavailable
from sqlalchemy.exc import DBAPIError

from bot.channels.flood import FloodGate
from bot.channels.inbound import OTHER, Inbound
from bot.channels.inbound_writer import InboundWriter
from bot.channels.providers import TelegramProvider
from bot.channels.settings import SKIP_SIGNATURE_SETTING, ChannelSettings
from bot.channels.wake import WakeSender
from bot.bootstrap import Stores, build_stores
from bot.metrics import WEBHOOKS
from bot.store import InboundToRecord, IntakeStore, MessageLog, MessageRecord, address_digest, make_engine
from bot.store.engine import SQLITE_LOCK_POLL_OPTION
from bot.store.erasure import ERASURE_KEYWORD
from bot.store.timestamps import utc_now
from bot.store.vocabulary import INBOUND_IGNORED, INBOUND_RECEIVED, INBOUND_THROTTLED

logger = logging.getLogger(__name__)

ALL_SENDERS = "all senders"
# How often the ingest process retries SQLite's write lock while another process holds it.
INGEST_LOCK_POLL_SECONDS = 0.001


class Reception:
    """The part every webhook uses. `start` opens the stores (nothing touches the database
    before the server starts); a subclass says how a message is stored and announced."""

    def __init__(self, settings: ChannelSettings, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.settings = settings
        self.clock = clock
        self.flood_gate = FloodGate(limit=settings.flood_limit_per_minute, window_seconds=60.0)
        # The same sliding window over one key that every sender shares.
        self.flood_gate_all_senders = FloodGate(
            limit=settings.flood_limit_all_senders_per_minute, window_seconds=60.0, max_keys=1
        )
        self.started = False  # webhooks may store messages (the message log exists)
        self.stores: Stores
        self.log: MessageLog
        self.store: IntakeStore
        self.telegram: TelegramProvider | None = None

    async def start(self, app: Any) -> None:
        raise NotImplementedError

    def _use_stores(self, stores: Stores) -> None:
        self.stores = stores
        self.log = stores.messages
        self.store = stores.intake

    async def stop(self) -> None:
        raise NotImplementedError

    async def _record(self, message: InboundToRecord) -> tuple[MessageRecord, bool]:
        raise NotImplementedError

    def _announce(self, record: MessageRecord) -> None:
        raise NotImplementedError

    def _run_on_telegram_loop(self, work: Coroutine[Any, Any, Any]) -> None:
        raise NotImplementedError

    async def accept(self, inbound: Inbound) -> tuple[MessageRecord, bool]:
        """Stores an inbound message and starts its processing; returns (record, is_new)."""
        # A sender over their own limit is not counted against everyone's.
        sender_key = f"{inbound.channel}:{inbound.address}"
        admitted = self.flood_gate.admit(sender_key) and self.flood_gate_all_senders.admit(ALL_SENDERS)
        status = INBOUND_RECEIVED if admitted else INBOUND_THROTTLED
        if inbound.kind == OTHER:
            status = INBOUND_IGNORED
        message = InboundToRecord(
            inbound.channel, inbound.address, inbound.provider_id, inbound.kind, inbound.text, inbound.details, status
        )
        try:
            record, is_new = await self._record(message)
        except DBAPIError as trouble:
            # Answered 503, so the provider tries again (Telegram) or the fallback URL (Twilio);
            # nothing was stored, nothing was answered to the person.
            WEBHOOKS.inc(channel=inbound.channel, outcome="unavailable")
            logger.warning("a webhook could not be stored (%s): answered 503", type(trouble.orig).__name__)
            if admitted:  # it will be delivered again: counted once, then
                self.flood_gate.give_back(sender_key)
                self.flood_gate_all_senders.give_back(ALL_SENDERS)
            raise ServiceUnavailable("The message could not be stored; try again.") from None
        who = address_digest(inbound.channel, inbound.address)
        WEBHOOKS.inc(channel=inbound.channel, outcome=_webhook_outcome(status, is_new))
        if not is_new:
            logger.info("duplicate delivery of message %d from %s ignored", record.id, who)
        elif status == INBOUND_THROTTLED:
            logger.warning(
                "message %d from %s throttled: over %d a minute from one sender or %d from all",
                record.id, who, self.settings.flood_limit_per_minute, self.settings.flood_limit_all_senders_per_minute,
            )
        elif status == INBOUND_RECEIVED:
            self._announce(record)
        return record, is_new

    async def accept_recovered(self, inbound: Inbound, sent_at: datetime | None = None) -> bool:
        """Stores a text found in the provider's message list that no webhook stored
        (twilio_recovery.py), then starts its processing; False if it was stored already (by
        MessageSid), or if the person had their data erased after sending it (the erasure took
        the stored copy; it must not come back). The flood gates guard the webhooks; a batch of
        recovered texts is no flood."""
        if sent_at is not None and await asyncio.to_thread(self._erased_since, inbound, sent_at):
            return False
        status = INBOUND_IGNORED if inbound.kind == OTHER else INBOUND_RECEIVED
        record, is_new = await self._record(
            InboundToRecord(inbound.channel, inbound.address, inbound.provider_id, inbound.kind, inbound.text, inbound.details, status)
        )
        if is_new:
            WEBHOOKS.inc(channel=inbound.channel, outcome="recovered")
            if status == INBOUND_RECEIVED:
                self._announce(record)
        return is_new

    def _erased_since(self, inbound: Inbound, moment: datetime) -> bool:
        return any(
            event.keyword == ERASURE_KEYWORD and event.created_at >= moment
            for event in self.store.consent_history(inbound.channel, inbound.address)
        )

    def acknowledge_button(self, inbound: Inbound) -> None:
        """Stops a pressed Telegram button spinning, at once and apart from the turn, on the loop
        that owns the bot's HTTP client."""
        if self.telegram is None:
            return
        self._run_on_telegram_loop(
            self.telegram.answer_button(
                inbound.details["callback_query_id"], inbound.address, inbound.details.get("button_message_id")
            )
        )

    def warn_about_settings(self) -> None:
        if self.settings.skip_twilio_signature:
            logger.warning(
                "%s is set: Twilio webhooks are NOT authenticated. Never use this in production.",
                SKIP_SIGNATURE_SETTING,
            )
        if not self.settings.twilio_configured:
            logger.info("Twilio not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): SMS webhooks refused")
        if not self.settings.telegram_configured:
            logger.info("Telegram not configured (TELEGRAM_BOT_TOKEN, TELEGRAM_SECRET_TOKEN): updates refused")
        if self.settings.twilio_configured and not self.settings.public_base_url:
            logger.warning("PUBLIC_BASE_URL not set: no delivery status callbacks are requested")


class IngestReception(Reception):
    """The webhook ingest process's: check, store, answer, wake the Rasa process. No crash
    recovery: the Rasa process owns the queues, and a row it left `sending` may be in flight."""

    def __init__(self, settings: ChannelSettings, *, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(settings, clock=clock)
        self._wake_sender: WakeSender | None = None
        self._writer: InboundWriter | None = None  # stores in batches (group commit)
        self._background: set[asyncio.Task] = set()  # button acknowledgements
        self._stopped = False

    async def start(self, app: Any) -> None:
        if self.started:
            return
        # Its inserts are what webhook answers wait for; see SQLITE_LOCK_POLL_OPTION.
        engine = make_engine().execution_options(**{SQLITE_LOCK_POLL_OPTION: INGEST_LOCK_POLL_SECONDS})
        self._use_stores(build_stores(engine, clock=self.clock))
        # Made on the server's loop, which then owns the Telegram client.
        if self.settings.telegram_bot_token:
            self.telegram = TelegramProvider(self.settings)
        self._wake_sender = WakeSender(self.settings.dialogue_wake_port)
        self._writer = InboundWriter(self.log)
        self.started = True
        self.warn_about_settings()

    async def stop(self) -> None:
        """Once, whichever channel's stop listener comes first."""
        if not self.started or self._stopped:
            return
        self._stopped = True
        if self._wake_sender is not None:
            self._wake_sender.close()
        if self._writer is not None:
            self._writer.close()

    async def _record(self, message: InboundToRecord) -> tuple[MessageRecord, bool]:
        assert self._writer is not None
        return await self._writer.record(message)

    def _announce(self, record: MessageRecord) -> None:
        if self._wake_sender is not None:
            self._wake_sender.send(record.id)

    def _run_on_telegram_loop(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)  # the loop keeps only a weak reference
        task.add_done_callback(self._background.discard)


@dataclass(frozen=True)
class Webhooks:
    """One channel's webhooks: served at /webhooks/<name>/ by the Rasa server and by the ingest
    process alike, on whichever reception the process has."""

    name: str
    blueprint: Callable[[Reception], Blueprint]


def start_and_stop_with_the_server(blueprint: Blueprint, reception: Reception) -> None:
    """Every channel's blueprint starts the reception; whichever starts first does it."""

    @blueprint.listener("after_server_start")
    async def start(app: Any, _loop: Any) -> None:
        await reception.start(app)

    @blueprint.listener("before_server_stop")
    async def stop(_app: Any, _loop: Any) -> None:
        await reception.stop()


def server_timing(started: float, store_seconds: float) -> dict[str, str]:
    """The Server-Timing header of a stored webhook: the time storing took, and the handler's
    whole time (signature, parsing, storing), for benchmarks and proxies."""
    handler_ms = (time.perf_counter() - started) * 1000
    return {"Server-Timing": f"store;dur={store_seconds * 1000:.1f}, app;dur={handler_ms:.1f}"}


def _webhook_outcome(status: str, is_new: bool) -> str:
    if not is_new:
        return "duplicate"
    return {INBOUND_THROTTLED: "throttled", INBOUND_IGNORED: "ignored"}.get(status, "stored")
