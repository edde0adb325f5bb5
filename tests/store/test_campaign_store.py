"""Campaign rosters and queueing, on SQLite and PostgreSQL: every member texted exactly once
(also with two senders racing and after a crash between passes), opted-out people never, the
campaign done when the roster is exhausted."""
from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, timezone

import pytest

from bot.store import IntakeStore, MessageLog
from bot.store.campaign_store import CampaignRefused, CampaignStore
from bot.store.warn_store import WarnStore
from bot.warn.notices import WarnNotice
from bot.warn.roster import RosterMember

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=timezone.utc)


def _phone() -> str:
    return f"+1312{uuid.uuid4().int % 10**7:07d}"


def _campaign(engine, size: int, languages=("en", "es")):
    notice = WarnNotice(employer=f"Acme {uuid.uuid4().hex[:6]}", iebs_id=uuid.uuid4().hex[:12], lwia="7", reported_on=date(2026, 11, 1))
    WarnStore(engine).import_notices([notice])
    (record,) = [r for r in WarnStore(engine).list_notices() if r.notice.employer == notice.employer]
    campaigns = CampaignStore(engine, clock=lambda: NOW)
    campaign = campaigns.create(record.id, "Acme closure", "Acme is closing. We can help.", "Acme cierra. Podemos ayudar.", ["RRACME"], None)
    members = [RosterMember(n + 2, f"Worker{n}", _phone(), languages[n % len(languages)]) for n in range(size)]
    return campaigns, campaign, members


def _texts_of(engine, phone: str) -> list:
    return [m for m in MessageLog(engine).transcript("twilio", phone) if m.direction == "out"]


def test_each_member_is_queued_once_in_their_language_and_the_campaign_ends(engine):
    campaigns, campaign, members = _campaign(engine, 5)
    assert campaigns.add_roster(campaign.id, members).added == 5
    assert campaigns.add_roster(campaign.id, members[:2]).already_on_roster == 2
    campaigns.set_status(campaign.id, "sending")
    assert [campaigns.queue_next(campaign.id, 2) for _ in range(4)] == [2, 2, 1, 0]
    assert campaigns.get(campaign.id).status == "done"
    for member in members:
        (text,) = _texts_of(engine, member.phone)
        assert ("Acme cierra" in text.text) == (member.language == "es")
        assert "STOP" in text.text
    progress = campaigns.progress(campaign.id)
    assert (progress.roster, progress.waiting, progress.queued, progress.suppressed) == (5, 0, 5, 0)


def test_people_who_opted_out_before_or_since_the_upload_are_never_texted(engine):
    campaigns, campaign, members = _campaign(engine, 3)
    intake = IntakeStore(engine)
    intake.record_opt_out("twilio", members[0].phone, "STOP")
    counts = campaigns.add_roster(campaign.id, members)
    assert (counts.added, counts.opted_out) == (3, 1)
    intake.record_opt_out("twilio", members[1].phone, "STOP")  # after the upload, before the send
    campaigns.set_status(campaign.id, "sending")
    assert campaigns.queue_next(campaign.id, 10) == 1
    assert _texts_of(engine, members[0].phone) == [] and _texts_of(engine, members[1].phone) == []
    assert len(_texts_of(engine, members[2].phone)) == 1
    assert campaigns.progress(campaign.id).suppressed == 2


def test_a_paused_campaign_queues_nothing_until_resumed(engine):
    campaigns, campaign, members = _campaign(engine, 4)
    campaigns.add_roster(campaign.id, members)
    with pytest.raises(CampaignRefused):
        campaigns.set_status(campaign.id, "paused")  # a draft is not sending
    campaigns.set_status(campaign.id, "sending")
    assert campaigns.queue_next(campaign.id, 1) == 1
    campaigns.set_status(campaign.id, "paused")
    assert campaigns.queue_next(campaign.id, 10) == 0
    with pytest.raises(CampaignRefused):
        campaigns.add_roster(campaign.id, [RosterMember(9, "Late", _phone(), "en")])
    campaigns.set_status(campaign.id, "sending")
    assert campaigns.queue_next(campaign.id, 10) == 3


def test_a_campaign_needs_a_roster_to_start(engine):
    campaigns, campaign, _ = _campaign(engine, 0)
    with pytest.raises(CampaignRefused, match="roster"):
        campaigns.set_status(campaign.id, "sending")


def test_senders_racing_on_two_connections_queue_every_member_exactly_once(engine):
    campaigns, campaign, members = _campaign(engine, 60)
    campaigns.add_roster(campaign.id, members)
    campaigns.set_status(campaign.id, "sending")
    # A second process's store: its own object over the same database, as after a restart.
    other = CampaignStore(engine, clock=lambda: NOW)
    totals: list[int] = []
    barrier = threading.Barrier(2)

    def drain(store: CampaignStore) -> None:
        barrier.wait()
        queued = 0
        while True:
            step = store.queue_next(campaign.id, 7)
            if not step and store.get(campaign.id).status == "done":
                break
            queued += step
        totals.append(queued)

    threads = [threading.Thread(target=drain, args=(store,)) for store in (campaigns, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(totals) == 60
    assert all(len(_texts_of(engine, member.phone)) == 1 for member in members)
