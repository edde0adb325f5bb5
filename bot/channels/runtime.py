"""The one wiring point of the channels: builds the message log, outbox, processor and sender
from the environment, once per Rasa process, and starts them with the server.

Both input channels share it; whichever blueprint starts first starts it, the other finds it
running. Nothing here opens a database connection before the server starts.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.core.channels.channel import UserMessage

from bot.channels.flood import FloodGate
from bot.channels.inbound import OTHER, Inbound
from bot.channels.outbox import Outbox
from bot.channels.processing import DurableOutput, HandleMessage, InboundProcessor
from bot.channels.scheduler import Scheduler
from bot.channels.providers import Provider, TelegramProvider, TwilioProvider
from bot.channels.sender import OutboundSender
from bot.channels.settings import SKIP_SIGNATURE_SETTING, ChannelSettings, channel_settings
from bot.scheduling.quiet_hours import quiet_hours_from_env
from bot.store import IntakeStore, MessageLog, MessageRecord, address_digest, make_engine
from bot.store.event_store import EventStore
from bot.store.vocabulary import INBOUND_IGNORED, INBOUND_RECEIVED, INBOUND_THROTTLED

logger = logging.getLogger(__name__)


class ChannelRuntime:
    def __init__(self, settings: ChannelSettings, handle_message: HandleMessage) -> None:
        self.settings = settings
        self._handle_message = handle_message
        self.flood_gate = FloodGate(limit=settings.flood_limit_per_minute, window_seconds=60.0)
        self.started = False
        self.log: MessageLog
        self.store: IntakeStore
        self.outbox: Outbox
        self.processor: InboundProcessor
        self.sender: OutboundSender
        self.telegram: TelegramProvider | None = None

    async def start(self, app: Any) -> None:
        if self.started:
            return
        self.started = True
        engine = make_engine()
        self.log = MessageLog(engine)
        self.store = IntakeStore(engine)
        providers: dict[str, Provider] = {}
        if self.settings.twilio_configured:
            providers["twilio"] = TwilioProvider(self.settings)
        if self.settings.telegram_bot_token:
            self.telegram = TelegramProvider(self.settings)
            providers["telegram"] = self.telegram
        self.sender = OutboundSender(self.log, self.store, providers)
        self.outbox = Outbox(self.log, on_queued=self.sender.wake)
        self.events = EventStore(engine)
        self.processor = InboundProcessor(
            self.log,
            self.store,
            self.outbox,
            self._handle_message,
            _tracker_lookup(app),
            is_event_code=lambda code: self.events.get_event(code) is not None,
        )
        self.scheduler = Scheduler(
            self.events,
            self.store,
            self.outbox,
            self.trigger,
            quiet_hours_from_env(),
            poll_seconds=self.settings.scheduler_poll_seconds,
        )
        self._warn_about_settings()
        await asyncio.to_thread(self.log.recover_after_crash)
        await self.scheduler.recover()
        self.sender.start()
        self.scheduler.start()
        if self.settings.hold_processing:
            logger.warning("INBOUND_PROCESSING=hold: messages are stored and answered, not processed")
        else:
            await self.processor.recover()

    async def stop(self) -> None:
        if self.started:
            await self.scheduler.stop()
            await self.sender.stop()

    async def trigger(self, channel: str, address: str, text: str, metadata: dict[str, Any]) -> None:
        """One dialogue turn the assistant starts itself (a reminder); replies go to the outbox."""
        await self._handle_message(
            UserMessage(text, DurableOutput(channel, self.outbox, None), address, input_channel=channel, metadata=metadata)
        )

    async def accept(self, inbound: Inbound) -> tuple[MessageRecord, bool]:
        """Stores an inbound message and starts its processing; returns (record, is_new)."""
        admitted = self.flood_gate.admit(f"{inbound.channel}:{inbound.address}")
        status = INBOUND_RECEIVED if admitted else INBOUND_THROTTLED
        if inbound.kind == OTHER:
            status = INBOUND_IGNORED
        record, is_new = await asyncio.to_thread(
            self.log.record_inbound,
            inbound.channel,
            inbound.address,
            provider_id=inbound.provider_id,
            kind=inbound.kind,
            text=inbound.text,
            details=inbound.details,
            status=status,
        )
        who = address_digest(inbound.channel, inbound.address)
        if not is_new:
            logger.info("duplicate delivery of message %d from %s ignored", record.id, who)
        elif status == INBOUND_THROTTLED:
            logger.warning("message %d from %s throttled: over %d a minute", record.id, who, self.settings.flood_limit_per_minute)
        elif status == INBOUND_RECEIVED and not self.settings.hold_processing:
            self.processor.wake(inbound.channel, inbound.address)
        return record, is_new

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


def _tracker_lookup(app: Any) -> Any:
    """Whether Rasa already recorded a message (by its id), to avoid running it twice."""

    async def already_handled(sender_id: str, message_id: str) -> bool:
        agent = getattr(app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return False
        tracker = await agent.tracker_store.retrieve(sender_id)
        if tracker is None:
            return False
        return any(
            getattr(event, "message_id", None) == message_id
            for event in tracker.events
            if type(event).__name__ == "UserUttered"
        )

    return already_handled


_runtime: ChannelRuntime | None = None


def shared_runtime(handle_message: HandleMessage) -> ChannelRuntime:
    """The process's runtime, created by the first channel that asks."""
    global _runtime
    if _runtime is None:
        _runtime = ChannelRuntime(channel_settings(), handle_message)
    return _runtime
