"""Two instances of the production profile behind nginx (as tests/production/test_two_instances.py),
for what runs on every instance besides the dialogue, and for the action servers failing:

- the scheduler and the campaign sender run on both instances: every event reminder and every
  campaign text reaches the local Twilio server exactly once (counted per person);
- with both action servers killed, nginx answers the Rasa servers' action calls 502: the turn
  fails instead of going on without the action's events, the message is run again once an
  action server is back, and its answers are stored and its replies sent exactly once, with no
  apology.
"""
from __future__ import annotations

import secrets
import signal
import time
from datetime import date, datetime, timedelta, timezone

import pytest

from bot import channel_replies as replies
from bot.bootstrap import build_stores
from bot.cli.harness import new_test_phone_number
from bot.cli.supervisor import ACTION_SERVER
from bot.hiring_events.model import Event
from bot.turn_recording import ACTION_SERVER_WAIT_SETTING
from bot.warn.notices import WarnNotice
from bot.warn.roster import RosterMember
from tests.channels.people import TWILIO_PATH, wait_until_settled
from tests.channels.settings import OUR_NUMBER, PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
from tests.fakes.twilio_api import signed_twilio_post, twilio_inbound_params
from tests.production.test_two_instances import CONVERSATION, INSTANCES, _tracker_message_ids, two_running_instances
from tests.waiting import wait_until

pytestmark = pytest.mark.postgres

REMINDED = 12
ROSTER_SIZE = 40
# A turn waits this long for an action server behind nginx before it fails and is run again later.
# Ten such tries must outlast the action servers' restart on a loaded machine (about 20 s seen).
ACTION_SERVER_WAIT = 4.0


@pytest.fixture(scope="module")
def two_instances(tmp_path_factory, twilio_api):
    operations = {
        "TWILIO_FROM_NUMBER": OUR_NUMBER,
        # Both instances' schedulers and campaign senders look often, so they race.
        "SCHEDULER_POLL_SECONDS": "0.3",
        "CAMPAIGN_MESSAGES_PER_SECOND": "20",
        "QUIET_HOURS": "off",  # whatever the hour the test runs at
        "INBOUND_POLL_SECONDS": "1",
        ACTION_SERVER_WAIT_SETTING: str(ACTION_SERVER_WAIT),
    }
    work_dir = tmp_path_factory.mktemp("two-instances-operations")
    with two_running_instances(work_dir, twilio_api, operations) as (settings, supervisor, url):
        yield settings, supervisor, build_stores(database_url=url), url


