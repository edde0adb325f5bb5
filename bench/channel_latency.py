"""How fast the SMS and Telegram channels answer: the webhook's answer time, and the time until a
turn's replies have reached the (local) Twilio or Telegram API, 1 and N conversations at once.

    .venv/bin/python bench/channel_latency.py [--turns 13] [--concurrency 20] [--skip-telegram]
                                              [--via ingest|rasa]

Starts a local Twilio server and a local Telegram server (tests/fakes) and the real assistant
configured for them, exactly as the tests do. Each conversation is one phone number (or Telegram
chat) doing an intake, one message at a time: the next message is posted only once every reply
to the previous one has left the outbound queue. Measured per turn:

- webhook: from posting a signed Twilio form (or a Telegram update with its secret token) to the
  HTTP answer; the webhook stores the message and answers before any dialogue runs. By default
  the webhooks go to the ingest process (bot/channels/ingest.py), as in production; `--via rasa`
  posts them to the Rasa server's own routes instead, the one-process path, for comparison;
- reply: from the same moment to the last reply of that turn arriving at the local API server
  (the wake, inbound processing, Rasa and the action server, the outbound queue and the sender).

Prints a Markdown table with the machine it ran on and, per phase, how many cores other
programs on the machine kept busy meanwhile (other benchmarks or test runs make numbers noisy).
A warm-up conversation per channel runs first and is not counted: the first turns pay for lazy
imports, which are start-up costs.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import itertools
import queue
import json
import math
import os
import random
import secrets
import signal
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # run as a script: make `bot`, `bench` and `tests` importable

from bench.conversation_scripts import INTAKE_SCRIPTS, ConversationScript  # noqa: E402
from bench.latency import percentile  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.process_memory import tree_cpu_seconds  # noqa: E402
from bot.cli.harness import Assistant, running_assistant  # noqa: E402
from tests.channels.people import TELEGRAM_PATH, TWILIO_PATH, wait_until_settled  # noqa: E402
from tests.channels.settings import (  # noqa: E402
    OUR_NUMBER,
    PUBLIC_BASE_URL,
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    TEST_CHANNEL_ENV,
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
)
from tests.fakes.telegram_api import FakeTelegramApi, TelegramPerson, text_message_update  # noqa: E402
from tests.fakes.twilio_api import FakeTwilioApi, signed_twilio_post, twilio_inbound_params  # noqa: E402

TURN_TIMEOUT_SECONDS = 60.0
# The per-person flood limit (20 a minute by default) would throttle a scripted intake typed
# faster than any person types; the benchmark measures latency, not the throttle.
BENCH_FLOOD_LIMIT = "10000"
# The same for the limit on all senders together (1,200 a minute per ingest process by default,
# about what two cores process): a quiet machine at 20 or 100 at once goes past it.
BENCH_FLOOD_SETTINGS = {"FLOOD_LIMIT_PER_MINUTE": BENCH_FLOOD_LIMIT, "FLOOD_LIMIT_ALL_SENDERS_PER_MINUTE": "100000"}


class TurnFailed(Exception):
    pass


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    # The webhook's own Server-Timing, in ms: "app" (the whole handler) and "store" (its insert).
    server_ms: dict[str, float]


@dataclass(frozen=True)
class TurnTiming:
    webhook_seconds: float
    reply_seconds: float | None  # None when the turn produced no reply at all
    handler_seconds: float | None = None  # inside the server, from its Server-Timing header
    store_seconds: float | None = None


def parse_server_timing(header: str | None) -> dict[str, float]:
    """{"store": 1.2, "app": 3.4} from "store;dur=1.2, app;dur=3.4"; unknown parts are skipped."""
    metrics: dict[str, float] = {}
    for part in (header or "").split(","):
        name, _, parameters = part.strip().partition(";")
        for parameter in parameters.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key == "dur" and name:
                try:
                    metrics[name] = float(value)
                except ValueError:
                    pass
    return metrics


def post_webhook(url: str, body: bytes, headers: dict[str, str]) -> WebhookAnswer:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return WebhookAnswer(response.status, parse_server_timing(response.headers.get("Server-Timing")))
    except urllib.error.HTTPError as error:
        return WebhookAnswer(error.code, {})


@dataclass(frozen=True)
class PhaseResult:
    channel: str
    concurrency: int
    timings: tuple[TurnTiming, ...]
    wall_seconds: float
    failures: tuple[str, ...]
    conversations: int
    completed_intakes: int
    full_scripts: int  # conversations that ran a whole script, so should have completed
    incomplete: tuple[str, ...]  # those whose intake did not complete: script, number, screening status
    replies: int
    retried_replies: int  # replies the sender had to try more than once
    retry_reasons: tuple[str, ...]  # the error codes behind those retries, most common first
    other_cores: float  # CPU other programs on the machine used meanwhile, in cores
    our_cores: dict[str, float]  # CPU each of our processes used, in cores
    our_cpu_seconds: dict[str, float]  # the same as CPU seconds over the phase

    def webhook_ms(self, fraction: float) -> float:
        return percentile([t.webhook_seconds for t in self.timings], fraction) * 1000

    def reply_ms(self, fraction: float) -> float:
        return percentile([t.reply_seconds for t in self.timings if t.reply_seconds is not None], fraction) * 1000

    def handler_ms(self, fraction: float) -> float:
        measured = [t.handler_seconds for t in self.timings if t.handler_seconds is not None]
        return percentile(measured, fraction) * 1000 if measured else math.nan

    def store_ms(self, fraction: float) -> float:
        measured = [t.store_seconds for t in self.timings if t.store_seconds is not None]
        return percentile(measured, fraction) * 1000 if measured else math.nan

    @property
    def silent_turns(self) -> int:
        return sum(1 for t in self.timings if t.reply_seconds is None)

    @property
    def turns_per_second(self) -> float:
        return len(self.timings) / self.wall_seconds if self.wall_seconds > 0 else math.nan


class Channel:
    """One way of texting the assistant: how to post a message and where its replies land."""

    name: str
    store_channel: str

    def new_address(self) -> str:
        raise NotImplementedError

    def prepared_post(self, address: str, text: str) -> Callable[[], WebhookAnswer]:
        """Everything but the HTTP call done (signing included), so only the call is timed."""
        raise NotImplementedError

    def reply_arrivals(self, address: str) -> list[float]:
        """time.time() at which each reply to `address` reached the local API, oldest first."""
        raise NotImplementedError

    def wait_for_reply(self, address: str, already: int, timeout: float) -> None:
        raise NotImplementedError


class RecipientIndexedTwilioApi(FakeTwilioApi):
    """The local Twilio API server (tests/fakes), plus each recipient's messages kept apart, so a
    seeker's thread waits for and reads its own replies only. The plain server wakes every waiter
    on every message, and each re-reads every message sent so far: at 100 conversations at once,
    a few thousand messages into a run, that cost this benchmark's own process more CPU than the
    turns it measures, on the same two cores."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self._arrivals_by_recipient: dict[str, list[float]] = {}
        self._indexed = 0
        self._waiting_recipients: dict[str, threading.Condition] = {}
        # Where delivery reports go (the ingest's base URL), when they are posted at all.
        self._reports_to: str | None = None
        self._reports: queue.Queue = queue.Queue()
        self.delivery_report_answers: Counter = Counter()  # HTTP status -> delivery reports so answered
        super().__init__(account_sid, auth_token)
        for _ in range(2):
            threading.Thread(target=self._post_reports, name="fake-twilio-reports", daemon=True).start()

    def post_delivery_reports_to(self, webhook_base_url: str | None) -> None:
        """From now on, each message created with a status callback gets the two delivery
        reports real Twilio posts for a delivered SMS (`sent`, then `delivered`), signed for the
        callback URL it named and posted to `webhook_base_url` (the ingest) with that URL's path;
        None stops them. Posted from the benchmark's own threads, after the create is answered."""
        with self._lock:
            self._reports_to = webhook_base_url

    def _post_reports(self) -> None:
        while True:
            target, message = self._reports.get()
            path = urllib.parse.urlsplit(message.status_callback).path
            for status in ("sent", "delivered"):
                params = {
                    "AccountSid": self.account_sid, "ApiVersion": "2010-04-01", "From": message.from_ or OUR_NUMBER,
                    "MessageSid": message.sid, "MessageStatus": status, "SmsSid": message.sid, "SmsStatus": status,
                    "To": message.to,
                }
                try:
                    answer, _ = signed_twilio_post(target + path, params, self.auth_token, signature_url=message.status_callback)
                except OSError:
                    continue  # the servers are stopping
                with self._lock:
                    self.delivery_report_answers[answer] += 1

    def _record_changed(self) -> None:
        """Called with the lock held after each attempt to create a message."""
        if len(self._created) < self._indexed:  # clear() emptied the list
            self._arrivals_by_recipient.clear()
            self._indexed = 0
        for message in self._created[self._indexed:]:
            self._arrivals_by_recipient.setdefault(message.to, []).append(message.received_at)
            if self._reports_to is not None and message.status_callback:
                self._reports.put((self._reports_to, message))
            waiting = self._waiting_recipients.get(message.to)
            if waiting is not None:
                waiting.notify_all()
        self._indexed = len(self._created)
        super()._record_changed()

    def arrivals_to(self, address: str) -> list[float]:
        """time.time() at which each message to `address` arrived, oldest first."""
        with self._lock:
            return list(self._arrivals_by_recipient.get(address, ()))

    def wait_for_more_to(self, address: str, already: int, timeout: float) -> None:
        """Until more than `already` messages to `address` have arrived."""
        deadline = time.monotonic() + timeout
        with self._lock:
            waiting = self._waiting_recipients.setdefault(address, threading.Condition(self._lock))
            while len(self._arrivals_by_recipient.get(address, ())) <= already:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no message to {address} after {timeout} s")
                waiting.wait(remaining)


