"""The outbound sender: delivers queued messages, one at a time per person, oldest first.

A text that went out but could not be recorded as sent (the database unreachable) is kept in
memory and recorded when the database answers again. While running, every SWEEP_INTERVAL, a row
left `sending` longer than STALE_SENDING (its sender died, here or on another instance) becomes
`uncertain`, and uncertain SMS quiet for UNCERTAIN_QUIET are settled against Twilio's message
list: recorded sent if Twilio has them, queued again if it never got them. So no person's queue
waits for a restart, and nothing is sent twice.

Refuses anything but a consent confirmation or HELP to a person who opted out (checked at the
moment of sending, so an opt-out that lands while a reply waits still stops it). Retries
throttling, server errors and network trouble with growing, jittered delays; gives up on other
errors; records a carrier opt-out (Twilio 21610) or a blocked Telegram bot as an opt-out.
"""
from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.channels.providers import Delivered, DeliveryFailed, LookupFailed, Provider, reply_route
from bot.metrics import SEND_FAILURES, UNCERTAIN_SENDS
from bot.store import IntakeStore, MessageLog, OutboundClaim, address_digest
from bot.store.timestamps import utc_now

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
RECORD_ATTEMPTS = 5
FIRST_RETRY_SECONDS = 2.0
LONGEST_RETRY_SECONDS = 300.0
# Uncertain messages older than this are not looked up: a day-old text is no longer worth sending.
UNCERTAIN_LOOKBACK = timedelta(days=1)
# Far longer than any send takes (SEND_TIMEOUT_SECONDS, 15 s by default; keep it well under
# this): a row `sending` this long is no longer in anyone's hands.
STALE_SENDING = timedelta(minutes=2)
# A send that timed out may still be being created at the provider; it is asked about only after.
# Twilio creates a message within the request (SEND_TIMEOUT_SECONDS at most), so half a minute
# after the send failed its answer is final: the person waits about that long, not minutes.
UNCERTAIN_QUIET = timedelta(seconds=30)
SWEEP_INTERVAL = timedelta(minutes=1)


def retry_delay(attempts: int, retry_after: float | None = None, jitter: Callable[[], float] = random.random) -> float:
    """Seconds before the next try after `attempts` failed ones: 2, 4, 8... capped, +-20%."""
    base = min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_RETRY_SECONDS)
    delay = base * (0.8 + 0.4 * jitter())
    return max(delay, retry_after or 0.0)


