"""Runs the real assistant (Rasa server, action server, webhook ingest process) on free ports, for
tests and benchmarks, with its own temporary database, and talks to it over Rasa's REST channel
like `make chat` does; Twilio and Telegram webhooks go to `Assistant.webhook_url`.
"""
from __future__ import annotations

import json
import os
import socket
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlencode

from bot.channels.settings import WAKE_PORT_SETTING, WEBHOOK_PORT_SETTING
from bot.cli.chat import send as send_to_rest_channel
from bot.cli.instances import INSTANCE_PORT_STEP
from bot.cli.settings import load_settings
from bot.cli.supervisor import RASA_SERVER, Supervisor
from bot.cli.training import train_if_stale
from bot.bootstrap import build_stores
from bot.store import HandoffStore, IntakeStore, MessageLog, StaffStore, migrate
from bot.store.event_catalog import EventCatalog
from bot.store.registration_store import RegistrationStore
from bot.store.scheduled_message_store import ScheduledMessageStore

# Conversations in tests happen on a fixed day, so ages and dates in replies are predictable.
TEST_TODAY = "2026-11-25"


def new_test_phone_number() -> str:
    """A Chicago-looking number no other test conversation uses: Rasa keeps one conversation per
    sender whatever the channel, so two tests sharing a number would share a conversation (a
    space of 10,000 numbers did collide in a run of a few hundred conversations)."""
    return f"+1312{uuid.uuid4().int % 10**7:07d}"


def free_port(kind: socket.SocketKind = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_port_for_instances(instances: int, kind: socket.SocketKind = socket.SOCK_STREAM) -> int:
    """A port free for nginx with every instance's port (+10, +20, ...; bot/cli/instances.py)
    free too."""
    for _ in range(50):
        port = free_port(kind)
        if port + INSTANCE_PORT_STEP * instances > 65535:
            continue
        if all(_is_free(port + INSTANCE_PORT_STEP * n, kind) for n in range(1, instances + 1)):
            return port
    raise RuntimeError("no free run of ports")


def _is_free(port: int, kind: socket.SocketKind) -> bool:
    with socket.socket(socket.AF_INET, kind) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class Assistant:
    rasa_url: str
    store: IntakeStore
    log_dir: Path
    messages: MessageLog
    supervisor: Supervisor | None = None
    catalog: EventCatalog | None = None
    handoffs: HandoffStore | None = None
    staff: StaffStore | None = None
    staff_url: str = ""
    webhook_url: str = ""  # the ingest process: where Twilio and Telegram post
    rasa_api_token: str = ""  # the Rasa server's HTTP API and REST channel want it
    registrations: RegistrationStore | None = None
    scheduled: ScheduledMessageStore | None = None

    def api_url(self, path: str) -> str:
        """A Rasa server URL with the API token."""
        return f"{self.rasa_url}{path}?{urlencode({'token': self.rasa_api_token})}"

    def kill_rasa_server(self) -> None:
        """kill -9 of the Rasa server, as a crash would: no shutdown code runs."""
        import signal

        assert self.supervisor is not None
        for managed in self.supervisor.processes:
            if managed.name == RASA_SERVER and managed.process is not None:
                managed.process.send_signal(signal.SIGKILL)
                managed.process.wait(timeout=30)

    def restart_rasa_server(self) -> None:
        """Starts the killed Rasa server again, the other processes untouched; returns when it
        answers."""
        assert self.supervisor is not None
        self.supervisor.restart(RASA_SERVER)

    def conversation(self, sender: str | None = None) -> "Conversation":
        return Conversation(self, sender or new_test_phone_number())

    def parse(self, text: str) -> dict:
        return _post_json(self.api_url("/model/parse"), {"text": text})


@dataclass
class Conversation:
    assistant: Assistant
    sender: str
    transcript: list[tuple[str, str]] = field(default_factory=list)

    def send(self, text: str) -> list[dict]:
        """Sends one message; returns the bot's replies (dicts with text and maybe buttons)."""
        replies = send_to_rest_channel(self.assistant.rasa_url, self.sender, text, self.assistant.rasa_api_token)
        self.transcript.append(("seeker", text))
        self.transcript.extend(("bot", reply.get("text", "")) for reply in replies)
        return replies

    def say(self, text: str) -> str:
        """Sends one message; returns the replies' texts joined, for readable assertions."""
        return "\n".join(reply.get("text", "") for reply in self.send(text))

    def slots(self) -> dict:
        tracker = _get_json(self.assistant.api_url(f"/conversations/{self.sender}/tracker"))
        return tracker["slots"]

    def bot_texts(self) -> list[str]:
        return [text for who, text in self.transcript if who == "bot"]

    def dump(self) -> str:
        return "\n".join(f"{who:>6}: {text}" for who, text in self.transcript)


def _post_json(url: str, body: dict) -> list | dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"[]")


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


@contextmanager
def running_assistant(
    work_dir: Path, extra_env: dict[str, str] | None = None, instances: int = 1
) -> Iterator[Assistant]:
    """Starts both servers with a fresh SQLite database under `work_dir`; stops them after.
    With `instances` > 1 (the production profile's settings in `extra_env`), that many instances
    behind nginx, whose ports the Assistant's URLs are."""

    def port(kind: socket.SocketKind = socket.SOCK_STREAM) -> str:
        return str(free_port(kind) if instances == 1 else free_port_for_instances(instances, kind))

    env = {
        "INTAKE_VAR_DIR": str(work_dir),
        "DATABASE_URL": f"sqlite:///{work_dir / 'intake.db'}",
        "RASA_PORT": port(),
        "ACTIONS_PORT": port(),
        "STAFF_CONSOLE_PORT": str(free_port()),
        WEBHOOK_PORT_SETTING: port(),
        WAKE_PORT_SETTING: port(socket.SOCK_DGRAM),
        "INTAKE_TODAY": TEST_TODAY,
        **(extra_env or {}),
    }
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        settings = load_settings()
        train_if_stale(settings.model_path, quiet=True)
        migrate(settings.database_url)
        supervisor = Supervisor(settings, log_dir=work_dir / "logs", instances=instances)
        supervisor.start()
        try:
            stores = build_stores(database_url=settings.database_url)
            yield Assistant(
                settings.rasa_url, stores.intake, work_dir / "logs", stores.messages, supervisor,
                stores.event_catalog, stores.handoffs, stores.staff, settings.staff_url,
                settings.webhook_url, supervisor.rasa_api_token, stores.registrations, stores.scheduled_messages,
            )
        finally:
            supervisor.stop()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def start_new_session(assistant: Assistant, sender: str) -> None:
    """What Rasa does when a seeker writes after the session expired (days later): a new session
    that keeps the slots."""
    _post_json(assistant.api_url(f"/conversations/{sender}/execute"), {"name": "action_session_start"})
