"""Two instances of the production profile on this machine, behind nginx (`run --instances 2`):
two Rasa servers, two action servers, two webhook ingest processes, one PostgreSQL database and
one Redis. Several seekers text at once, each message of a conversation posted (signed, as Twilio
does) to a different instance than the one before: instance 1's ingest, instance 2's, then nginx.

Shown: each message processed once, in the order it was stored (the Rasa tracker's turns, and
the answers the intake recorded, which only come out right in that order); each got its answer;
every reply sent exactly once (counted in the local Twilio server); both instances took turns.
With instance 1's ingest process and Rasa server killed (kill -9), nginx passes every webhook to
instance 2, which answers the whole conversation."""
from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.bootstrap import build_stores
from bot.cli.harness import TEST_TODAY, free_port, free_port_for_instances, new_test_phone_number
from bot.cli.instances import INSTANCE_PORT_STEP
from bot.channels.settings import WAKE_PORT_SETTING, WEBHOOK_PORT_SETTING
from bot.cli.settings import REPO_ROOT, Settings, load_settings
from bot.cli.supervisor import RASA_SERVER, WEBHOOK_INGEST, Supervisor
from bot.store import migrate
from tests.channels.people import TWILIO_PATH, wait_until_settled
from tests.channels.settings import OUR_NUMBER, PUBLIC_BASE_URL, TEST_CHANNEL_ENV, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
from tests.conversation.test_production_profile import production_profile_settings, require_redis
from tests.fakes.twilio_api import signed_twilio_post, twilio_inbound_params
from tests.postgres import throwaway_postgres_database_with_its_own_role

pytestmark = pytest.mark.postgres

INSTANCES = 2
SEEKERS = 4
# Only right if taken in this order: the first names the sector, then the name, then the ZIP.
CONVERSATION = ("hi, i need work in IT", "Dana", "60302")


def require_nginx() -> None:
    """Installs Debian's nginx when missing (scripts/nginx.sh); skips, never fails, when it cannot."""
    result = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "nginx.sh")], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"nginx is not installed and could not be: {result.stderr.strip() or result.stdout.strip()}")


def base_port(kind: socket.SocketKind = socket.SOCK_STREAM) -> int:
    """A port free for nginx with the instances' ports (+10, +20) free too."""
    return free_port_for_instances(INSTANCES, kind)


@contextmanager
def two_running_instances(
    work_dir: Path, twilio_api, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[Settings, Supervisor, str]]:
    """INSTANCES instances of the production profile behind nginx on a throwaway PostgreSQL
    database (and Redis), with `extra_env` on top: (settings, supervisor, database URL)."""
    require_redis()
    require_nginx()
    with throwaway_postgres_database_with_its_own_role() as url:
        environment = {
            **TEST_CHANNEL_ENV,
            "TWILIO_API_BASE_URL": twilio_api.base_url,
            **production_profile_settings(url),
            "INTAKE_VAR_DIR": str(work_dir),
            "INTAKE_TODAY": TEST_TODAY,
            "RASA_PORT": str(base_port()),
            "ACTIONS_PORT": str(base_port()),
            WEBHOOK_PORT_SETTING: str(base_port()),
            WAKE_PORT_SETTING: str(base_port(socket.SOCK_DGRAM)),
            "STAFF_CONSOLE_PORT": str(free_port()),
            **(extra_env or {}),
        }
        with pytest.MonkeyPatch.context() as patch:
            for key, value in environment.items():
                patch.setenv(key, value)
            settings = load_settings()
            migrate(settings.database_url)
            supervisor = Supervisor(settings, log_dir=work_dir / "logs", instances=INSTANCES)
            supervisor.start()
            try:
                yield settings, supervisor, url
            finally:
                supervisor.stop()


@pytest.fixture(scope="module")
def two_instances(tmp_path_factory, twilio_api):
    with two_running_instances(tmp_path_factory.mktemp("two-instances"), twilio_api) as running:
        yield running


def test_one_conversation_across_two_instances_is_processed_once_in_order_and_answered_once(two_instances, twilio_api):
    settings, supervisor, url = two_instances
    stores = build_stores(database_url=url)
    targets = [f"http://127.0.0.1:{settings.webhook_port + INSTANCE_PORT_STEP * n}" for n in range(1, INSTANCES + 1)]
    targets.append(settings.webhook_url)  # nginx
    people = [new_test_phone_number() for _ in range(SEEKERS)]

    def text_in_a_burst(index: int, number: str) -> None:
        # Each post returns once the message is stored, before it is processed: the three are
        # stored in this order and reach the dialogue while the one before is still in it.
        for turn, body in enumerate(CONVERSATION):
            target = targets[(index + turn) % len(targets)]
            params = twilio_inbound_params(from_=number, to=OUR_NUMBER, body=body, account_sid=TWILIO_ACCOUNT_SID)
            status, _ = signed_twilio_post(
                target + TWILIO_PATH, params, TWILIO_AUTH_TOKEN, signature_url=PUBLIC_BASE_URL + TWILIO_PATH
            )
            assert status == 200, (target, status)

    with ThreadPoolExecutor(SEEKERS) as pool:
        list(pool.map(text_in_a_burst, range(SEEKERS), people))

    for number in people:
        wait_until_settled(stores, "twilio", number, timeout=120)  # it reads `.messages` only

    for number in people:
        rows = stores.messages.transcript("twilio", number)
        inbound = [row for row in rows if row.direction == "in"]
        outbound = [row for row in rows if row.direction == "out"]
        assert [row.text for row in inbound] == list(CONVERSATION)
        assert {row.status for row in inbound} == {"processed"}
        # In order: the tracker's turns follow the stored order, each message once.
        assert _tracker_message_ids(url, number) == [str(row.id) for row in inbound]
        screening = stores.intake.latest_screening("twilio", number)
        assert screening.answers == {"sectors": ["it"], "first_name": "Dana", "zip_code": "60302"}
        # Each message got its answer, and every reply went out exactly once.
        assert all(any(reply.in_reply_to == row.id for reply in outbound) for row in inbound)
        assert {row.status for row in outbound} == {"sent"}
        received = twilio_api.messages_to(number)
        assert sorted(message.sid for message in received) == sorted(row.provider_id for row in outbound)
        assert len({message.sid for message in received}) == len(received)

    turns = [_turns_taken(settings.rasa_port + INSTANCE_PORT_STEP * n) for n in range(1, INSTANCES + 1)]
    print(f"turns taken by each instance: {turns}")
    assert sum(turns) == SEEKERS * len(CONVERSATION)
    assert all(count > 0 for count in turns), turns
    assert all(managed.restarts == 0 for managed in supervisor.processes)