class Sms(Channel):
    name = "SMS (Twilio)"
    store_channel = "twilio"

    def __init__(self, webhook_base_url: str, api: RecipientIndexedTwilioApi) -> None:
        self._url = webhook_base_url + TWILIO_PATH
        self._api = api
        # 555-01xx style numbers are fictional; the run id keeps two runs' numbers apart.
        self._numbers = itertools.count(uuid.uuid4().int % 5000)

    def new_address(self) -> str:
        return f"+1312555{next(self._numbers) % 10_000:04d}"

    def prepared_post(self, address: str, text: str) -> Callable[[], WebhookAnswer]:
        from twilio.request_validator import RequestValidator

        params = twilio_inbound_params(from_=address, to=OUR_NUMBER, body=text, account_sid=TWILIO_ACCOUNT_SID)
        signature = RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + TWILIO_PATH, params)
        body = urllib.parse.urlencode(params).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
        return lambda: post_webhook(self._url, body, headers)

    def reply_arrivals(self, address: str) -> list[float]:
        return self._api.arrivals_to(address)

    def wait_for_reply(self, address: str, already: int, timeout: float) -> None:
        self._api.wait_for_more_to(address, already, timeout)


class Telegram(Channel):
    name = "Telegram"
    store_channel = "telegram"

    def __init__(self, webhook_base_url: str, api: FakeTelegramApi, secret: str = TELEGRAM_SECRET) -> None:
        self._url = webhook_base_url + TELEGRAM_PATH
        self._api = api
        self._secret = secret
        self._chats = itertools.count(700_000_000 + uuid.uuid4().int % 100_000_000)

    def new_address(self) -> str:
        return str(next(self._chats))

    def prepared_post(self, address: str, text: str) -> Callable[[], WebhookAnswer]:
        update = text_message_update(text, person=TelegramPerson(user_id=int(address), first_name="Bench"))
        body = json.dumps(update).encode("utf-8")
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": self._secret}
        return lambda: post_webhook(self._url, body, headers)

    def _sent_to(self, calls: Sequence, address: str) -> list:
        return [c for c in calls if c.ok and c.method == "sendMessage" and str(c.params.get("chat_id")) == address]

    def reply_arrivals(self, address: str) -> list[float]:
        return [call.received_at for call in self._sent_to(self._api.calls, address)]

    def wait_for_reply(self, address: str, already: int, timeout: float) -> None:
        self._api.wait_for(lambda calls: len(self._sent_to(calls, address)) > already, timeout)


