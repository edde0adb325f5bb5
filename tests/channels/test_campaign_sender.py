"""The campaign sender with a controllable clock, in-process against a real SQLite database:
texts go at the configured pace, wait through quiet hours (queued in the morning, not refused),
stop while paused, and a restarted sender texts nobody twice."""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.channels.campaign_sender import IDLE_RECHECK_SECONDS, CampaignSender
from bot.scheduling.quiet_hours import QuietHours
from bot.store import MessageLog, make_engine, migrate
from bot.store.campaign_store import CampaignStore
from bot.store.warn_store import WarnStore
from bot.warn.notices import WarnNotice
from bot.warn.roster import RosterMember

CHICAGO = ZoneInfo("America/Chicago")
QUIET = QuietHours(time(21, 0), time(8, 0))


@dataclass
class Clocks:
    """Wall clock and monotonic clock moving together."""

    now: datetime
    ticks: float = 1000.0

    def wall(self) -> datetime:
        return self.now.astimezone(timezone.utc)

    def monotonic(self) -> float:
        return self.ticks

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.ticks += seconds


@pytest.fixture
def world(tmp_path):
    url = f"sqlite:///{tmp_path}/campaign.db"
    migrate(url)
    engine = make_engine(url)
    clocks = Clocks(datetime(2026, 12, 7, 10, 0, tzinfo=CHICAGO))
    WarnStore(engine).import_notices([WarnNotice(employer="Acme", iebs_id="1", lwia="7", reported_on=date(2026, 11, 1))])
    campaigns = CampaignStore(engine, clock=clocks.wall)
    campaign = campaigns.create(WarnStore(engine).list_notices()[0].id, "Acme", "Acme closes. We help.", "Acme cierra.", [], None)
    members = [RosterMember(n + 2, None, f"+1312{uuid.uuid4().int % 10**7:07d}", "en") for n in range(40)]
    campaigns.add_roster(campaign.id, members)
    return engine, clocks, campaigns, campaign, members


def _sender(campaigns, clocks, per_second=2.0) -> CampaignSender:
    return CampaignSender(campaigns, QUIET, per_second, clock=clocks.wall, monotonic=clocks.monotonic, poll_seconds=STEP)


STEP = 0.25  # seconds between passes


def _run_for(sender: CampaignSender, clocks: Clocks, seconds: float, step: float = STEP) -> int:
    queued = 0
    for _ in range(int(seconds / step)):
        queued += asyncio.run(sender.run_once())
        clocks.advance(step)
    return queued


def test_texts_go_at_the_configured_pace(world):
    engine, clocks, campaigns, campaign, members = world
    campaigns.set_status(campaign.id, "sending")
    sender = _sender(campaigns, clocks, per_second=2.0)
    assert _run_for(sender, clocks, 10) == 20  # 2 a second over 10 s
    assert campaigns.progress(campaign.id).queued == 20


def test_a_fast_pace_is_kept_between_passes(world):
    engine, clocks, campaigns, campaign, members = world
    campaigns.set_status(campaign.id, "sending")
    sender = _sender(campaigns, clocks, per_second=12.0)  # 3 a pass of a quarter second
    assert _run_for(sender, clocks, 3) == 6 + 11 * 3  # two passes' worth at the start, then 3 a pass


def test_quiet_hours_hold_the_texts_until_morning(world):
    engine, clocks, campaigns, campaign, members = world
    clocks.now = datetime(2026, 12, 7, 20, 59, 50, tzinfo=CHICAGO)
    campaigns.set_status(campaign.id, "sending")
    sender = _sender(campaigns, clocks, per_second=1.0)
    before_nine = _run_for(sender, clocks, 10)
    assert before_nine == 10
    assert _run_for(sender, clocks, 60) == 0  # 21:00: quiet
    clocks.advance(timedelta(hours=10, minutes=58).total_seconds())  # 07:59:xx
    assert _run_for(sender, clocks, 30) == 0
    assert _run_for(sender, clocks, 60) > 0  # 08:00: the rest go
    assert campaigns.get(campaign.id).status in ("sending", "done")


def test_a_paused_campaign_waits_and_a_restarted_sender_texts_nobody_twice(world):
    engine, clocks, campaigns, campaign, members = world
    campaigns.set_status(campaign.id, "sending")
    _run_for(_sender(campaigns, clocks, per_second=4.0), clocks, 2)
    campaigns.set_status(campaign.id, "paused")
    assert _run_for(_sender(campaigns, clocks), clocks, 5) == 0
    campaigns.set_status(campaign.id, "sending")
    # A new sender over a new store, as after a crash and restart of the process.
    restarted = _sender(CampaignStore(make_engine(str(engine.url)), clock=clocks.wall), clocks, per_second=10.0)
    _run_for(restarted, clocks, 10)
    log = MessageLog(engine)
    assert [len([m for m in log.transcript("twilio", member.phone) if m.direction == "out"]) for member in members] == [1] * 40
    assert campaigns.get(campaign.id).status == "done"


def test_an_idle_sender_looks_at_the_database_seldom_and_finds_a_started_campaign_soon(world):
    engine, clocks, campaigns, campaign, members = world
    looks: list[float] = []
    real_sending = campaigns.sending

    def counted_sending():
        looks.append(clocks.ticks)
        return real_sending()

    campaigns.sending = counted_sending  # the store the sender reads, watched
    sender = _sender(campaigns, clocks, per_second=4.0)
    assert _run_for(sender, clocks, 10) == 0  # a draft: nothing to send
    assert len(looks) == 5  # every IDLE_RECHECK_SECONDS, not every quarter second
    campaigns.set_status(campaign.id, "sending")
    started = clocks.ticks
    while not _run_for(sender, clocks, STEP):
        assert clocks.ticks - started <= IDLE_RECHECK_SECONDS + STEP
    assert len(looks) >= 6
