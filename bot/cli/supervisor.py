"""Starts every process the assistant needs, reports where each listens, stops them together.

The processes: the action server, the Rasa server (NLU, dialogue, outbound sender, scheduler)
and the webhook ingest process, which serves Twilio and Telegram on a port of its own so that
its answers never wait for the Rasa server (bot/channels/ingest.py). Stopped in reverse order:
the webhooks close first.

One supervisor per checkout: a lock file under `var/` makes a second `make run` say that one is
already running instead of failing on busy ports.
"""
from __future__ import annotations

import ctypes
import fcntl
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import yaml

from bot.channels.settings import WAKE_PORT_SETTING
from bot.cli.settings import RASA_API_TOKEN_FILE, RASA_API_TOKEN_SETTING, REPO_ROOT, Settings
from bot.cli.production_checks import unsafe_production_settings
from bot.cli.settings import lock_store_config, tracker_store_config

READY_TIMEOUT_SECONDS = 180
RASA_SERVER = "Rasa server"
WEBHOOK_INGEST = "webhook ingest"


class AlreadyRunning(Exception):
    pass


@dataclass
class ManagedProcess:
    name: str
    command: list[str]
    health_url: str
    listens_on: str
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None


def acquire_run_lock(var_dir: Path) -> IO[str]:
    """Holds an exclusive lock for the life of this process; the OS frees it if we die."""
    var_dir.mkdir(parents=True, exist_ok=True)
    handle = open(var_dir / "run.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        owner = handle.read().strip() or "unknown"
        handle.close()
        raise AlreadyRunning(owner)
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def write_endpoints(settings: Settings) -> Path:
    endpoints: dict[str, object] = {
        "action_endpoint": {"url": f"{settings.actions_url}/webhook"},
        # Every response passes through it: nothing reaches a person who opted out.
        "nlg": {"type": "bot.nlg.ConsentAwareNLG"},
        # One Rasa process owns the conversations in the embedded profile, so it may keep them
        # in memory between messages; production may run several behind the Redis lock store.
        "tracker_store": tracker_store_config(
            settings.tracker_database_url, cache_trackers=settings.profile == "embedded"
        ),
    }
    lock_store = lock_store_config(settings.redis_url)
    if lock_store:
        endpoints["lock_store"] = lock_store
    path = settings.var_dir / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def refuse_unsafe_production_settings(settings: Settings) -> None:
    """The production profile does not start with settings an attacker could use."""
    if settings.profile != "production":
        return
    problems = unsafe_production_settings(os.environ)
    if problems:
        raise SystemExit("Refusing to start the production profile:\n  - " + "\n  - ".join(problems))


def rasa_api_token_for_run(settings: Settings) -> str:
    """The token the Rasa server's HTTP API and REST channel will want: RASA_API_TOKEN, or on a
    laptop a new one each run, left in var/ (readable by this user only) for `make chat`.
    Without one, any local process could read every seeker's conversation and speak for them."""
    configured = (os.environ.get(RASA_API_TOKEN_SETTING) or "").strip()
    if configured:
        return configured
    if settings.profile == "production":
        raise SystemExit(f"{RASA_API_TOKEN_SETTING} must be set in the production profile (32+ random characters)")
    token = secrets.token_urlsafe(32)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    path = settings.var_dir / RASA_API_TOKEN_FILE
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(token)
    return token


# Rasa's REST channel answers with the bot's replies to whoever posts: `make chat` and the tests
# need it, production has no use for it.
LAPTOP_ONLY_CHANNELS = ("rest",)


def write_credentials(settings: Settings) -> Path:
    """The input channels the Rasa server mounts: credentials.yml, without the REST channel in
    the production profile."""
    source = REPO_ROOT / "credentials.yml"
    if settings.profile != "production":
        return source
    channels = yaml.safe_load(source.read_text()) or {}
    for name in LAPTOP_ONLY_CHANNELS:
        channels.pop(name, None)
    path = settings.var_dir / "credentials.yml"
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(channels, sort_keys=False))
    return path