def run_turn(assistant: Assistant, channel: Channel, address: str, text: str) -> TurnTiming:
    before = len(channel.reply_arrivals(address))
    post = channel.prepared_post(address, text)
    posted_at = time.time()
    started = time.perf_counter()
    answer = post()
    webhook_seconds = time.perf_counter() - started
    if answer.status != 200:
        raise TurnFailed(f"webhook answered {answer.status}")
    try:
        # Wait on the API server first (no polling), then for the turn's last reply to leave.
        channel.wait_for_reply(address, before, TURN_TIMEOUT_SECONDS)
        wait_until_settled(assistant, channel.store_channel, address, TURN_TIMEOUT_SECONDS)
    except TimeoutError:
        raise TurnFailed(
            f"no settled reply within {TURN_TIMEOUT_SECONDS:.0f} s; messages: {_states(assistant, channel, address)}"
        ) from None
    arrivals = channel.reply_arrivals(address)[before:]
    handler_ms, store_ms = answer.server_ms.get("app"), answer.server_ms.get("store")
    return TurnTiming(
        webhook_seconds,
        max(arrivals) - posted_at if arrivals else None,
        handler_ms / 1000 if handler_ms is not None else None,
        store_ms / 1000 if store_ms is not None else None,
    )


def _states(assistant: Assistant, channel: Channel, address: str) -> str:
    """The person's messages as direction:status(error) counts: says where a turn got stuck
    without printing what anyone wrote."""
    counts = Counter(
        f"{m.direction}:{m.status}" + (f"({m.error_code})" if m.error_code else "")
        for m in assistant.messages.transcript(channel.store_channel, address)
    )
    return ", ".join(f"{state} x{count}" for state, count in sorted(counts.items()))


