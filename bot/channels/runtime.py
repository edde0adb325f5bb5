"""The one wiring point of the channels: builds the message log, outbox, processor and sender
from the environment, once per process, and starts them with the server.

Two modes:
- full (the Rasa server): the dialogue turns, the outbound sender and the scheduler run on an
  event loop of their own, in their own thread, and the webhooks it serves store a message and
  wake the processor directly. It also hears wakes from the webhook process (a UDP datagram,
  see wake.py) and polls the message log as a fallback.
- ingest only (`python -m bot.channels.ingest`, the public webhooks): a process with its own
  interpreter that checks, stores and answers, then sends a wake. It runs no dialogue, sender
  or scheduler, so its answer does not wait for NLU or for the dialogue's interpreter lock.

All channels of a process share it; whichever blueprint starts first starts it, the others
find it running. Nothing here opens a database connection before the server starts.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sqlalchemy.exc import DBAPIError

from bot.channels.campaign_sender import CampaignSender
from bot.channels.flood import FloodGate
from bot.channels.inbound import OTHER, Inbound
from bot.channels.inbound_writer import InboundWriter
from bot.channels.operations_metrics import register_gauges
from bot.channels.outbox import Outbox
from bot.channels.processing import DurableOutput, HandleMessage, InboundProcessor
from bot.channels.scheduler import Scheduler
from bot.channels.providers import Provider, TelegramProvider, TwilioProvider
from bot.channels.sender import OutboundSender
from bot.channels.settings import SKIP_SIGNATURE_SETTING, ChannelSettings, channel_settings
from bot.channels.wake import WakeSender, listen_for_wakes
from bot.metrics import WEBHOOKS
from bot.scheduling.quiet_hours import quiet_hours_from_env
from bot.store import InboundToRecord, IntakeStore, MessageLog, MessageRecord, address_digest, make_engine
from bot.store.campaign_store import CampaignStore
from bot.store.engine import SQLITE_LOCK_POLL_OPTION
from bot.store.erasure import SeekerEraser
from bot.store.event_store import EventStore
from bot.store.handoff_store import HandoffStore
from bot.store.timestamps import utc_now
from bot.store.vocabulary import INBOUND_IGNORED, INBOUND_RECEIVED, INBOUND_THROTTLED

logger = logging.getLogger(__name__)

# How often the ingest process retries SQLite's write lock while another process holds it.
INGEST_LOCK_POLL_SECONDS = 0.001


class DialogueThread:
    """An event loop in a thread of its own, for the work that follows a webhook's answer."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="dialogue", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def call(self, function: Callable[..., Any], *arguments: Any) -> None:
        """Runs `function(*arguments)` on the dialogue loop, soon; from any thread."""
        self.loop.call_soon_threadsafe(function, *arguments)

    def submit(self, work: Coroutine[Any, Any, Any]) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(work, self.loop)

    async def run(self, work: Coroutine[Any, Any, Any]) -> Any:
        """Awaits, from another loop, `work` running on the dialogue loop."""
        return await asyncio.wrap_future(self.submit(work))

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)


ALL_SENDERS = "all senders"