def _tracker_message_ids(url: str, number: str) -> list[str]:
    """The user turns Rasa's tracker store recorded (in the shared database), oldest first."""
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id"),
                {"sender": number},
            ).scalars()
            return [json.loads(data)["message_id"] for data in rows]
    finally:
        engine.dispose()


def _turns_taken(rasa_port: int, outcome: str = "processed") -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{rasa_port}/metrics", timeout=30) as reply:
        metrics = reply.read().decode()
    found = re.search(rf'^intake_turns_total\{{outcome="{outcome}"\}} (\S+)$', metrics, re.MULTILINE)
    return int(float(found.group(1))) if found else 0


def test_a_conversation_alternating_between_instances_stays_right(two_instances, twilio_api):
    """Each Rasa server keeps a copy of the conversations it processed (bot/tracker_store.py).
    One person's messages, one at a time, each to the other instance than the one before: an
    instance's copy is stale when the other processed the message before, so it must read the
    conversation (the claim's version differs), not answer from its copy, nor make a turn on it
    that its save then refuses (a turn run again)."""
    settings, _, url = two_instances
    stores = build_stores(database_url=url)
    rasa_ports = [settings.rasa_port + INSTANCE_PORT_STEP * n for n in range(1, INSTANCES + 1)]
    webhooks = [f"http://127.0.0.1:{settings.webhook_port + INSTANCE_PORT_STEP * n}" for n in range(1, INSTANCES + 1)]
    number = new_test_phone_number()
    rerun_before = sum(_turns_taken(port, "run_again_later") for port in rasa_ports)
    processed_by = []
    for turn, body in enumerate(CONVERSATION):
        before = [_turns_taken(port) for port in rasa_ports]
        params = twilio_inbound_params(from_=number, to=OUR_NUMBER, body=body, account_sid=TWILIO_ACCOUNT_SID)
        status, _ = signed_twilio_post(
            webhooks[turn % INSTANCES] + TWILIO_PATH, params, TWILIO_AUTH_TOKEN, signature_url=PUBLIC_BASE_URL + TWILIO_PATH
        )
        assert status == 200
        wait_until_settled(stores, "twilio", number, timeout=120)
        after = [_turns_taken(port) for port in rasa_ports]
        processed_by.append([n for n in range(INSTANCES) if after[n] > before[n]])
    print(f"instances that processed each message: {processed_by}")
    assert sum(_turns_taken(port, "run_again_later") for port in rasa_ports) == rerun_before, "no turn ran twice"
    screening = stores.intake.latest_screening("twilio", number)
    assert screening.answers == {"sectors": ["it"], "first_name": "Dana", "zip_code": "60302"}
    inbound = [row for row in stores.messages.transcript("twilio", number) if row.direction == "in"]
    assert _tracker_message_ids(url, number) == [str(row.id) for row in inbound]
    assert len(twilio_api.messages_to(number)) == len(CONVERSATION)
    # An instance came back to the conversation after the other had moved it on.
    assert any(
        processed_by[i] == processed_by[i - 2] != processed_by[i - 1] for i in range(2, len(processed_by))
    ), processed_by


def test_with_one_instance_killed_nginx_sends_every_webhook_to_the_other(two_instances, twilio_api):
    settings, supervisor, url = two_instances
    stores = build_stores(database_url=url)
    killed = [supervisor.process_named(f"{name} 1") for name in (WEBHOOK_INGEST, RASA_SERVER)]
    for managed in killed:
        managed.process.send_signal(signal.SIGKILL)
        managed.process.wait(timeout=30)
    try:
        number = new_test_phone_number()
        for body in CONVERSATION:
            params = twilio_inbound_params(from_=number, to=OUR_NUMBER, body=body, account_sid=TWILIO_ACCOUNT_SID)
            status, _ = signed_twilio_post(
                settings.webhook_url + TWILIO_PATH, params, TWILIO_AUTH_TOKEN, signature_url=PUBLIC_BASE_URL + TWILIO_PATH
            )
            assert status == 200
        wait_until_settled(stores, "twilio", number, timeout=120)
        screening = stores.intake.latest_screening("twilio", number)
        assert screening.answers == {"sectors": ["it"], "first_name": "Dana", "zip_code": "60302"}
        assert len(twilio_api.messages_to(number)) == len(CONVERSATION)
        # nginx did try the dead ingest process, and passed the webhook on.
        dead_ingest = f"127.0.0.1:{settings.webhook_port + INSTANCE_PORT_STEP}"
        assert "Connection refused) while connecting to upstream" in _nginx_errors(settings)
        assert dead_ingest in _nginx_errors(settings)
    finally:
        for managed in killed:
            supervisor.restart(managed.name)


def _nginx_errors(settings) -> str:
    return (settings.var_dir / "nginx" / "error.log").read_text()