@dataclass
class _Tally:
    timings: list[TurnTiming]
    failures: list[str]
    addresses: list[str]
    conversations: int = 0
    completed: int = 0
    full_scripts: int = 0
    incomplete: list[str] = dataclasses.field(default_factory=list)


def _run_one_thread(
    assistant: Assistant, channel: Channel, scripts: Sequence[ConversationScript], turns: int,
    first_script: int, start_line: threading.Barrier, tally: _Tally, lock: threading.Lock,
    think_seconds: float = 0.0,
) -> None:
    """Conversations back to back, each a new person on a whole intake, until `turns` are done.
    With `think_seconds`, each reply is read and answered after a pause around that long, as
    people do; without, the next message goes the moment the replies arrive (a saturated CPU)."""
    start_line.wait()
    pauses = random.Random(first_script)
    done = 0
    for script_index in itertools.count(first_script):
        if done >= turns:
            return
        script = scripts[script_index % len(scripts)]
        address = channel.new_address()
        messages = script.messages[: turns - done]
        with lock:
            tally.conversations += 1
            tally.addresses.append(address)
        for turn, text in enumerate(messages, start=1):
            if think_seconds:
                time.sleep(pauses.uniform(0.5, 1.5) * think_seconds)
            try:
                timing = run_turn(assistant, channel, address, text)
            except (TurnFailed, OSError) as error:
                with lock:
                    tally.failures.append(f"{channel.name} {script.name} turn {turn}: {error}")
                return
            with lock:
                tally.timings.append(timing)
            done += 1
        if len(messages) == len(script.messages):
            screening = assistant.store.latest_screening(channel.store_channel, address)
            with lock:
                tally.full_scripts += 1
                if screening is not None and screening.status == "complete":
                    tally.completed += 1
                else:
                    replies_received = channel.reply_arrivals(address)
                    tally.incomplete.append(
                        f"{channel.name} {script.name} {address}: intake "
                        f"{screening.status if screening is not None else 'not started'}, {len(replies_received)} replies; "
                        f"messages: {_states(assistant, channel, address)}"
                    )