def test_reminders_and_campaign_texts_go_out_exactly_once_with_both_instances_sending(two_instances, twilio_api):
    settings, supervisor, stores, _ = two_instances
    now = datetime.now(timezone.utc)
    starts = (now + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    code = f"R{secrets.token_hex(2).upper()}"
    stores.event_catalog.upsert_event(
        Event(
            code=code,
            name={"en": f"Warehouse Day {code}", "es": f"Feria de almacenes {code}"},
            sectors=("transportation",),
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            venue="Example Hall",
            address="100 Example Ave, Chicago, IL 60601",
            capacity=100,
        )
    )
    reminded = [new_test_phone_number() for _ in range(REMINDED)]
    for number in reminded:
        outcome = stores.registrations.register(code, "twilio", number, None, now)
        assert outcome.kind == "registered"
        stores.scheduled_messages.schedule("reminder_2d", "twilio", number, now, now + timedelta(hours=6), outcome.registration.id)

    stores.warn.import_notices([WarnNotice(employer="Acme Foods", iebs_id="77", lwia="7", reported_on=date(2026, 11, 2))])
    notice = stores.warn.list_notices()[0]
    campaign = stores.campaigns.create(notice.id, "Acme", "Acme closes; we can help.", "Acme cierra; le ayudamos.", [], None)
    roster = [RosterMember(n + 2, f"W{n}", new_test_phone_number(), "en") for n in range(ROSTER_SIZE)]
    stores.campaigns.add_roster(campaign.id, roster)
    stores.campaigns.set_status(campaign.id, "sending")

    def reminders_received() -> int:
        return sum(1 for number in reminded for message in twilio_api.messages_to(number) if "Reminder:" in message.body)

    def campaign_texts_received() -> int:
        return sum(len(twilio_api.messages_to(member.phone)) for member in roster)

    wait_until(lambda: reminders_received() >= REMINDED, 120, "every reminder")
    wait_until(lambda: campaign_texts_received() >= ROSTER_SIZE, 120, "every campaign text")
    wait_until(lambda: stores.campaigns.get(campaign.id).status == "done", 30, "the campaign to finish")
    time.sleep(3.0)  # both schedulers and campaign senders make several more passes meanwhile

    for number in reminded:
        texts = [message.body for message in twilio_api.messages_to(number)]
        assert sum("Reminder:" in body for body in texts) == 1, (number, texts)
        (planned,) = [
            row
            for held in stores.registrations.registrations_of("twilio", number, now)
            for row in stores.scheduled_messages.scheduled_for_registration(held.registration.id)
            if row.kind == "reminder_2d"
        ]
        assert planned.status == "sent"
    per_member = {member.phone: len(twilio_api.messages_to(member.phone)) for member in roster}
    assert set(per_member.values()) == {1}, {phone: count for phone, count in per_member.items() if count != 1}
    # Both instances' schedulers and campaign senders were running all along (none restarted).
    assert all(managed.restarts == 0 for managed in supervisor.processes)

def test_a_turn_whose_action_servers_are_down_behind_nginx_runs_again_once_and_is_answered_once(two_instances, twilio_api):
    settings, supervisor, stores, url = two_instances
    action_servers = [supervisor.process_named(f"{ACTION_SERVER} {n}") for n in range(1, INSTANCES + 1)]
    number = new_test_phone_number()

    def post(body: str) -> None:
        params = twilio_inbound_params(from_=number, to=OUR_NUMBER, body=body, account_sid=TWILIO_ACCOUNT_SID)
        status, _ = signed_twilio_post(
            settings.webhook_url + TWILIO_PATH, params, TWILIO_AUTH_TOKEN, signature_url=PUBLIC_BASE_URL + TWILIO_PATH
        )
        assert status == 200

    post(CONVERSATION[0])
    wait_until_settled(stores, "twilio", number, timeout=120)
    for managed in action_servers:
        managed.process.send_signal(signal.SIGKILL)
        managed.process.wait(timeout=30)
    try:
        post(CONVERSATION[1])  # the name: its turn runs the intake's custom action
        # Several attempts, each waiting ACTION_SERVER_WAIT for an action server, all failed.
        time.sleep(ACTION_SERVER_WAIT * 4)
        inbound = [row for row in stores.messages.transcript("twilio", number) if row.direction == "in"]
        assert inbound[-1].text == CONVERSATION[1] and inbound[-1].status != "processed"
    finally:
        for managed in action_servers:
            supervisor.restart(managed.name)
    post(CONVERSATION[2])
    wait_until_settled(stores, "twilio", number, timeout=120)

    rows = stores.messages.transcript("twilio", number)
    inbound = [row for row in rows if row.direction == "in"]
    outbound = [row for row in rows if row.direction == "out"]
    assert [row.text for row in inbound] == list(CONVERSATION)
    assert {row.status for row in inbound} == {"processed"}
    # The intake's work was done, once: every answer stored, in order.
    assert stores.intake.latest_screening("twilio", number).answers == {
        "sectors": ["it"], "first_name": "Dana", "zip_code": "60302"
    }
    assert _tracker_message_ids(url, number) == [str(row.id) for row in inbound]
    # Each message answered, the failed attempts' replies never queued, no apology, each sent once.
    assert all(any(reply.in_reply_to == row.id for reply in outbound) for row in inbound)
    apologies = {replies.reply(replies.TURN_UNANSWERED, language) for language in ("en", "es", None)}
    assert not [row.text for row in outbound if row.text in apologies]
    received = twilio_api.messages_to(number)
    assert sorted(message.sid for message in received) == sorted(row.provider_id for row in outbound)
    nginx_errors = (settings.var_dir / "nginx" / "error.log").read_text()
    assert "while connecting to upstream" in nginx_errors
