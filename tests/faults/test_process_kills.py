"""kill -9 of each process in the middle of traffic through the signed Twilio webhook, under the
supervision `make run` uses (bot/cli/supervisor.py): the supervisor starts it again while the
others keep serving, and afterwards every stored message is processed and answered, every reply
sent once, every registration and handoff present once. Counted for every seeker, not sampled."""
from __future__ import annotations

import signal
import time
from collections.abc import Iterator

import pytest

from bot.actions.wiring import BUSINESS_HOURS_NOW_ENV
from bot.cli.harness import Assistant, running_assistant
from bot.cli.supervisor import ACTION_SERVER, RASA_SERVER, STAFF_CONSOLE, WEBHOOK_INGEST, answers_ok
from tests.channels.people import SmsSeeker
from tests.channels.settings import AFTER_HOURS, OUR_NUMBER, TEST_CHANNEL_ENV
from tests.events.upcoming import upcoming_event
from tests.faults.traffic import (
    HANDOFF,
    INTAKE,
    ScriptedSeeker,
    assert_every_message_answered_once,
    count_handoffs,
    count_registrations,
    finish_traffic,
    start_traffic,
    wait_until_all_settled,
)

RESTART_TIMEOUT_SECONDS = 240.0


@pytest.fixture(scope="module")
def supervised(tmp_path_factory, twilio_api) -> Iterator[Assistant]:
    env = {
        **TEST_CHANNEL_ENV,
        "TWILIO_API_BASE_URL": twilio_api.base_url,
        "TWILIO_FROM_NUMBER": OUR_NUMBER,
        "INBOUND_POLL_SECONDS": "0.5",
        BUSINESS_HOURS_NOW_ENV: AFTER_HOURS.isoformat(),
    }
    with running_assistant(tmp_path_factory.mktemp("supervised"), env) as assistant:
        assistant.supervisor.supervise_in_background()
        yield assistant


def kill_9_and_wait_for_the_restart(assistant: Assistant, name: str) -> None:
    managed = assistant.supervisor.process_named(name)
    restarts, killed = managed.restarts, managed.process
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    deadline = time.monotonic() + RESTART_TIMEOUT_SECONDS
    while not (managed.restarts > restarts and answers_ok(managed.health_url)):
        assert time.monotonic() < deadline, f"the {name} was not started again"
        time.sleep(0.2)
    assert managed.process.pid != killed.pid


def _seekers(assistant: Assistant, twilio_api) -> list[ScriptedSeeker]:
    event = upcoming_event(assistant.catalog, "Hotel Hiring Day", "Feria de hoteles")
    return [
        ScriptedSeeker(SmsSeeker(assistant, twilio_api), INTAKE),
        ScriptedSeeker(SmsSeeker(assistant, twilio_api), HANDOFF),
        ScriptedSeeker(SmsSeeker(assistant, twilio_api), (event.code, "Rosa", "yes")),
        ScriptedSeeker(SmsSeeker(assistant, twilio_api), INTAKE[:3]),
    ]


@pytest.mark.parametrize("victim", [RASA_SERVER, ACTION_SERVER, WEBHOOK_INGEST, STAFF_CONSOLE])
def test_a_process_killed_mid_traffic_is_restarted_and_nothing_is_lost_or_repeated(supervised, twilio_api, victim):
    seekers = _seekers(supervised, twilio_api)
    others = [managed for managed in supervised.supervisor.processes if managed.name != victim]
    others_before = {managed.name: managed.process.pid for managed in others}

    traffic = start_traffic(seekers)
    time.sleep(1.0)  # some texts stored, some turns running
    kill_9_and_wait_for_the_restart(supervised, victim)
    finish_traffic(traffic)
    wait_until_all_settled(supervised, seekers)

    assert {managed.name: managed.process.pid for managed in others} == others_before  # left alone
    assert_every_message_answered_once(supervised, twilio_api, seekers)
    intake, handoff, registrant, _ = seekers
    assert count_handoffs(supervised, handoff.number) == 1
    assert count_handoffs(supervised, intake.number) == 0
    assert count_registrations(supervised, registrant.number) == 1
    (held,) = supervised.registrations.registrations_of("twilio", registrant.number, AFTER_HOURS)
    assert held.registration.status == "registered"
    if victim == WEBHOOK_INGEST:
        assert any(seeker.refused for seeker in seekers), "no webhook fell in the ingest process's downtime"


def test_the_sender_killed_mid_send_sends_that_text_once(supervised, twilio_api):
    """The Rasa server runs the outbound sender: killed while Twilio has a text and has not yet
    answered, the row is left `sending`; the restarted sender asks Twilio's message list and
    records it sent instead of sending it again."""
    seeker = ScriptedSeeker(SmsSeeker(supervised, twilio_api), ("hi",))
    twilio_api.answer_slowly(2.0)
    finish_traffic(start_traffic([seeker]))
    deadline = time.monotonic() + 60
    while not any(row.status == "sending" for row in supervised.messages.transcript("twilio", seeker.number)):
        assert time.monotonic() < deadline, "no send started"
        time.sleep(0.02)
    kill_9_and_wait_for_the_restart(supervised, RASA_SERVER)
    wait_until_all_settled(supervised, [seeker])

    assert_every_message_answered_once(supervised, twilio_api, [seeker])
    assert len(twilio_api.messages_to(seeker.number)) == 1