@dataclass(frozen=True)
class CpuSample:
    machine_busy: float  # seconds the whole machine spent busy (all cores)
    processes: dict[str, float]  # seconds of CPU per process of ours, by name
    at: float  # time.monotonic()


class CpuMeter:
    """CPU time from Linux /proc over a phase: each process of ours (the assistant's, with its
    children, such as nginx's worker; and this benchmark's, which plays Twilio, Telegram and the
    seekers; and any `extra` process named, such as the database servers) and, from the
    machine's total, how much other programs took (other benchmarks or test runs make numbers
    noisy)."""

    def __init__(self, assistant: Assistant, extra: dict[str, int] | None = None) -> None:
        supervisor = assistant.supervisor
        self._pids = {"benchmark client": os.getpid()}
        for managed in supervisor.processes if supervisor else []:
            if managed.process is not None:
                self._pids[managed.name] = managed.process.pid
        self._pids.update(extra or {})
        self._tick = os.sysconf("SC_CLK_TCK")

    def sample(self) -> CpuSample:
        return CpuSample(
            self._machine_busy(), {name: self._process_busy(pid) for name, pid in self._pids.items()}, time.monotonic()
        )

    def cores_since(self, start: CpuSample) -> tuple[dict[str, float], float]:
        """(cores used by each of our processes, cores used by everything else) since `start`."""
        _, ours, others = self.used_since(start)
        return ours, others

    def used_since(self, start: CpuSample) -> tuple[dict[str, float], dict[str, float], float]:
        """(CPU seconds of each of our processes, the same in cores, cores used by everything
        else) since `start`."""
        end = self.sample()
        elapsed = end.at - start.at
        seconds = {name: end.processes[name] - start.processes[name] for name in end.processes}
        if elapsed <= 0:
            return seconds, {}, math.nan
        ours = {name: used / elapsed for name, used in seconds.items()}
        machine = (end.machine_busy - start.machine_busy) / elapsed
        return seconds, ours, max(0.0, machine - sum(ours.values()))

    def _machine_busy(self) -> float:
        try:
            first = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
        except OSError:
            return math.nan
        user, nice, system, idle, iowait, irq, softirq, steal = (int(value) for value in first)
        return (user + nice + system + irq + softirq + steal) / self._tick

    def _process_busy(self, pid: int) -> float:
        return tree_cpu_seconds(pid)


def run_phase(
    assistant: Assistant, channel: Channel, scripts: Sequence[ConversationScript], concurrency: int, turns: int,
    think_seconds: float = 0.0, also_measure: dict[str, int] | None = None,
) -> PhaseResult:
    """`concurrency` threads, each posting `turns` messages (whole scripts back to back, each a new
    person, the scripts alternating between threads). `also_measure`: more processes whose CPU to
    count (name -> pid)."""
    cpu = CpuMeter(assistant, also_measure)
    cpu_start = cpu.sample()
    tally = _Tally([], [], [])
    lock = threading.Lock()
    start_line = threading.Barrier(concurrency + 1)
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="seeker") as pool:
        futures = [
            pool.submit(
                _run_one_thread, assistant, channel, scripts, turns, index, start_line, tally, lock, think_seconds
            )
            for index in range(concurrency)
        ]
        start_line.wait()
        started = time.perf_counter()
        for future in futures:
            future.result()
        wall = time.perf_counter() - started
    our_cpu_seconds, our_cores, other_cores = cpu.used_since(cpu_start)
    replies = [
        message
        for address in tally.addresses
        for message in assistant.messages.transcript(channel.store_channel, address)
        if message.direction == "out"
    ]
    retried = [message for message in replies if message.attempts > 1]
    reasons = Counter(message.error_code or "?" for message in retried)
    label = f"{channel.name}, replies after ~{think_seconds:g} s" if think_seconds else channel.name
    return PhaseResult(
        label, concurrency, tuple(tally.timings), wall, tuple(tally.failures),
        tally.conversations, tally.completed, tally.full_scripts, tuple(tally.incomplete), len(replies), len(retried),
        tuple(f"{code} x{count}" for code, count in reasons.most_common()), other_cores, our_cores, our_cpu_seconds,
    )