def assistant_processes(settings: Settings, rasa_api_token: str) -> list[ManagedProcess]:
    python = sys.executable
    common_env = {
        "DATABASE_URL": settings.database_url,
        # The scheduler's retention sweep (RETENTION_DAYS) erases conversations there too.
        "TRACKER_DATABASE_URL": settings.tracker_database_url,
        "INTAKE_PROFILE": settings.profile,
        "PYTHONUNBUFFERED": "1",
    }
    # The ingest process sends its wakes here and the Rasa server listens for them.
    wake_env = {WAKE_PORT_SETTING: str(settings.wake_port)}
    endpoints = write_endpoints(settings)
    return [
        ManagedProcess(
            name="action server",
            command=[python, "-m", "rasa_sdk", "--actions", "bot.actions", "--port", str(settings.actions_port)],
            health_url=f"{settings.actions_url}/health",
            listens_on=settings.actions_url,
            env={**common_env, "SANIC_HOST": settings.host},
        ),
        ManagedProcess(
            name=RASA_SERVER,
            command=[
                python, "-m", "bot.rasa_server", "run",
                "--enable-api",
                "--interface", settings.host,
                "--port", str(settings.rasa_port),
                "--model", str(settings.model_path),
                "--endpoints", str(endpoints),
                "--credentials", str(write_credentials(settings)),
            ],
            # The one route Rasa answers without the token; it answers once the model is loaded.
            health_url=f"{settings.rasa_url}/",
            listens_on=(
                f"{settings.rasa_url} (HTTP API with ?token=, no REST channel)"
                if settings.profile == "production"
                else f"{settings.rasa_url} (REST channel: /webhooks/rest/webhook; ?token= from var/{RASA_API_TOKEN_FILE})"
            ),
            # Given in the environment, not on the command line, where `ps` shows it to everyone.
            env={**common_env, **wake_env, RASA_API_TOKEN_SETTING: rasa_api_token},
        ),
        ManagedProcess(
            name=WEBHOOK_INGEST,
            command=[
                python, "-m", "bot.channels.ingest",
                "--host", settings.host,
                "--port", str(settings.webhook_port),
                "--credentials", str(REPO_ROOT / "credentials.yml"),
            ],
            health_url=f"{settings.webhook_url}/health",
            listens_on=(
                f"{settings.webhook_url} (/webhooks/twilio/webhook, /webhooks/twilio/status, "
                "/webhooks/telegram/webhook, /webhooks/calendar/; point PUBLIC_BASE_URL here)"
            ),
            env={**common_env, **wake_env},
        ),
        ManagedProcess(
            name="staff console",
            command=[python, "-m", "bot.staff"],
            health_url=f"{settings.staff_url}/healthz",
            listens_on=f"{settings.staff_url} (staff accounts: python -m bot.cli staff add NAME --role admin)",
            env={
                **common_env,
                "STAFF_CONSOLE_HOST": settings.host,
                "STAFF_CONSOLE_PORT": str(settings.staff_console_port),
                **staff_secret_env(settings),
            },
        ),
    ]


def staff_secret_env(settings: Settings) -> dict[str, str]:
    """The key that signs staff session cookies. Production must set STAFF_SECRET_KEY; on a laptop
    one is made once and kept under var/ (readable by this user only), so logins survive restarts."""
    if os.environ.get("STAFF_SECRET_KEY") or settings.profile == "production":
        return {}
    path = settings.var_dir / "staff_secret_key"
    if not path.exists():
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return {"STAFF_SECRET_KEY": path.read_text().strip()}


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Runs in each child before it starts: if the supervisor is killed outright (kill -9, a
    test runner timing out), Linux sends the child SIGTERM instead of leaving it running."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def answers_ok(url: str) -> bool:
    """True when the URL answers 200 now (a health or status endpoint)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


class Supervisor:
    def __init__(self, settings: Settings, log_dir: Path | None = None) -> None:
        self.settings = settings
        self.log_dir = log_dir
        refuse_unsafe_production_settings(settings)
        self.rasa_api_token = rasa_api_token_for_run(settings)
        self.processes = assistant_processes(settings, self.rasa_api_token)
        self._stopping = False

    def start(self) -> None:
        for managed in self.processes:
            self._launch(managed)
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        for managed in self.processes:
            self._wait_until_ready(managed, deadline)
            print(f"  {managed.name:<14} listening on {managed.listens_on}", flush=True)

    def restart(self, name: str) -> None:
        """Starts the named process again after it died (tests: the Rasa server after kill -9)."""
        (managed,) = [managed for managed in self.processes if managed.name == name]
        if managed.process is not None and managed.process.poll() is None:
            raise RuntimeError(f"The {name} is still running")
        self._launch(managed)
        self._wait_until_ready(managed, time.monotonic() + READY_TIMEOUT_SECONDS)

    def _launch(self, managed: ManagedProcess) -> None:
        stdout = None
        if self.log_dir:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            stdout = open(self.log_dir / f"{managed.name.replace(' ', '_')}.log", "ab")
        managed.process = subprocess.Popen(
            managed.command,
            cwd=REPO_ROOT,
            env={**os.environ, **managed.env},
            stdout=stdout,
            stderr=subprocess.STDOUT if stdout else None,
            start_new_session=True,  # Ctrl-C reaches us once; we stop the children ourselves.
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )

    def _wait_until_ready(self, managed: ManagedProcess, deadline: float) -> None:
        while not answers_ok(managed.health_url):
            if managed.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"The {managed.name} exited with status {managed.process.returncode}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"The {managed.name} was not ready within {READY_TIMEOUT_SECONDS} s")
            time.sleep(0.3)

    def wait(self) -> int:
        """Blocks until a child exits (then stops the rest) or we are asked to stop."""
        while not self._stopping:
            for managed in self.processes:
                if managed.process and managed.process.poll() is not None:
                    print(f"The {managed.name} stopped (status {managed.process.returncode}); stopping the rest.")
                    self.stop()
                    return 1
            time.sleep(0.5)
        return 0

    def stop(self) -> None:
        self._stopping = True
        for managed in reversed(self.processes):
            if managed.process and managed.process.poll() is None:
                os.killpg(managed.process.pid, signal.SIGTERM)
        for managed in self.processes:
            if not managed.process:
                continue
            try:
                managed.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(managed.process.pid, signal.SIGKILL)
                managed.process.wait()