class OutboundSender:
    def __init__(
        self,
        log: MessageLog,
        store: IntakeStore,
        providers: Mapping[str, Provider],
        *,
        poll_seconds: float = 1.0,
        concurrency: int = 8,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._log = log
        self._store = store
        self._providers = dict(providers)
        self._poll_seconds = poll_seconds
        self._concurrency = asyncio.Semaphore(concurrency)
        self._clock = clock
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._in_flight: set[int] = set()  # ids being delivered by this process
        # Sent, but not yet recorded as sent: message id -> what the provider said.
        self._unrecorded: dict[int, Delivered] = {}
        self._next_sweep: datetime | None = None
        # A look over the whole queue is due: at start, when something was queued by a path that
        # does not say for whom, and on every poll (other processes queue texts too).
        self._look_over_queue = True
        # Seeker id -> replies this process queued for them, not yet claimed: claimed person by
        # person (one statement each), with no look over the queue.
        self._awaited: dict[int, int] = {}
        # People a look over the queue held back behind a message in flight: their next one is
        # claimed as soon as that one is done.
        self._held_back: set[int] = set()
        self._sending_to: set[int] = set()  # seeker ids with a message being delivered here

    def wake(self) -> None:
        """Something was queued: look over the queue."""
        self._look_over_queue = True
        if self._wake is not None:
            self._wake.set()

    def expect(self, seeker_id: int, count: int) -> None:
        """This process queued `count` replies for `seeker_id` (a turn's answers): claims them
        for that person alone, without a look over the queue."""
        if count < 1:
            return
        self._awaited[seeker_id] = self._awaited.get(seeker_id, 0) + count
        if self._wake is not None:
            self._wake.set()

    def start(self) -> None:
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        assert self._wake is not None
        in_flight: set[asyncio.Task] = set()
        while True:
            try:
                await self.settle_unfinished()
            except Exception:
                logger.exception("outbound sender could not settle unfinished sends; trying again")
            try:
                claims = await self._claim()
            except Exception:
                logger.exception("outbound sender could not read the queue")
                claims = []
            for claim in claims:
                # Not awaited together: a person's next message is claimed as soon as their
                # previous one is sent, not when the slowest send of the batch is done.
                self._sending_to.add(claim.message.seeker_id)
                task = asyncio.get_running_loop().create_task(self._deliver(claim))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
                task.add_done_callback(lambda _, seeker_id=claim.message.seeker_id: self._done_with(seeker_id))
            if claims:
                continue
            try:
                # Also polls: other processes (staff console, reminders) queue messages too.
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)
            except asyncio.TimeoutError:
                self._look_over_queue = True
            self._wake.clear()

    async def _claim(self) -> list[OutboundClaim]:
        """What is due now: a look over the whole queue when one is due, then the replies this
        process queued, person by person."""
        claims: list[OutboundClaim] = []
        if self._look_over_queue:
            self._look_over_queue = False
            due = await asyncio.to_thread(self._log.claim_due_noting_held_back, self._clock())
            claims.extend(due.claims)
            self._held_back.update(due.held_back)
        claimed = {claim.message.seeker_id for claim in claims}
        for seeker_id in list(self._awaited):
            if seeker_id in self._sending_to or seeker_id in claimed:
                continue  # claimed once the message in flight is done
            claim = await asyncio.to_thread(self._log.claim_next_of, seeker_id, self._clock())
            if claim is None:
                # Nothing of theirs is due (another sender took it, or it waits for a retry):
                # the poll finds what is left.
                del self._awaited[seeker_id]
                continue
            self._awaited[seeker_id] -= 1
            if self._awaited[seeker_id] < 1:
                del self._awaited[seeker_id]
            claims.append(claim)
        return claims

    def _done_with(self, seeker_id: int) -> None:
        """A delivery to `seeker_id` ended: their next message, if one waits, is claimed now."""
        self._sending_to.discard(seeker_id)
        if seeker_id in self._held_back:
            self._held_back.discard(seeker_id)
            self._awaited.setdefault(seeker_id, 1)
        if seeker_id in self._awaited and self._wake is not None:
            self._wake.set()

    @property
    def unrecorded(self) -> int:
        """Texts sent but not yet recorded as sent (the database was unreachable)."""
        return len(self._unrecorded)

    async def settle_unfinished(self) -> None:
        """Records sends the database missed; every SWEEP_INTERVAL, turns stale `sending` rows
        uncertain and settles the quiet uncertain ones with the provider."""
        for message_id, delivered in list(self._unrecorded.items()):
            try:
                await asyncio.to_thread(self._log.mark_sent, message_id, delivered.provider_id, delivered.text_sent)
            except Exception as trouble:
                logger.debug("message %d still not recorded as sent: %s", message_id, type(trouble).__name__)
                return  # the database is still away; the next pass tries again
            del self._unrecorded[message_id]
            logger.info("message %d: recorded as sent now that the database answers", message_id)
        now = self._clock()
        if self._next_sweep is not None and now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_INTERVAL
        stale = await asyncio.to_thread(
            self._log.mark_stale_sending_uncertain, now - STALE_SENDING, [*self._in_flight, *self._unrecorded]
        )
        if stale:
            UNCERTAIN_SENDS.inc(stale, channel="any")
            logger.warning("%d messages were left sending (a sender died or lost the database): asking the provider", stale)
        await self.reconcile_uncertain(quiet_since=now - UNCERTAIN_QUIET)

    async def reconcile_uncertain(self, quiet_since: datetime | None = None) -> tuple[int, int]:
        """At start, before sending, and then every SWEEP_INTERVAL for those quiet since
        `quiet_since`: asks the providers that can say (Twilio's message list) about each
        message a crash or a timeout left uncertain in the last day. One the provider has is
        recorded as sent; one it never got is queued again, so a crash mid-send neither loses a
        text nor sends it twice. Returns (found sent, queued again); the others stay uncertain
        (Telegram cannot be asked; a failed lookup)."""
        since = self._clock() - UNCERTAIN_LOOKBACK
        found = requeued = 0
        for message in await asyncio.to_thread(self._log.uncertain_outbound, since, 200, quiet_since):
            provider = self._providers.get(message.channel)
            lookup = getattr(provider, "find_accepted", None)
            if lookup is None:
                continue
            try:
                provider_id = await lookup(message)
            except LookupFailed as failure:
                logger.warning("message %d: could not ask the provider (%s); it stays uncertain", message.id, failure)
                continue
            await asyncio.to_thread(self._log.settle_uncertain, message.id, provider_id)
            if provider_id is None:
                requeued += 1
            else:
                found += 1
        if found or requeued:
            logger.warning("uncertain messages settled: %d had gone out, %d queued again", found, requeued)
        return found, requeued

    async def send_due(self) -> int:
        """One pass: claims what is due and delivers it; returns how many it handled."""
        claims = await asyncio.to_thread(self._log.claim_due, self._clock())
        await asyncio.gather(*(self._deliver(claim) for claim in claims))
        return len(claims)

    async def _deliver(self, claim: OutboundClaim) -> None:
        self._in_flight.add(claim.message.id)
        try:
            await self._deliver_claimed(claim)
        finally:
            self._in_flight.discard(claim.message.id)

    async def _deliver_claimed(self, claim: OutboundClaim) -> None:
        message = claim.message
        who = address_digest(message.channel, message.address)
        if claim.recipient_opted_out and not message.consent_exempt:
            await asyncio.to_thread(self._log.mark_refused, message.id, "opted_out")
            logger.info("message %d to %s refused: opted out", message.id, who)
            return
        provider = self._providers.get(message.channel)
        if provider is None:
            await asyncio.to_thread(self._log.mark_failed, message.id, "no_channel")
            logger.warning("message %d: channel %s is not configured", message.id, message.channel)
            return
        route = reply_route(message.details) or await self._route_of(message.channel, message.address)
        async with self._concurrency:
            try:
                delivered = await provider.deliver(message, route)
            except DeliveryFailed as failure:
                await self._failed(claim, failure, who)
                return
            except Exception:
                # Unknown trouble: the message may or may not have left, so it is not resent.
                SEND_FAILURES.inc(channel=message.channel, code="error")
                logger.exception("message %d to %s: unexpected send error", message.id, who)
                await asyncio.to_thread(self._log.mark_failed, message.id, "error")
                return
        await self._record_sent(message.id, delivered)
        logger.debug("message %d to %s sent", message.id, who)

    async def _record_sent(self, message_id: int, delivered: Delivered) -> None:
        """The text is out; a row left `sending` holds this person's queue, so a failing write
        (a locked database) is tried again, then kept to be written by settle_unfinished."""
        for attempt in range(1, RECORD_ATTEMPTS + 1):
            try:
                await asyncio.to_thread(self._log.mark_sent, message_id, delivered.provider_id, delivered.text_sent)
                return
            except Exception as trouble:
                if attempt == RECORD_ATTEMPTS:
                    self._unrecorded[message_id] = delivered
                    logger.error(
                        "message %d was sent but could not be recorded as sent (%s); recorded when the database answers",
                        message_id, type(trouble).__name__,
                    )
                    return
                await asyncio.sleep(0.2 * attempt)

    async def _failed(self, claim: OutboundClaim, failure: DeliveryFailed, who: str) -> None:
        message = claim.message
        SEND_FAILURES.inc(channel=message.channel, code=failure.code)
        if failure.uncertain:
            UNCERTAIN_SENDS.inc(channel=message.channel)
            await asyncio.to_thread(self._log.mark_uncertain, message.id, failure.code)
            logger.warning("message %d to %s may or may not have gone out (%s); asked about shortly", message.id, who, failure.code)
            # Settled by the sweep once quiet, brought forward so the reply is not minutes late.
            settle_at = self._clock() + UNCERTAIN_QUIET + timedelta(seconds=1)
            if self._next_sweep is None or settle_at < self._next_sweep:
                self._next_sweep = settle_at
        elif failure.recipient_gone:
            await asyncio.to_thread(self._log.mark_failed, message.id, failure.code)
            await asyncio.to_thread(self._store.record_opt_out, message.channel, message.address, failure.code)
            logger.info("message %d: %s is unreachable (%s); recorded as opted out", message.id, who, failure.code)
        elif failure.retry and message.attempts < MAX_ATTEMPTS:
            retry_at = self._clock() + timedelta(seconds=retry_delay(message.attempts, failure.retry_after))
            await asyncio.to_thread(self._log.mark_retry, message.id, failure.code, retry_at)
            logger.info("message %d to %s: %s, retrying at %s", message.id, who, failure.code, retry_at.isoformat())
        else:
            await asyncio.to_thread(self._log.mark_failed, message.id, failure.code)
            logger.warning("message %d to %s failed: %s", message.id, who, failure.code)

    async def _route_of(self, channel: str, address: str) -> dict[str, Any]:
        """Reply the way the person last wrote in (Twilio: their To number / Messaging Service)."""
        latest = await asyncio.to_thread(self._log.latest_inbound, channel, address)
        return reply_route(latest.details if latest is not None else None)
