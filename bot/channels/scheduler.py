"""Messages the assistant starts itself: seat offers, event reminders, the after-event question
and the next-day nudge of an unfinished screening.

They are rows in `scheduled_messages` (bot/store/scheduled_message_store.py), so a restart loses none. Each
pass claims the due rows (a row is claimed once, so none is sent twice), then per row: skip it
for a person who opted out, wait through quiet hours while that still leaves time, skip it when
it could only go out too late, else send it. Offers, reminders and follow-ups go through the
dialogue (as the intents event_offer, event_reminder, event_followup), so the person's "1" or "2"
is read in context; the nudge is a plain text.

While staff have a person's conversation (an open handoff) nothing automatic interrupts them:
that person's messages stay pending, looked at again every few minutes, and go out once the
handoff is closed, or are skipped if their deadline passes first.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from bot import channel_replies as replies
from bot.channels.outbox import Outbox
from bot.channels.periodic import PeriodicTask
from bot.hiring_events.schedule import decide
from bot.handoff.model import pauses_the_bot
from bot.scheduling.quiet_hours import QuietHours
from bot.store import IntakeStore, address_digest
from bot.store.registration_store import RegistrationStore
from bot.store.scheduled_message_store import ScheduledClaim, ScheduledMessageStore
from bot.store.handoff_store import HandoffStore
from bot.store.timestamps import utc_now
from bot.store.vocabulary import SCREENING_IN_PROGRESS
from bot.turn_recording import TurnNotRecorded

logger = logging.getLogger(__name__)

# (channel, address, intent text, metadata) -> runs one dialogue turn for that person.
Trigger = Callable[[str, str, str, dict[str, Any]], Awaitable[None]]

DIALOGUE_INTENTS = {
    "offer": "/event_offer",
    "reminder_2d": "/event_reminder",
    "reminder_2h": "/event_reminder",
    "followup": "/event_followup",
}
# The registration status each message is about; anything else means it no longer applies.
_NEEDED_STATUS = {"offer": "offered", "reminder_2d": "registered", "reminder_2h": "registered", "followup": "registered"}
NUDGE = "nudge"
# Someone active this recently is not nudged yet.
_QUIET_BEFORE_NUDGE = timedelta(hours=20)
# How often a message held back for a conversation staff have is looked at again.
PAUSED_RECHECK = timedelta(minutes=5)
# When a message whose dialogue turn failed (the action server down) is tried again.
TURN_RETRY_DELAY = timedelta(minutes=1)


# How often the retention sweep runs (RETENTION_DAYS): daily is as fine as a period in days needs.
RETENTION_SWEEP_INTERVAL = timedelta(days=1)


class Scheduler:
    def __init__(
        self,
        registrations: RegistrationStore,
        scheduled: ScheduledMessageStore,
        store: IntakeStore,
        outbox: Outbox,
        trigger: Trigger,
        quiet: QuietHours | None,
        *,
        poll_seconds: float = 30.0,
        clock: Callable[[], datetime] = utc_now,
        handoffs: HandoffStore | None = None,
        retention: Callable[[datetime], int] | None = None,
        retention_period: timedelta | None = None,
    ) -> None:
        """`retention(cutoff)` erases the data of people inactive since `cutoff` and says how many
        (SeekerEraser.apply_retention); it runs once a day when `retention_period` is set."""
        self._retention = retention if retention_period else None
        self._retention_period = retention_period
        self._last_retention_sweep: datetime | None = None
        self._handoffs = handoffs
        self._registrations = registrations
        self._scheduled = scheduled
        self._store = store
        self._outbox = outbox
        self._trigger = trigger
        self._quiet = quiet
        self._clock = clock
        self._passes = PeriodicTask("scheduler pass", self.run_due, poll_seconds)

    def start(self) -> None:
        self._passes.start()

    async def stop(self) -> None:
        await self._passes.stop()

    async def recover(self) -> int:
        """At start: rows a dead process left half-sent are skipped, never sent again."""
        return await asyncio.to_thread(self._scheduled.recover_after_crash)

    async def run_due(self) -> int:
        """One pass; returns how many scheduled messages it handled."""
        now = self._clock()
        expiry = await asyncio.to_thread(self._registrations.expire_offers, now)
        for registration in expiry.offers:
            deadline = max(registration.offer_expires_at or now, now)
            await asyncio.to_thread(
                self._scheduled.schedule, "offer", registration.channel, registration.address, now, deadline, registration.id
            )
        claims = await asyncio.to_thread(self._scheduled.claim_due, now)
        for claim in claims:
            try:
                await self._handle(claim, now)
            except Exception:
                logger.exception("scheduled message %d failed", claim.message.id)
                await asyncio.to_thread(self._scheduled.mark_skipped, claim.message.id, "error")
        await self._sweep_expired_data(now)
        return len(claims)

    async def _sweep_expired_data(self, now: datetime) -> None:
        if self._retention is None or self._retention_period is None:
            return
        if self._last_retention_sweep is not None and now - self._last_retention_sweep < RETENTION_SWEEP_INTERVAL:
            return
        self._last_retention_sweep = now
        erased = await asyncio.to_thread(self._retention, now - self._retention_period)
        if erased:
            logger.info("retention: erased the data of %d people inactive for %s", erased, self._retention_period)

    async def _handle(self, claim: ScheduledClaim, now: datetime) -> None:
        planned = claim.message
        who = address_digest(planned.channel, planned.address)
        if claim.recipient_opted_out:
            await self._skip(planned.id, "opted_out", who)
            return
        if await self._with_staff(planned.channel, planned.address):
            if now >= planned.deadline:
                await self._skip(planned.id, "with_staff", who)
            else:
                later = min(now + PAUSED_RECHECK, planned.deadline)
                await asyncio.to_thread(self._scheduled.reschedule, planned.id, later)
            return
        decision = decide(planned.due_at, planned.deadline, now, self._quiet)
        if decision.action == "wait":
            await asyncio.to_thread(self._scheduled.reschedule, planned.id, decision.at)
            return
        if decision.action == "skip":
            await self._skip(planned.id, decision.reason, who)
            return
        if planned.kind == NUDGE:
            await self._nudge(claim, now, who)
            return
        intent = DIALOGUE_INTENTS.get(planned.kind)
        held = await asyncio.to_thread(self._registrations.get_registration, planned.registration_id) if planned.registration_id else None
        if intent is None or held is None or held.registration.status != _NEEDED_STATUS[planned.kind]:
            await self._skip(planned.id, "no_longer_applies", who)
            return
        metadata = {"registration_id": planned.registration_id, "scheduled": planned.kind}
        try:
            await self._trigger(planned.channel, planned.address, intent, metadata)
        except TurnNotRecorded as trouble:
            # The action server failed (bot/turn_recording.py): nothing was said or recorded, so
            # the message is tried again a little later rather than marked sent, or skipped.
            later = now + TURN_RETRY_DELAY
            if later > planned.deadline:
                await self._skip(planned.id, "turn_failed", who)
                return
            await asyncio.to_thread(self._scheduled.reschedule, planned.id, later)
            logger.warning("scheduled %s %d to %s: its turn failed (%s); tried again later", planned.kind, planned.id, who, trouble)
            return
        await asyncio.to_thread(self._scheduled.mark_sent, planned.id, None)
        logger.info("scheduled %s %d sent to %s", planned.kind, planned.id, who)

    async def _nudge(self, claim: ScheduledClaim, now: datetime, who: str) -> None:
        planned = claim.message
        screening = await asyncio.to_thread(self._store.latest_screening, planned.channel, planned.address)
        if screening is None or screening.status != SCREENING_IN_PROGRESS:
            await self._skip(planned.id, "screening_finished", who)
            return
        if now - screening.updated_at < _QUIET_BEFORE_NUDGE:
            later = screening.updated_at + timedelta(hours=24)
            if later < planned.deadline:
                await asyncio.to_thread(self._scheduled.reschedule, planned.id, later)
            else:
                await self._skip(planned.id, "recently_active", who)
            return
        sent = await self._outbox.send_async(
            planned.channel,
            planned.address,
            replies.reply(replies.SCREENING_NUDGE, claim.language),
            language=claim.language,
        )
        await asyncio.to_thread(self._scheduled.mark_sent, planned.id, sent.id)

    async def _with_staff(self, channel: str, address: str) -> bool:
        if self._handoffs is None:
            return False
        state = await asyncio.to_thread(self._handoffs.open_state, channel, address)
        return state is not None and pauses_the_bot(state.reason, state.status)

    async def _skip(self, scheduled_id: int, reason: str, who: str) -> None:
        await asyncio.to_thread(self._scheduled.mark_skipped, scheduled_id, reason)
        logger.info("scheduled message %d to %s skipped: %s", scheduled_id, who, reason)
