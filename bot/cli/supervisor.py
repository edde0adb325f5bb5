"""Starts every process the assistant needs, reports where each listens, keeps them running,
stops them together.

The processes: the action server, the Rasa server (NLU, dialogue, outbound sender, scheduler),
the webhook ingest process, which serves Twilio and Telegram on a port of its own so that its
answers never wait for the Rasa server (bot/channels/ingest.py), and the staff console.

A process that dies is started again after a growing delay (RestartPolicy) while the others keep
serving: Twilio does not retry an inbound-message webhook, so the ingest process must outlive a
crashed dialogue, and the dialogue must come back to process what the ingest process stored.
Stopped in reverse order: the webhooks close first. Production runs the same commands under
systemd (deploy/systemd/, `python -m bot.cli serve NAME`), which restarts them the same way.

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
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import yaml

from bot.channels.settings import WAKE_PORT_SETTING
from bot.cli.settings import RASA_API_TOKEN_FILE, RASA_API_TOKEN_SETTING, REPO_ROOT, Settings
from bot.cli.instances import NGINX, NGINX_HEALTH_PATH, instance_settings, nginx_binary, write_nginx_config
from bot.cli.production_checks import unsafe_production_settings
from bot.telemetry_off import TELEMETRY_SETTING
from bot.cli.settings import lock_store_config, tracker_store_config

READY_TIMEOUT_SECONDS = 180
RASA_SERVER = "Rasa server"
WEBHOOK_INGEST = "webhook ingest"
ACTION_SERVER = "action server"
STAFF_CONSOLE = "staff console"


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
    started_at: float = 0.0  # time.monotonic() of the latest launch
    failures_in_a_row: int = 0  # deaths since it last stayed up RestartPolicy.stable_seconds
    restart_at: float | None = None  # when a dead process is due to be started again
    restarts: int = 0  # since the supervisor started; shown in logs and read by tests


@dataclass(frozen=True)
class RestartPolicy:
    """How long to wait before starting a dead process again: `first_delay` seconds, doubling
    with each death in a row up to `longest_delay`. A process that stayed up `stable_seconds`
    starts again from `first_delay`: a crash a day is not a crash loop. Doubling keeps a process
    that dies at once (a database that refuses connections) from spinning a core."""

    first_delay: float = 1.0
    longest_delay: float = 60.0
    stable_seconds: float = 120.0

    def delay(self, failures_in_a_row: int) -> float:
        """Seconds before the next start after `failures_in_a_row` (1 or more) deaths in a row."""
        return min(self.first_delay * 2 ** max(failures_in_a_row - 1, 0), self.longest_delay)

    def failures_after_death(self, failures_before: int, seconds_up: float) -> int:
        """The count of deaths in a row once a process that ran `seconds_up` died."""
        return 1 if seconds_up >= self.stable_seconds else failures_before + 1


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
    # The claim reads a conversation's version only where the tracker is in the messages' database
    # (bot/channels/settings.py, tracker_in_the_database): elsewhere a copy could never be used.
    shared_and_versioned = (
        settings.profile == "production"
        and settings.tracker_database_url == settings.database_url
        and settings.database_url.startswith("postgres")
    )
    endpoints: dict[str, object] = {
        # No action is sent the domain (42 KB of JSON a call): none reads it (flows/intake/domain.yml).
        "action_endpoint": {"url": f"{settings.actions_url}/webhook", "enable_selective_domain": True},
        # Every response passes through it: nothing reaches a person who opted out.
        "nlg": {"type": "bot.nlg.ConsentAwareNLG"},
        # One Rasa process owns the conversations in the embedded profile, so it may keep them
        # in memory between messages; production may run several behind the Redis lock store,
        # so a copy is used only at the version the message's claim read (bot/tracker_store.py).
        "tracker_store": tracker_store_config(
            settings.tracker_database_url,
            cache_trackers=settings.profile == "embedded" or shared_and_versioned,
            versioned_cache=shared_and_versioned,
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


def assistant_processes(
    settings: Settings, rasa_api_token: str, actions_via: Settings | None = None
) -> list[ManagedProcess]:
    """`actions_via`: the settings whose action server URL the Rasa server calls (nginx's, when
    several instances run), if not its own."""
    python = sys.executable
    common_env = {
        "DATABASE_URL": settings.database_url,
        # The scheduler's retention sweep (RETENTION_DAYS) erases conversations there too.
        "TRACKER_DATABASE_URL": settings.tracker_database_url,
        "INTAKE_PROFILE": settings.profile,
        "PYTHONUNBUFFERED": "1",
        TELEMETRY_SETTING: "false",  # bot/telemetry_off.py
    }
    # The ingest process sends its wakes here and the Rasa server listens for them.
    wake_env = {WAKE_PORT_SETTING: str(settings.wake_port)}
    endpoints = write_endpoints(actions_via or settings)
    return [
        ManagedProcess(
            name=ACTION_SERVER,
            command=[python, "-m", "bot.action_server", "--actions", "bot.actions", "--port", str(settings.actions_port)],
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
            # Ready: the model loaded, the database answering, the processor and sender running.
            health_url=f"{settings.rasa_url}/ready",
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
            name=STAFF_CONSOLE,
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


def several_instances_processes(settings: Settings, rasa_api_token: str, count: int) -> list[ManagedProcess]:
    """`count` instances of the action server, Rasa server and webhook ingest process, one staff
    console, and nginx in front on the configured ports (bot/cli/instances.py). nginx comes last,
    so it is stopped first: webhooks close before what serves them."""
    nginx = nginx_binary()
    if nginx is None:
        raise SystemExit("Several instances need nginx in front: install Debian's package (apt-get install nginx).")
    instances = [instance_settings(settings, number) for number in range(1, count + 1)]
    processes: list[ManagedProcess] = []
    for number, own in enumerate(instances, start=1):
        for managed in assistant_processes(own, rasa_api_token, actions_via=settings):
            if managed.name == STAFF_CONSOLE:
                if number == 1:
                    processes.append(managed)
                continue
            managed.name = f"{managed.name} {number}"
            processes.append(managed)
    config = write_nginx_config(settings, instances)
    processes.append(
        ManagedProcess(
            name=NGINX,
            # -e: the error log from the first line on, before the config names it.
            command=[nginx, "-c", str(config), "-p", str(config.parent), "-e", str(config.parent / "error.log")],
            health_url=f"{settings.webhook_url}{NGINX_HEALTH_PATH}",
            listens_on=(
                f"{settings.webhook_url} (webhooks), {settings.rasa_url} (Rasa HTTP API), "
                f"{settings.actions_url} (actions), over {count} instances"
            ),
        )
    )
    return processes


def service_name(process_name: str) -> str:
    """The name `python -m bot.cli serve` and the systemd units use: "Rasa server" -> "rasa-server"."""
    return process_name.lower().replace(" ", "-")


INSTANCES_SETTING = "INTAKE_INSTANCES"


def served_process(settings: Settings, rasa_api_token: str, name: str, instance: int | None) -> ManagedProcess:
    """What `serve NAME` runs: one of the four processes (of instance `instance`, on its ports,
    its Rasa server calling the actions through nginx, when given), or `nginx`, the front of
    INTAKE_INSTANCES instances on this machine."""
    if name == NGINX and instance is None:
        count = int(os.environ.get(INSTANCES_SETTING) or "0")
        if count < 1:
            raise SystemExit(f"nginx fronts several instances: set {INSTANCES_SETTING} (2 or more)")
        (front,) = [m for m in several_instances_processes(settings, rasa_api_token, count) if m.name == NGINX]
        return front
    if instance is None:
        processes = assistant_processes(settings, rasa_api_token)
    else:
        processes = assistant_processes(instance_settings(settings, instance), rasa_api_token, actions_via=settings)
    served = {service_name(managed.name): managed for managed in processes}
    if name not in served:
        raise SystemExit(f"No process named {name!r}; one of: {', '.join(sorted([*served, NGINX]))}")
    return served[name]


def serve_one(settings: Settings, name: str, instance: int | None = None) -> None:
    """Replaces this process with one of the assistant's processes, started with exactly the
    command and environment `make run` gives it (systemd units start them this way, one unit
    each, and restart them themselves). A start soon after the last one first waits, growing
    with each quick restart (restart_backoff.py: systemd 252 has no growing delay of its own)."""
    from bot.cli.restart_backoff import STATE_DIR_NAME, wait_before_start

    refuse_unsafe_production_settings(settings)
    if instance is not None and instance < 1:
        raise SystemExit("--instance counts from 1")
    managed = served_process(settings, rasa_api_token_for_run(settings), name, instance)
    state = settings.var_dir / STATE_DIR_NAME / (f"{name}@{instance}.json" if instance else f"{name}.json")
    wait = wait_before_start(state, time.time())
    if wait:
        print(f"{managed.name} started again soon after its last start: waiting {wait:.0f} s first", file=sys.stderr, flush=True)
        time.sleep(wait)
    os.chdir(REPO_ROOT)
    os.execvpe(managed.command[0], managed.command, {**os.environ, **managed.env})


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
    def __init__(
        self,
        settings: Settings,
        log_dir: Path | None = None,
        restart_policy: RestartPolicy = RestartPolicy(),
        instances: int = 1,
    ) -> None:
        self.settings = settings
        self.log_dir = log_dir
        self.restart_policy = restart_policy
        refuse_unsafe_production_settings(settings)
        self.rasa_api_token = rasa_api_token_for_run(settings)
        self.processes = (
            several_instances_processes(settings, self.rasa_api_token, instances)
            if instances > 1
            else assistant_processes(settings, self.rasa_api_token)
        )
        self._stopping = False
        # Held while starting or stopping children, so a restart never races a stop.
        self._children = threading.Lock()

    def start(self) -> None:
        for managed in self.processes:
            self._launch(managed)
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        for managed in self.processes:
            self._wait_until_ready(managed, deadline)
            print(f"  {managed.name:<14} listening on {managed.listens_on}", flush=True)

    def process_named(self, name: str) -> ManagedProcess:
        (managed,) = [managed for managed in self.processes if managed.name == name]
        return managed

    def restart(self, name: str) -> None:
        """Starts the named process again after it died (tests: the Rasa server after kill -9)."""
        managed = self.process_named(name)
        if managed.process is not None and managed.process.poll() is None:
            raise RuntimeError(f"The {name} is still running")
        self._launch(managed)
        self._wait_until_ready(managed, time.monotonic() + READY_TIMEOUT_SECONDS)

    def _launch(self, managed: ManagedProcess) -> None:
        with self._children:
            if self._stopping:
                return
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
            if stdout is not None:
                stdout.close()  # the child has its own copy
            managed.started_at = time.monotonic()
            managed.restart_at = None

    def _wait_until_ready(self, managed: ManagedProcess, deadline: float) -> None:
        while not answers_ok(managed.health_url):
            if managed.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"The {managed.name} exited with status {managed.process.returncode}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"The {managed.name} was not ready within {READY_TIMEOUT_SECONDS} s")
            time.sleep(0.3)

    def wait(self, poll_seconds: float = 0.5) -> int:
        """Keeps every process running until we are asked to stop: one that dies is started
        again after the restart policy's delay, the others untouched."""
        while not self._stopping:
            self.tend(time.monotonic())
            time.sleep(poll_seconds)
        return 0

    def tend(self, now: float) -> None:
        """One look at the children: notes the dead, starts those whose delay is over."""
        for managed in self.processes:
            if self._stopping or managed.process is None or managed.process.poll() is None:
                continue
            if managed.restart_at is None:
                managed.failures_in_a_row = self.restart_policy.failures_after_death(
                    managed.failures_in_a_row, now - managed.started_at
                )
                delay = self.restart_policy.delay(managed.failures_in_a_row)
                managed.restart_at = now + delay
                print(
                    f"The {managed.name} stopped (status {managed.process.returncode}); "
                    f"starting it again in {delay:g} s (death {managed.failures_in_a_row} in a row), "
                    "the others keep running.",
                    flush=True,
                )
            elif now >= managed.restart_at:
                self._launch(managed)
                managed.restarts += 1
                print(f"The {managed.name} started again (restart {managed.restarts}).", flush=True)

    def supervise_in_background(self, poll_seconds: float = 0.2) -> threading.Thread:
        """`wait` in a thread of its own (tests drive traffic while it restarts what they kill)."""
        watcher = threading.Thread(target=self.wait, args=(poll_seconds,), name="supervisor", daemon=True)
        watcher.start()
        return watcher

    def stop(self) -> None:
        with self._children:
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
