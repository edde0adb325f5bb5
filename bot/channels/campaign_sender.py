"""Queues outreach campaign texts at the sending number's pace, never in quiet hours.

Runs in the Rasa process beside the scheduler. Each pass asks the pace (a token bucket,
bot/warn/campaign.py) how many texts may go, and has the campaign store queue that many across
the campaigns that are sending, oldest campaign first; the outbound sender then delivers them.
During quiet hours nothing is queued: the campaign simply waits for the morning. Pausing a
campaign in the console stops it at the next pass. Because the store queues a member's text in
the same transaction that marks them queued, a crash or a restart mid-campaign texts nobody twice.

The pace is this process's: with several Rasa processes each keeps its own, so divide the rate
among them (CAMPAIGN_MESSAGES_PER_SECOND).
"""
from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from datetime import datetime

from bot.channels.periodic import PeriodicTask
from bot.scheduling.quiet_hours import QuietHours
from bot.store.campaign_store import CampaignStore
from bot.warn.campaign import SendPace

logger = logging.getLogger(__name__)

# With no campaign sending, the database is looked at this often rather than every pass: a started
# campaign waits at most this long, and an idle Rasa process does not read four times a second.
IDLE_RECHECK_SECONDS = 2.0


class CampaignSender:
    def __init__(
        self,
        campaigns: CampaignStore,
        quiet: QuietHours | None,
        messages_per_second: float,
        *,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
        poll_seconds: float = 0.25,
        on_queued: Callable[[], None] | None = None,
    ) -> None:
        self._campaigns = campaigns
        self._quiet = quiet
        # A pass may queue what accumulated since the last one; two passes' worth, so a pass that
        # starts late (a busy event loop) does not lose its share of the rate.
        self._pace = SendPace(messages_per_second, burst=max(1, math.ceil(messages_per_second * poll_seconds * 2)))
        self._clock = clock
        self._monotonic = monotonic
        self._on_queued = on_queued
        self._passes = PeriodicTask("campaign sending pass", self.run_once, poll_seconds)
        self._idle_until: float | None = None  # monotonic time of the next look while idle

    def start(self) -> None:
        self._passes.start()

    async def stop(self) -> None:
        await self._passes.stop()

    async def run_once(self) -> int:
        """One pass; returns how many texts it queued."""
        if self._quiet is not None and self._quiet.is_quiet(self._clock()):
            return 0
        tick = self._monotonic()
        if self._idle_until is not None and tick < self._idle_until:
            return 0
        campaigns = await asyncio.to_thread(self._campaigns.sending)
        if not campaigns:
            self._idle_until = tick + IDLE_RECHECK_SECONDS
            return 0
        self._idle_until = None
        allowed = self._pace.allowance(tick)
        queued = 0
        for campaign in campaigns:
            if queued >= allowed:
                break
            step = await asyncio.to_thread(self._campaigns.queue_next, campaign.id, allowed - queued)
            if step:
                logger.info("campaign %d: %d texts queued", campaign.id, step)
            queued += step
        self._pace.spend(queued)
        if queued and self._on_queued is not None:
            self._on_queued()
        return queued
