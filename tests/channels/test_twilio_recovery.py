"""Texts that reached Twilio while the webhook ingest process was down (and no fallback stored
them) are recovered from Twilio's message list when it starts again, and processed and answered
once; a text its webhook did store, and later passes over the same texts, store nothing twice.
Against the running assistant and a local server speaking Twilio's REST API (its own, so the
texts made to arrive here are listed to no other test's assistant)."""
from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from bot.channels import inbound as kinds
from bot.channels.twilio_recovery import inbound_from_resource
from bot.cli.harness import Assistant, new_test_phone_number, running_assistant
from bot.cli.supervisor import WEBHOOK_INGEST
from tests.channels.people import TWILIO_PATH, wait_until_settled
from tests.channels.settings import OUR_NUMBER, PUBLIC_BASE_URL, TEST_CHANNEL_ENV, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
from tests.fakes.twilio_api import FakeTwilioApi, signed_twilio_post, twilio_inbound_params

RECOVERY_SECONDS = 1.0


@pytest.fixture(scope="module")
def own_twilio_api() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) as server:
        yield server


@pytest.fixture(scope="module")
def recovering(tmp_path_factory, own_twilio_api) -> Iterator[Assistant]:
    env = {
        **TEST_CHANNEL_ENV,
        "TWILIO_API_BASE_URL": own_twilio_api.base_url,
        "TWILIO_FROM_NUMBER": OUR_NUMBER,
        "TWILIO_RECOVERY_SECONDS": str(RECOVERY_SECONDS),
        "INBOUND_POLL_SECONDS": "0.5",
    }
    with running_assistant(tmp_path_factory.mktemp("recovery"), env) as assistant:
        yield assistant


def _post(assistant: Assistant, number: str, body: str, sid: str | None = None) -> int:
    params = twilio_inbound_params(from_=number, to=OUR_NUMBER, body=body, account_sid=TWILIO_ACCOUNT_SID, message_sid=sid)
    try:
        status, _ = signed_twilio_post(
            assistant.webhook_url + TWILIO_PATH, params, TWILIO_AUTH_TOKEN, signature_url=PUBLIC_BASE_URL + TWILIO_PATH
        )
    except OSError:  # connection refused: the ingest process is down
        return 0
    return status


def _wait_for_list_requests(api: FakeTwilioApi, more: int, timeout: float = 30) -> None:
    target = api.list_requests + more
    deadline = time.monotonic() + timeout
    while api.list_requests < target:
        assert time.monotonic() < deadline, "the recovery passes stopped"
        time.sleep(0.1)


def test_texts_that_arrived_while_the_ingest_process_was_down_are_recovered_and_answered_once(recovering, own_twilio_api):
    assistant, api = recovering, own_twilio_api
    early = new_test_phone_number()
    # Stored by its webhook, and listed by Twilio too: never stored or answered twice.
    sid = api.receive_inbound(early, OUR_NUMBER, "hi, i need work in IT")
    assert _post(assistant, early, "hi, i need work in IT", sid=sid) == 200
    wait_until_settled(assistant, "twilio", early)

    ingest = assistant.supervisor.process_named(WEBHOOK_INGEST)
    ingest.process.send_signal(signal.SIGKILL)
    ingest.process.wait(timeout=30)
    missed = {new_test_phone_number(): ("hola, busco trabajo", "Rosa"), early: ("Dana",)}
    try:
        for number, texts in missed.items():
            for body in texts:
                listed = api.receive_inbound(number, OUR_NUMBER, body)
                # Twilio's webhook finds nobody (and no fallback), and does not retry.
                assert _post(assistant, number, body, sid=listed) == 0
    finally:
        assistant.supervisor.restart(WEBHOOK_INGEST)

    for number in missed:
        wait_until_settled(assistant, "twilio", number, timeout=90)
    _wait_for_list_requests(api, 3)  # later passes list the same texts again
    for number in missed:
        wait_until_settled(assistant, "twilio", number, timeout=30)

    for number, texts in missed.items():
        rows = assistant.messages.transcript("twilio", number)
        inbound = [row for row in rows if row.direction == "in"]
        expected = (("hi, i need work in IT",) if number == early else ()) + texts
        assert [row.text for row in inbound] == list(expected)
        assert Counter(row.provider_id for row in inbound).most_common(1)[0][1] == 1
        assert {row.status for row in inbound} == {"processed"}
        outbound = [row for row in rows if row.direction == "out"]
        assert all(any(reply.in_reply_to == row.id for reply in outbound) for row in inbound)
        sent = api.messages_to(number)
        assert sorted(message.sid for message in sent) == sorted(row.provider_id for row in outbound)
    ingest_log = (assistant.log_dir / "webhook_ingest.log").read_text()
    assert "recovered 3 texts from Twilio's message list" in ingest_log