def _print_phase(phase: PhaseResult) -> None:
    print(
        f"  {phase.channel}, {phase.concurrency} at once: {len(phase.timings)} turns in {phase.wall_seconds:.1f} s; "
        f"webhook p50 {phase.webhook_ms(0.5):.0f} ms, p99 {phase.webhook_ms(0.99):.0f} ms "
        f"(in the server p99 {phase.handler_ms(0.99):.0f} ms), reply p50 {phase.reply_ms(0.5):.0f} ms, "
        f"p99 {phase.reply_ms(0.99):.0f} ms; {len(phase.failures)} failed; other programs used "
        f"{phase.other_cores:.2f} cores; ours: "
        + ", ".join(f"{name} {cores:.2f}" for name, cores in phase.our_cores.items()),
        flush=True,
    )
    for failure in phase.failures[:10]:
        print(f"    {failure}", flush=True)


def results_table(phases: Sequence[PhaseResult]) -> str:
    lines = [
        "| channel | at once | turns | webhook p50 / p99 / max ms | in the server p50 / p99 ms (storing p99) "
        "| reply p50 / p99 / max ms | turns/s "
        "| intakes completed | turns without reply | replies retried (why) | failed conversations "
        "| other programs' CPU (cores) |",
        "|" + "---|" * 12,
    ]
    for phase in phases:
        lines.append(
            f"| {phase.channel} | {phase.concurrency} | {len(phase.timings)} | "
            f"{phase.webhook_ms(0.5):.0f} / {phase.webhook_ms(0.99):.0f} / {phase.webhook_ms(1.0):.0f} | "
            f"{phase.handler_ms(0.5):.0f} / {phase.handler_ms(0.99):.0f} ({phase.store_ms(0.99):.0f}) | "
            f"{phase.reply_ms(0.5):.0f} / {phase.reply_ms(0.99):.0f} / {phase.reply_ms(1.0):.0f} | "
            f"{phase.turns_per_second:.1f} | {phase.completed_intakes} of {phase.full_scripts} | "
            f"{phase.silent_turns} | {phase.retried_replies} of {phase.replies}"
            f"{' (' + ', '.join(phase.retry_reasons) + ')' if phase.retry_reasons else ''} | "
            f"{len(phase.failures)} of {phase.conversations} | {phase.other_cores:.2f} |"
        )
    return "\n".join(lines)


def _stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so the servers' `finally` blocks run."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


# The production profile refuses a Telegram secret shorter than 32 characters (made up, as the
# test credentials are).
PRODUCTION_TELEGRAM_SECRET = "bench-telegram-secret-not-a-secret-0123456789"


