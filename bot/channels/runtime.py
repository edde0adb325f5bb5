"""The Rasa server's side of the channels: builds the message log, outbox, processor, sender
and scheduler from the environment, once per process, and starts them with the server.

The dialogue turns, the outbound sender and the scheduler run on an event loop of their own, in
their own thread. The webhooks this server serves store a message and wake the processor
directly; it also hears wakes from the webhook ingest process (a UDP datagram, see wake.py) and
polls the message log as a fallback. The ingest process has a reception of its own that needs no
Rasa (reception.py).

All channels of the Rasa server share one runtime; whichever blueprint starts first starts it,
the others find it running. Nothing here opens a database connection before the server starts.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered

from bot.channels.campaign_sender import CampaignSender
from bot.channels.operations_metrics import register_gauges
from bot.channels.outbox import Outbox
from bot.channels.processing import DurableOutput, HandleMessage, InboundProcessor
from bot.channels.scheduler import Scheduler
from bot.channels.providers import Provider, TelegramProvider, TwilioProvider
from bot.channels.sender import STALE_SENDING, UNCERTAIN_QUIET, OutboundSender
from bot.channels.reception import Reception
from bot.channels.settings import ChannelSettings, channel_settings
from bot.channels.wake import listen_for_wakes
from bot.turn_recording import begin_turn
from bot.scheduling.quiet_hours import quiet_hours_from_env
from bot.bootstrap import build_stores
from bot.store import InboundToRecord, MessageRecord, make_engine
from bot.store.erasure import SeekerEraser
from bot.store.person_claims import PersonClaims
from bot.store.timestamps import utc_now

logger = logging.getLogger(__name__)

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


class DialogueRuntime(Reception):
    def __init__(
        self,
        settings: ChannelSettings,
        handle_message: HandleMessage,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(settings, clock=clock)
        self._handle_message = handle_message
        self.background_started = False  # sender, scheduler and processor are running
        self._processing_ready = False  # stored messages are handed to the processor at once
        self.outbox: Outbox
        self.processor: InboundProcessor
        self.sender: OutboundSender
        self.dialogue = DialogueThread()
        self._starting = False
        self._stopped = False
        self._wake_listener: asyncio.DatagramTransport | None = None
        self._poller: asyncio.Task | None = None

    async def start(self, app: Any) -> None:
        if self.started or self._starting:
            return
        self._starting = True
        self._use_stores(
            build_stores(clock=self.clock, claim_reads_tracker_version=self.settings.tracker_in_the_database)
        )
        self.handoffs = self.stores.handoffs
        self.campaigns = self.stores.campaigns
        self.started = True
        self.warn_about_settings()
        self.person_claims = PersonClaims(self.stores.engine)
        self._alone = await asyncio.to_thread(self.person_claims.join_instances)
        if self._alone:
            # What a crash left mid-send is surely a dead process's.
            await asyncio.to_thread(self.log.recover_after_crash)
            await asyncio.to_thread(self.stores.scheduled_messages.recover_after_crash)
        else:
            # Another instance is live and may be sending right now: only rows quiet for longer
            # than a send takes are a dead process's (the sender's sweep takes the rest later).
            stale_before = self.clock() - STALE_SENDING
            await asyncio.to_thread(self.log.mark_stale_sending_uncertain, stale_before)
            await asyncio.to_thread(self.stores.scheduled_messages.recover_after_crash, stale_before)
        self.dialogue.start()
        await self.dialogue.run(self._start_background_work(app))

    @property
    def engine(self) -> Any:
        """The database engine the runtime made at start (for readiness checks)."""
        return self.stores.engine

    def _retention(self) -> dict[str, Any]:
        """The scheduler's daily erasure of people inactive for RETENTION_DAYS, when set."""
        days = self.settings.retention_days
        if not days:
            return {}
        tracker_url = self.settings.tracker_database_url
        eraser = SeekerEraser(self.stores.engine, make_engine(tracker_url) if tracker_url else None, clock=self.clock)
        return {"retention": eraser.apply_retention, "retention_period": timedelta(days=days)}

    async def _start_background_work(self, app: Any) -> None:
        """Runs on the dialogue loop: the API clients and every task are created there, since
        an HTTP client belongs to the loop it was made on."""
        providers: dict[str, Provider] = {}
        if self.settings.twilio_configured:
            providers["twilio"] = TwilioProvider(self.settings)
        if self.settings.telegram_bot_token:
            self.telegram = TelegramProvider(self.settings)
            providers["telegram"] = self.telegram
        self.sender = OutboundSender(
            self.log, self.store, providers, clock=self.clock, poll_seconds=self.settings.send_poll_seconds
        )
        self.outbox = Outbox(self.log, on_queued=self.sender.wake, on_replies_queued=self.sender.expect)
        self.processor = InboundProcessor(
            self.log,
            self.store,
            self.outbox,
            self._handle_message,
            _tracker_lookup(app),
            is_event_code=lambda code: self.stores.event_catalog.get_event(code) is not None,
            handoffs=self.handoffs,
            in_event_dialogue=_event_dialogue_lookup(app),
            claims=self.person_claims,
            turn_context=self.stores.turn_context,
        )
        self.scheduler = Scheduler(
            self.stores.registrations,
            self.stores.scheduled_messages,
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
        register_gauges(self.stores.engine, self.clock, lambda: self.sender.unrecorded)
        try:
            await self.sender.reconcile_uncertain(None if self._alone else self.clock() - UNCERTAIN_QUIET)
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
        self._wake_listener = await listen_for_wakes(
            self.settings.dialogue_wake_port, lambda wake: self.processor.announce(wake.message_id, wake.seeker_id)
        )
        await self.processor.recover()
        self._poller = asyncio.get_running_loop().create_task(
            self.processor.keep_polling(self.settings.inbound_poll_seconds)
        )

    async def stop(self) -> None:
        """Once, whichever channel's stop listener comes first."""
        if not self.started or self._stopped:
            return
        self._stopped = True
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
        self.person_claims.close()

    async def trigger(self, channel: str, address: str, text: str, metadata: dict[str, Any]) -> None:
        """One dialogue turn the assistant starts itself (a reminder); replies go to the outbox.
        Raises TurnNotRecorded when an action's call failed: the turn stopped there, said nothing
        more, and saved nothing (bot/turn_recording.py)."""
        begin_turn()
        await self._handle_message(
            UserMessage(text, DurableOutput(channel, self.outbox, None), address, input_channel=channel, metadata=metadata)
        )

    async def _record(self, message: InboundToRecord) -> tuple[MessageRecord, bool]:
        return (await asyncio.to_thread(self.log.record_inbound_many, [message]))[0]

    def _announce(self, record: MessageRecord) -> None:
        if self._processing_ready:
            self.dialogue.call(self.processor.wake, record.channel, record.address)

    def _run_on_telegram_loop(self, work: Coroutine[Any, Any, Any]) -> None:
        self.dialogue.submit(work)


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


_runtime: DialogueRuntime | None = None


def shared_runtime(handle_message: HandleMessage) -> DialogueRuntime:
    """The Rasa server's runtime, created by the first channel that asks."""
    global _runtime
    if _runtime is None:
        _runtime = DialogueRuntime(channel_settings(), handle_message)
    return _runtime


def current_runtime() -> DialogueRuntime | None:
    """This process's runtime, once a channel has made it (readiness checks)."""
    return _runtime