def _resource(**changes) -> dict:
    resource = {
        "account_sid": TWILIO_ACCOUNT_SID, "direction": "inbound", "status": "received", "sid": "SM" + "a" * 32,
        "from": "+13125550123", "to": OUR_NUMBER, "body": "hola", "num_media": "0", "messaging_service_sid": None,
    }
    return {**resource, **changes}


@pytest.mark.parametrize(
    "changes, kind",
    [
        ({}, kinds.TEXT),
        ({"num_media": "1", "body": ""}, kinds.MEDIA),
        ({"direction": "outbound-api"}, None),  # one of ours
        ({"direction": "outbound-reply"}, None),
        ({"status": "receiving"}, None),  # an MMS Twilio is still downloading: next pass
        ({"account_sid": "AC" + "9" * 32}, None),  # another account's
        ({"from": "not a number"}, None),
        ({"sid": None}, None),
    ],
)
def test_what_a_listed_message_becomes(changes, kind):
    inbound = inbound_from_resource(_resource(**changes), TWILIO_ACCOUNT_SID)
    assert (inbound.kind if inbound else None) == kind
    if inbound is not None:
        assert (inbound.channel, inbound.provider_id, inbound.address) == ("twilio", "SM" + "a" * 32, "+13125550123")
        assert inbound.details["recovered_from"] == "twilio_message_list"


def test_a_pass_reads_every_page_oldest_first_and_looks_back_from_the_last_complete_pass(own_twilio_api, monkeypatch):
    import asyncio
    from datetime import datetime, timedelta, timezone

    from bot.channels import twilio_recovery
    from bot.channels.settings import channel_settings

    monkeypatch.setattr(twilio_recovery, "PAGE_SIZE", 2)
    api = own_twilio_api
    person = new_test_phone_number()
    now = time.time()
    api.receive_inbound(person, OUR_NUMBER, "too old", at=now - 3 * 3600)
    bodies = [f"text {n}" for n in range(5)]
    for n, body in enumerate(bodies):
        api.receive_inbound(person, OUR_NUMBER, body, at=now - 60 + n)
    api.receive_inbound(person, "+13125550000", "to another number of the account", at=now - 30)
    settings = channel_settings({**TEST_CHANNEL_ENV, "TWILIO_API_BASE_URL": api.base_url, "TWILIO_FROM_NUMBER": OUR_NUMBER})
    stored: dict[str, str] = {}

    async def store(inbound, sent_at) -> bool:
        assert sent_at is not None
        if inbound.address != person:
            return False  # another test's texts in this module's server
        is_new = inbound.provider_id not in stored
        stored.setdefault(inbound.provider_id, inbound.text)
        return is_new

    clock_now = [datetime.fromtimestamp(now, timezone.utc)]
    recovery = twilio_recovery.TwilioInboundRecovery(
        settings, store, clock=lambda: clock_now[0], lookback=timedelta(hours=1)
    )
    assert asyncio.run(recovery.run_once()) == 5
    assert list(stored.values()) == bodies  # oldest first, across three pages, nothing older
    clock_now[0] += timedelta(minutes=5)
    asyncio.run(recovery.run_once())
    requests = api.list_requests
    assert asyncio.run(recovery.run_once()) == 0  # listed again, stored once
    assert api.list_requests == requests + 1  # the window since the last pass fits one page


def test_a_text_sent_before_its_sender_asked_to_be_erased_is_not_stored_again(tmp_path, monkeypatch):
    """The erasure took the stored copy; Twilio's list still has it. Only a text sent after the
    erasure is stored."""
    import asyncio
    import socket
    from datetime import datetime, timedelta, timezone

    from bot.channels.reception import IngestReception
    from bot.channels.settings import WAKE_PORT_SETTING, channel_settings
    from bot.cli.harness import free_port
    from bot.store import migrate
    from bot.store.erasure import SeekerEraser

    url = f"sqlite:///{tmp_path / 'intake.db'}"
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    reception = IngestReception(channel_settings({**TEST_CHANNEL_ENV, WAKE_PORT_SETTING: str(free_port(socket.SOCK_DGRAM))}))
    erased_at = datetime(2026, 12, 1, 18, 0, tzinfo=timezone.utc)
    person = new_test_phone_number()

    def text(sid_digit: str):
        return inbound_from_resource(_resource(**{"from": person, "sid": "SM" + sid_digit * 32}), TWILIO_ACCOUNT_SID)

    async def scenario() -> list[bool]:
        await reception.start(None)
        try:
            stored = [await reception.accept_recovered(text("b"), erased_at - timedelta(minutes=5))]
            SeekerEraser(reception.log.engine, clock=lambda: erased_at).erase("twilio", person)
            stored.append(await reception.accept_recovered(text("b"), erased_at - timedelta(minutes=5)))
            stored.append(await reception.accept_recovered(text("c"), erased_at + timedelta(minutes=1)))
            return stored
        finally:
            await reception.stop()

    assert asyncio.run(scenario()) == [True, False, True]
    assert [row.provider_id for row in reception.log.transcript("twilio", person)] == ["SM" + "c" * 32]