class ChannelRuntime:
    def __init__(
        self,
        settings: ChannelSettings,
        handle_message: HandleMessage,
        *,
        ingest_only: bool = False,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.ingest_only = ingest_only
        self._handle_message = handle_message
        self.flood_gate = FloodGate(limit=settings.flood_limit_per_minute, window_seconds=60.0)
        # The same sliding window over one key that every sender shares.
        self.flood_gate_all_senders = FloodGate(
            limit=settings.flood_limit_all_senders_per_minute, window_seconds=60.0, max_keys=1
        )
        self.started = False  # webhooks may store messages (the message log exists)
        self.background_started = False  # full mode: sender, scheduler and processor are running
        self._processing_ready = False  # stored messages are handed to the processor at once
        self.log: MessageLog
        self.store: IntakeStore
        self.outbox: Outbox
        self.processor: InboundProcessor
        self.sender: OutboundSender
        self.telegram: TelegramProvider | None = None
        self.dialogue = DialogueThread()
        self._starting = False
        self._stopped = False
        self._wake_sender: WakeSender | None = None  # ingest only
        self._wake_listener: asyncio.DatagramTransport | None = None  # full only
        self._poller: asyncio.Task | None = None  # full only
        self._background: set[asyncio.Task] = set()  # ingest only: button acknowledgements
        self._writer: InboundWriter | None = None  # ingest only: stores in batches (group commit)

    async def start(self, app: Any) -> None:
        if self.started or self._starting:
            return
        self._starting = True
        engine = make_engine()
        if self.ingest_only:
            # Its inserts are what webhook answers wait for; see SQLITE_LOCK_POLL_OPTION.
            engine = engine.execution_options(**{SQLITE_LOCK_POLL_OPTION: INGEST_LOCK_POLL_SECONDS})
        self._engine = engine
        self.log = MessageLog(engine, clock=self.clock)
        self.store = IntakeStore(engine, clock=self.clock)
        self.events = EventStore(engine, clock=self.clock)
        self.handoffs = HandoffStore(engine, clock=self.clock)
        self.campaigns = CampaignStore(engine, clock=self.clock)
        if self.ingest_only:
            self._start_ingest()
            self.started = True
            self._warn_about_settings()
            return
        self.started = True
        self._warn_about_settings()
        await asyncio.to_thread(self.log.recover_after_crash)
        await asyncio.to_thread(self.events.recover_after_crash)
        self.dialogue.start()
        await self.dialogue.run(self._start_background_work(app))

    @property
    def engine(self) -> Any:
        """The database engine the runtime made at start (for readiness checks)."""
        return self._engine

    def _retention(self) -> dict[str, Any]:
        """The scheduler's daily erasure of people inactive for RETENTION_DAYS, when set."""
        days = self.settings.retention_days
        if not days:
            return {}
        tracker_url = self.settings.tracker_database_url
        eraser = SeekerEraser(self._engine, make_engine(tracker_url) if tracker_url else None, clock=self.clock)
        return {"retention": eraser.apply_retention, "retention_period": timedelta(days=days)}

    def _start_ingest(self) -> None:
        """Runs on the server's loop, which then owns the Telegram client (button presses are
        acknowledged from here). No crash recovery: the Rasa process owns the queues, and a
        row it left `sending` may be in flight right now."""
        if self.settings.telegram_bot_token:
            self.telegram = TelegramProvider(self.settings)
        self._wake_sender = WakeSender(self.settings.dialogue_wake_port)
        self._writer = InboundWriter(self.log)

    async def _start_background_work(self, app: Any) -> None:
        """Runs on the dialogue loop: the API clients and every task are created there, since
        an HTTP client belongs to the loop it was made on."""
        providers: dict[str, Provider] = {}
        if self.settings.twilio_configured:
            providers["twilio"] = TwilioProvider(self.settings)
        if self.settings.telegram_bot_token:
            self.telegram = TelegramProvider(self.settings)
            providers["telegram"] = self.telegram
        self.sender = OutboundSender(self.log, self.store, providers, clock=self.clock)
        self.outbox = Outbox(self.log, on_queued=self.sender.wake)
        self.processor = InboundProcessor(
            self.log,
            self.store,
            self.outbox,
            self._handle_message,
            _tracker_lookup(app),
            is_event_code=lambda code: self.events.get_event(code) is not None,
            handoffs=self.handoffs,
            in_event_dialogue=_event_dialogue_lookup(app),
        )
        self.scheduler = Scheduler(
            self.events,
            self.store,
            self.outbox,
            self.trigger,
            quiet_hours_from_env(),
            poll_seconds=self.settings.scheduler_poll_seconds,
            clock=self.clock,
            handoffs=self.handoffs,
            **self._retention(),
        )
        self.campaign_sender = CampaignSender(
            self.campaigns,
            quiet_hours_from_env(),
            self.settings.campaign_messages_per_second,
            clock=self.clock,
            on_queued=self.sender.wake,
        )
        register_gauges(self._engine, self.clock, lambda: self.sender.unrecorded)
        try:
            await self.sender.reconcile_uncertain()
        except Exception as trouble:  # the database or the provider away: the sender's sweep settles them later
            logger.warning("uncertain messages not settled at start (%s); the sender tries every minute", type(trouble).__name__)
        self.sender.start()
        self.scheduler.start()
        self.campaign_sender.start()
        self.background_started = True
        if self.settings.hold_processing:
            logger.warning("INBOUND_PROCESSING=hold: messages are stored and answered, not processed")
            return
        # From here webhooks wake the processor; anything stored before is found by recover().
        self._processing_ready = True
        self._wake_listener = await listen_for_wakes(self.settings.dialogue_wake_port, self.processor.announce)
        await self.processor.recover()
        self._poller = asyncio.get_running_loop().create_task(
            self.processor.keep_polling(self.settings.inbound_poll_seconds)
        )

    async def stop(self) -> None:
        """Once, whichever channel's stop listener comes first."""
        if not self.started or self._stopped:
            return
        self._stopped = True
        if self.ingest_only:
            if self._wake_sender is not None:
                self._wake_sender.close()
            if self._writer is not None:
                self._writer.close()
            return
        await self.dialogue.run(self._stop_background_work())
        self.dialogue.stop()

    async def _stop_background_work(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
        if self._wake_listener is not None:
            self._wake_listener.close()
        await self.campaign_sender.stop()
        await self.scheduler.stop()
        await self.sender.stop()

    async def trigger(self, channel: str, address: str, text: str, metadata: dict[str, Any]) -> None:
        """One dialogue turn the assistant starts itself (a reminder); replies go to the outbox."""
        await self._handle_message(
            UserMessage(text, DurableOutput(channel, self.outbox, None), address, input_channel=channel, metadata=metadata)
        )

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
            if self._writer is not None:
                record, is_new = await self._writer.record(message)
            else:
                record, is_new = (await asyncio.to_thread(self.log.record_inbound_many, [message]))[0]
        except DBAPIError as trouble:
            # Answered 503, so the provider tries again (Telegram) or the fallback URL (Twilio);
            # nothing was stored, nothing was answered to the person.
            from sanic.exceptions import ServiceUnavailable

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

    def _announce(self, record: MessageRecord) -> None:
        if self._wake_sender is not None:
            self._wake_sender.send(record.id)
        elif self._processing_ready:
            self.dialogue.call(self.processor.wake, record.channel, record.address)

    def acknowledge_button(self, inbound: Inbound) -> None:
        """Stops a pressed Telegram button spinning, at once and apart from the turn, on the loop
        that owns the bot's HTTP client (the dialogue loop, or the ingest server's own)."""
        if self.telegram is None:
            return
        work = self.telegram.answer_button(
            inbound.details["callback_query_id"], inbound.address, inbound.details.get("button_message_id")
        )
        if not self.ingest_only:
            self.dialogue.submit(work)
            return
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)  # the loop keeps only a weak reference
        task.add_done_callback(self._background.discard)

    def _warn_about_settings(self) -> None:
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


def _webhook_outcome(status: str, is_new: bool) -> str:
    if not is_new:
        return "duplicate"
    return {INBOUND_THROTTLED: "throttled", INBOUND_IGNORED: "ignored"}.get(status, "stored")


def _tracker_lookup(app: Any) -> Any:
    """Whether Rasa already recorded a message (by its id), to avoid running it twice: None if
    not, else the replies the recorded turn made (to queue them, should they have been lost)."""

    async def replies_if_handled(sender_id: str, message_id: str) -> list[dict[str, Any]] | None:
        agent = getattr(app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return None
        tracker = await agent.tracker_store.retrieve(sender_id)
        if tracker is None:
            return None
        return replies_recorded_for(tracker.events, message_id)

    return replies_if_handled


def replies_recorded_for(events: Any, message_id: str) -> list[dict[str, Any]] | None:
    """The bot's messages a recorded turn made, as Rasa handed them to the output channel
    (`BotUttered.message()`), or None when no turn recorded that message."""
    replies: list[dict[str, Any]] | None = None
    for event in events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break  # the next turn
            if event.message_id == message_id:
                replies = []
        elif replies is not None and isinstance(event, BotUttered):
            replies.append(event.message())
    return replies


def _event_dialogue_lookup(app: Any) -> Any:
    """Whether a sender's conversation has the event dialogue open: asked only while a handoff
    pauses the bot, so a seeker who asked about events meanwhile can finish signing up."""

    async def in_event_dialogue(sender_id: str) -> bool:
        agent = getattr(app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return False
        tracker = await agent.tracker_store.retrieve(sender_id)
        return tracker is not None and tracker.active_loop_name == "event_form"

    return in_event_dialogue


def server_timing(started: float, store_seconds: float) -> dict[str, str]:
    """The Server-Timing header of a stored webhook: the time storing took, and the handler's
    whole time (signature, parsing, storing), for benchmarks and proxies."""
    handler_ms = (time.perf_counter() - started) * 1000
    return {"Server-Timing": f"store;dur={store_seconds * 1000:.1f}, app;dur={handler_ms:.1f}"}


_runtime: ChannelRuntime | None = None


def shared_runtime(handle_message: HandleMessage) -> ChannelRuntime:
    """The process's runtime, created by the first channel that asks."""
    global _runtime
    if _runtime is None:
        _runtime = ChannelRuntime(channel_settings(), handle_message)
    return _runtime


def current_runtime() -> ChannelRuntime | None:
    """This process's runtime, once a channel has made it (readiness checks)."""
    return _runtime


async def no_dialogue(message: UserMessage) -> None:
    raise RuntimeError("the webhook ingest process runs no dialogue")


def make_ingest_runtime() -> ChannelRuntime:
    """Makes this process's runtime the ingest-only one; called before any channel asks."""
    global _runtime
    if _runtime is not None and not _runtime.ingest_only:
        raise RuntimeError("this process already runs the full channel runtime")
    if _runtime is None:
        _runtime = ChannelRuntime(channel_settings(), no_dialogue, ingest_only=True)
    return _runtime
