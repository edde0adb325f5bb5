"""A WARN outreach campaign through the running assistant and the local Twilio API server, with
the Rasa server (which queues and sends campaign texts) killed with SIGKILL mid-campaign and
started again: every worker on the roster gets their text exactly once."""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from bot.cli.harness import new_test_phone_number, running_assistant
from bot.store import make_engine
from bot.store.campaign_store import CampaignStore
from bot.store.warn_store import WarnStore
from bot.warn.notices import WarnNotice
from bot.warn.roster import RosterMember
from tests.channels.settings import MESSAGING_SERVICE_SID, TEST_CHANNEL_ENV
from tests.waiting import wait_until

ROSTER_SIZE = 120


def test_a_kill_9_mid_campaign_texts_every_worker_exactly_once(tmp_path: Path, twilio_api) -> None:
    env = {
        **TEST_CHANNEL_ENV,
        "TWILIO_API_BASE_URL": twilio_api.base_url,
        "TWILIO_MESSAGING_SERVICE_SID": MESSAGING_SERVICE_SID,
        "CAMPAIGN_MESSAGES_PER_SECOND": "40",
    }
    roster = [RosterMember(n + 2, f"W{n}", new_test_phone_number(), "es" if n % 3 else "en") for n in range(ROSTER_SIZE)]
    numbers = {member.phone for member in roster}

    def texts_received() -> int:
        return sum(1 for message in twilio_api.messages if message.to in numbers)

    with running_assistant(tmp_path, env) as assistant:
        engine = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
        WarnStore(engine).import_notices([WarnNotice(employer="Acme Foods", iebs_id="99", lwia="7", reported_on=date(2026, 11, 2))])
        campaigns = CampaignStore(engine)
        campaign = campaigns.create(WarnStore(engine).list_notices()[0].id, "Acme", "Acme closes; we can help.", "Acme cierra; le ayudamos.", [], None)
        campaigns.add_roster(campaign.id, roster)
        # Twilio answers slowly, so sends are in flight when the process dies.
        twilio_api.answer_slowly(0.4, count=ROSTER_SIZE)
        campaigns.set_status(campaign.id, "sending")
        wait_until(lambda: texts_received() >= ROSTER_SIZE // 4, 60, "a quarter of the campaign to go out")
        assistant.kill_rasa_server()
        before_restart = texts_received()
        assert before_restart < ROSTER_SIZE
        assistant.restart_rasa_server()
        wait_until(lambda: texts_received() >= ROSTER_SIZE, 90, "the rest of the campaign")
        wait_until(lambda: campaigns.get(campaign.id).status == "done", 30, "the campaign to finish")
        time.sleep(1.0)  # anything sent twice would arrive now
        engine.dispose()
        # The kill caught sends in flight (Twilio answers slowly): the restart had to settle them.
        server_log = (assistant.log_dir / "Rasa_server.log").read_text()
        assert "uncertain messages settled" in server_log

    per_number = {number: len(twilio_api.messages_to(number)) for number in numbers}
    assert sorted(set(per_number.values())) == [1], {n: c for n, c in per_number.items() if c != 1}
    spanish = [message for message in twilio_api.messages if message.to in numbers and "Acme cierra" in message.body]
    assert len(spanish) == sum(member.language == "es" for member in roster)
