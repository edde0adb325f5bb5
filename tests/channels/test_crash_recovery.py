"""A crash between answering a webhook and processing the message loses nothing, repeats nothing;
the webhook ingest process answers and stores while the Rasa server is down, and a lost wake
only delays a message until the Rasa server's poll finds it."""
from __future__ import annotations

import socket
import time

from bot.channels.settings import WAKE_PORT_SETTING
from bot.channels.wake import decode_wake
from bot.cli.harness import running_assistant
from tests.channels.people import SmsSeeker, wait_until_settled
from tests.channels.settings import TEST_CHANNEL_ENV


def _env(twilio_api, **extra: str) -> dict[str, str]:
    return {**TEST_CHANNEL_ENV, "TWILIO_API_BASE_URL": twilio_api.base_url, **extra}


def test_messages_answered_before_a_kill_9_are_processed_once_after_restart(tmp_path, twilio_api):
    # INBOUND_PROCESSING=hold stores and answers but processes nothing: the crash is then
    # certain to fall between the answer and the processing.
    with running_assistant(tmp_path, _env(twilio_api, INBOUND_PROCESSING="hold")) as assistant:
        person = SmsSeeker(assistant, twilio_api)
        for body in ("hola", "Rosa", "60623"):
            assert person.post(body)[0] == 200
        time.sleep(0.5)
        assert [row.status for row in person.messages()] == ["received"] * 3
        assert twilio_api.messages_to(person.number) == []
        assistant.kill_rasa_server()

    with running_assistant(tmp_path, _env(twilio_api)) as restarted:
        wait_until_settled(restarted, "twilio", person.number)
        rows = restarted.messages.transcript("twilio", person.number)
        assert [row.status for row in rows if row.direction == "in"] == ["processed"] * 3
        sent = [message.body for message in twilio_api.messages_to(person.number)]
        assert sum("tarifas de msj y datos" in body for body in sent) == 1, sent  # one consent notice
        answers = restarted.store.latest_screening("twilio", person.number).answers
        assert answers["first_name"] == "Rosa" and answers["zip_code"] == "60623"  # in order


def test_a_kill_9_mid_conversation_neither_loses_nor_repeats_a_turn(tmp_path, twilio_api):
    with running_assistant(tmp_path, _env(twilio_api)) as assistant:
        person = SmsSeeker(assistant, twilio_api)
        person.text("hi")
        for body in ("Keisha", "60621", "hotels"):
            assert person.post(body)[0] == 200
        assistant.kill_rasa_server()  # somewhere in the middle of those turns

    with running_assistant(tmp_path, _env(twilio_api)) as restarted:
        wait_until_settled(restarted, "twilio", person.number)
        rows = restarted.messages.transcript("twilio", person.number)
        assert {row.status for row in rows if row.direction == "in"} == {"processed"}
        answers = restarted.store.latest_screening("twilio", person.number).answers
        assert answers["first_name"] == "Keisha" and answers["zip_code"] == "60621"
        assert answers["sectors"] == ["hospitality"]
        bodies = [message.body for message in twilio_api.messages_to(person.number)]
        # Each question at most once in a row: no turn ran twice.
        assert all(a != b for a, b in zip(bodies, bodies[1:])), bodies
        # A reply may be lost only if the crash hit while it was being sent; it is then logged.
        assert {row.status for row in rows if row.direction == "out"} <= {"sent", "uncertain"}


def test_while_the_rasa_server_is_down_webhooks_are_answered_and_stored_then_processed(tmp_path, twilio_api):
    with running_assistant(tmp_path, _env(twilio_api)) as assistant:
        person = SmsSeeker(assistant, twilio_api)
        assert "Msg & data rates" in person.say("hi")
        assistant.kill_rasa_server()
        for body in ("Marcus", "60644"):
            assert person.post(body)[0] == 200  # the ingest process is still up
        time.sleep(0.5)
        assert [row.status for row in person.messages() if row.direction == "in"][-2:] == ["received"] * 2

        assistant.restart_rasa_server()
        wait_until_settled(assistant, "twilio", person.number)
        assert {row.status for row in person.messages() if row.direction == "in"} == {"processed"}
        answers = assistant.store.latest_screening("twilio", person.number).answers
        assert answers["first_name"] == "Marcus" and answers["zip_code"] == "60644"


def test_a_lost_wake_only_delays_a_message_until_the_poll_finds_it(tmp_path, twilio_api):
    # The test holds the wake port, so the Rasa server cannot listen on it and every wake the
    # ingest process sends lands here instead.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as thief:
        thief.bind(("127.0.0.1", 0))
        thief.settimeout(10)
        env = _env(twilio_api, INBOUND_POLL_SECONDS="0.5", **{WAKE_PORT_SETTING: str(thief.getsockname()[1])})
        with running_assistant(tmp_path, env) as assistant:
            person = SmsSeeker(assistant, twilio_api)
            replies = person.text("hello")
            assert any("Msg & data rates" in reply for reply in replies)
            (stored,) = [row for row in person.messages() if row.direction == "in"]
            wake = decode_wake(thief.recv(64))
            assert (wake.message_id, wake.seeker_id) == (stored.id, stored.seeker_id)  # row ids only
            server_log = (assistant.log_dir / "Rasa_server.log").read_text()
            assert "cannot listen for webhook wakes" in server_log