@contextlib.contextmanager
def database_settings(kind: str) -> Iterator[dict[str, str]]:
    """Settings for the profile measured: nothing for SQLite (the harness's default), or the
    production profile on a throwaway PostgreSQL database (with a role of its own, as production
    requires) with Redis as the lock store, and the other settings production insists on."""
    if kind == "sqlite":
        yield {}
        return
    from bot.cli.settings import RASA_API_TOKEN_SETTING
    from tests.postgres import throwaway_postgres_database_with_its_own_role

    with throwaway_postgres_database_with_its_own_role() as url:
        yield {
            "INTAKE_PROFILE": "production",
            "DATABASE_URL": url,
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "STAFF_SECRET_KEY": secrets.token_hex(32),
            "STAFF_CONSOLE_URL": "https://console.example.org",
            RASA_API_TOKEN_SETTING: secrets.token_urlsafe(32),
            "TELEGRAM_SECRET_TOKEN": PRODUCTION_TELEGRAM_SECRET,
        }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=13, help="turns per conversation thread (default 13: one intake)")
    parser.add_argument("--concurrency", type=int, default=20, help="conversations at once in the loaded phases")
    parser.add_argument("--skip-telegram", action="store_true", help="measure SMS only")
    parser.add_argument(
        "--think-seconds", type=float, default=3.0,
        help="also run the loaded SMS phase with people pausing about this long before each reply (0: skip)",
    )
    parser.add_argument(
        "--database", choices=("sqlite", "postgresql"), default="sqlite",
        help="the laptop profile (SQLite) or the production profile (a throwaway PostgreSQL database + Redis)",
    )
    parser.add_argument(
        "--via", choices=("ingest", "rasa"), default="ingest",
        help="post webhooks to the ingest process (default, as in production) or the Rasa server's own routes",
    )
    args = parser.parse_args(argv)
    if args.turns < 1 or args.concurrency < 1:
        parser.error("--turns and --concurrency must be at least 1")
    _stop_on_sigterm()
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    started = time.perf_counter()
    scripts = INTAKE_SCRIPTS  # English and Spanish intakes, alternating between threads

    phases: list[PhaseResult] = []
    with RecipientIndexedTwilioApi(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) as twilio_api, FakeTelegramApi(TELEGRAM_TOKEN) as telegram_api:
        env = {
            **TEST_CHANNEL_ENV,
            "TWILIO_API_BASE_URL": twilio_api.base_url,
            "TELEGRAM_API_BASE_URL": telegram_api.base_url,
            **BENCH_FLOOD_SETTINGS,
        }
        with tempfile.TemporaryDirectory(prefix="channel-bench-") as work_dir, database_settings(args.database) as database_env:
            booting = time.perf_counter()
            with running_assistant(Path(work_dir), {**env, **database_env}) as assistant:
                entry = assistant.webhook_url if args.via == "ingest" else assistant.rasa_url
                print(
                    f"assistant ready in {time.perf_counter() - booting:.1f} s; webhooks posted to {entry} "
                    f"({'ingest process' if args.via == 'ingest' else 'Rasa server'})",
                    flush=True,
                )
                sms = Sms(entry, twilio_api)
                telegram = Telegram(
                    entry, telegram_api, database_env.get("TELEGRAM_SECRET_TOKEN", TELEGRAM_SECRET)
                )
                channels: list[tuple[Channel, tuple[int, ...]]] = [(sms, (1, args.concurrency))]
                if not args.skip_telegram:
                    channels.append((telegram, (args.concurrency,)))
                for channel, levels in channels:
                    # The first burst after start pays one-time costs (caches, lazy imports, the
                    # database files growing); it is reported on its own row, and the rows that
                    # follow measure the warm assistant, as it runs most of the day.
                    cold = run_phase(assistant, channel, scripts, args.concurrency, args.turns)
                    cold = dataclasses.replace(cold, channel=f"{cold.channel}, first burst after start")
                    _print_phase(cold)
                    phases.append(cold)
                    for concurrency in levels:
                        phase = run_phase(assistant, channel, scripts, concurrency, args.turns)
                        _print_phase(phase)
                        phases.append(phase)
                    if channel is sms and args.think_seconds > 0:
                        phase = run_phase(assistant, channel, scripts, args.concurrency, args.turns, args.think_seconds)
                        _print_phase(phase)
                        phases.append(phase)

    report = [
        f"Channel latency: intakes (English and Spanish, alternating) over the real webhooks "
        f"({'webhook ingest process' if args.via == 'ingest' else 'Rasa server routes, one process'}), "
        f"{args.turns} turns per conversation thread, each message posted after the previous turn's "
        f"replies left (at once, or after a pause where the row says so); local Twilio/Telegram API "
        f"servers on 127.0.0.1; {'SQLite' if args.database == 'sqlite' else 'PostgreSQL + Redis'}; flood limit off.",
        "webhook = signed POST to the HTTP answer, timed by the client; in the server = the handler's "
        "own Server-Timing (signature, parsing, storing), storing = its database insert; reply = same "
        "start to the turn's last reply received by the local API server.",
        "",
        results_table(phases),
        "",
        machine_line(),
    ]
    print("\n" + "\n".join(report))
    print(f"\n(whole run {time.perf_counter() - started:.0f} s)")
    return 1 if any(phase.failures for phase in phases) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted; servers stopped.", file=sys.stderr)
        sys.exit(130)
