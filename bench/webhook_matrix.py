"""The production benchmark matrix (issue 16): turns over the signed Twilio webhook at 1, 20 and 100
conversations at once, in the embedded profile (SQLite, one instance) and the production profile
(PostgreSQL + Redis) with one instance and with two behind nginx; next to stock `rasa init` in the
same run; and the time to train from cold and to re-run the preparation with nothing changed.

    .venv/bin/python bench/webhook_matrix.py [--quick] [--levels 1,20,100]
                                             [--cells embedded,production,production-2]
                                             [--skip-stock] [--skip-cold-training]

Every conversation is a new phone number doing a whole intake (English and Spanish alternating,
13 turns each), one message at a time, each message a signed Twilio form posted the moment the
previous turn's replies have reached the local Twilio API server (bench/channel_latency.py does
the posting, the local API server and the timing). A level of N at once runs max(N, 4)
conversations, N threads at a time: one round at 20 and 100, four intakes back to back at 1.
A conversation counts as failed when a turn got no answer or the intake did not reach its summary.

- latency: from the signed webhook post to the turn's last reply reaching the local Twilio API
  server (the ingest process, the wake, the inbound processor, Rasa and the action server, the
  outbound queue and the sender); p50 / p95 / p99 over every turn of the level;
- CPU per turn: utime + stime from /proc of every server process (nginx with its worker), over
  the level, divided by its turns; the instances of one kind of process added up. The database
  servers' CPU (PostgreSQL and Redis, which other programs on the machine may use too) is shown
  on its own;
- memory: each process's peak resident memory over the whole cell (the kernel's VmHWM).

Stock `rasa init` has no Twilio channel and none of our ingest: it is driven over its REST channel
(the webhook answers with the replies) with its own moodbot conversations (5 turns), at the same
levels, so its rows say so; its latency is the REST call's. So that ours and stock also compare
like for like, the embedded cell is driven over the REST channel too, at the same levels, after its
webhook levels: what the channel path (ingest, inbound processor, sender) costs shows as the
difference.

Training: ours is `python -m bot.cli prepare` with an empty models folder and an empty Rasa cache
(cold), then the same command again (nothing changed: it checks the fingerprint and starts no
training); stock's is `rasa train` in a fresh `rasa init` project with an empty Rasa cache, then
again (Rasa finds every step in its cache).

`--quick` (the smoke test, tests/bench/test_webhook_matrix.py): 1 and 2 at once in the
one-instance cells and 2 at once on two production instances, no stock, no cold training. Prints
Markdown tables and writes them to bench/out/webhook_matrix.md; a cell with a failed conversation
leaves its servers' logs in bench/out/logs/.
"""
from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # run as a script: make `bot`, `bench` and `tests` importable

from bench.channel_latency import (  # noqa: E402
    BENCH_FLOOD_SETTINGS,
    PhaseResult as WebhookPhase,
    RecipientIndexedTwilioApi,
    Sms,
    database_settings,
    run_phase as run_webhook_phase,
)
from bench.conversation_scripts import INTAKE_SCRIPTS, STOCK_SCRIPTS  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.process_memory import PROC, tree_cpu_seconds, tree_peak_rss_mib  # noqa: E402
from bench.rest_load import run_phase as run_rest_phase  # noqa: E402
from bench.servers import RASA, RunningSystem, running_stock  # noqa: E402
from bot.cli.harness import Assistant, running_assistant  # noqa: E402
from tests.channels.settings import TEST_CHANNEL_ENV, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN  # noqa: E402

OUT_DIR = REPO_ROOT / "bench" / "out"
FULL_LEVELS = (1, 20, 100)
QUICK_LEVELS = (1, 2)
# At 1 at once a single intake would be 13 samples: four back to back give the percentiles more.
MIN_CONVERSATIONS = 4
QUICK_MIN_CONVERSATIONS = 1
STOCK_SYSTEM = "stock `rasa init` (REST channel, moodbot: no Twilio webhook, no ingest)"
STOCK_SETUP = "in-memory tracker store, 1 instance"
TARGET_SERVER_CPU_MS = 15.0
OURS_OVER_REST = "ours over the REST channel, as stock (no ingest, processor or sender)"
OURS_WITH_DELIVERY_REPORTS = "ours, with Twilio's delivery reports (sent, delivered) of each reply"
INTAKE_TURNS = len(INTAKE_SCRIPTS[0].messages)
assert all(len(script.messages) == INTAKE_TURNS for script in INTAKE_SCRIPTS), "threads count whole intakes"


@dataclass(frozen=True)
class Cell:
    key: str
    database: str  # "sqlite" or "postgresql" (bench/channel_latency.py's database_settings)
    instances: int

    @property
    def label(self) -> str:
        store = "embedded, SQLite" if self.database == "sqlite" else "production, PostgreSQL + Redis"
        front = ", behind nginx" if self.instances > 1 else ""
        return f"{store}, {self.instances} instance{'s' if self.instances > 1 else ''}{front}"


CELLS = {
    "embedded": Cell("embedded", "sqlite", 1),
    "production": Cell("production", "postgresql", 1),
    "production-2": Cell("production-2", "postgresql", 2),
}


@dataclass(frozen=True)
class LoadRow:
    system: str
    setup: str
    concurrency: int
    conversations: int
    turns: int
    turns_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_ms_per_turn: dict[str, float]  # kind of server process -> CPU ms per turn, instances added up
    database_cpu_ms_per_turn: dict[str, float]  # PostgreSQL / Redis servers
    failed: int
    other_cores: float  # cores other programs on the machine kept busy meanwhile (nan: not measured)
    client_cores: float  # cores this benchmark's own process (the seekers, the local Twilio API) used

    @property
    def server_cpu_ms_per_turn(self) -> float:
        return sum(self.cpu_ms_per_turn.values())


@dataclass(frozen=True)
class MemoryRow:
    system: str
    setup: str
    peak_mib: dict[str, float]  # process -> peak resident MB


@dataclass(frozen=True)
class TrainingRow:
    system: str
    command: str
    cold_seconds: float | None  # None: not measured in this run
    rerun_seconds: float


@dataclass
class MatrixReport:
    load: list[LoadRow] = field(default_factory=list)
    memory: list[MemoryRow] = field(default_factory=list)
    training: list[TrainingRow] = field(default_factory=list)


def process_kind(name: str) -> str:
    """"Rasa server 2" -> "Rasa server": the instances of one kind are added up."""
    return re.sub(r" \d+$", "", name)


def cpu_ms_by_kind(cpu_seconds: dict[str, float], turns: int) -> dict[str, float]:
    by_kind: dict[str, float] = {}
    for name, seconds in cpu_seconds.items():
        by_kind[process_kind(name)] = by_kind.get(process_kind(name), 0.0) + seconds * 1000 / max(turns, 1)
    return by_kind


def database_server_pids() -> dict[str, int]:
    """The PostgreSQL postmaster and the Redis server on this machine, if any: the roots of the
    process trees whose CPU the database work costs (their connections are their children)."""
    commands: dict[int, tuple[str, int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "comm").read_text().strip()
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        commands[int(entry.name)] = (command, parent)
    roots: dict[str, int] = {}
    for pid, (command, parent) in sorted(commands.items()):
        parent_command = commands.get(parent, ("", 0))[0]
        if command == "postgres" and parent_command != "postgres":
            roots.setdefault("PostgreSQL", pid)
        elif command == "redis-server" and parent_command != "redis-server":
            roots.setdefault("Redis", pid)
    return roots


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def webhook_row(cell: Cell, phase: WebhookPhase, database_names: Sequence[str], system: str = "ours") -> LoadRow:
    turns = len(phase.timings)
    servers = {
        name: seconds for name, seconds in phase.our_cpu_seconds.items()
        if name != "benchmark client" and name not in database_names
    }
    databases = {name: seconds for name, seconds in phase.our_cpu_seconds.items() if name in database_names}
    return LoadRow(
        system, cell.label, phase.concurrency, phase.conversations, turns, phase.turns_per_second,
        phase.reply_ms(0.50), phase.reply_ms(0.95), phase.reply_ms(0.99),
        cpu_ms_by_kind(servers, turns), cpu_ms_by_kind(databases, turns),
        len(phase.failures) + len(phase.incomplete), phase.other_cores, phase.our_cores.get("benchmark client", math.nan),
    )


def measure_cell(
    cell: Cell, levels: Sequence[int], min_conversations: int, twilio_api: RecipientIndexedTwilioApi, report: MatrixReport,
    delivery_reports: bool = False,
) -> None:
    env = {
        # The tests' scheduler polls every 0.3 s so their scheduled messages go out at once; here
        # it polls as configured by default, or its idle polling would count as CPU per turn.
        **{name: value for name, value in TEST_CHANNEL_ENV.items() if name != "SCHEDULER_POLL_SECONDS"},
        "TWILIO_API_BASE_URL": twilio_api.base_url,
        **BENCH_FLOOD_SETTINGS,
    }
    with tempfile.TemporaryDirectory(prefix="webhook-matrix-") as work_dir, database_settings(cell.database) as database_env:
        booting = time.perf_counter()
        with running_assistant(Path(work_dir), {**env, **database_env}, instances=cell.instances) as assistant:
            print(f"{cell.label}: ready in {time.perf_counter() - booting:.1f} s; load average {load_average()}", flush=True)
            sms = Sms(assistant.webhook_url, twilio_api)
            # Real Twilio posts `sent` and `delivered` to the status callback of every reply.
            twilio_api.post_delivery_reports_to(assistant.webhook_url if delivery_reports else None)
            system = OURS_WITH_DELIVERY_REPORTS if delivery_reports else "ours"
            databases = database_server_pids() if cell.database == "postgresql" else {}
            # Not counted: the first turns pay for lazy imports, caches and connections.
            warm_up = run_webhook_phase(assistant, sms, INTAKE_SCRIPTS, len(INTAKE_SCRIPTS), INTAKE_TURNS)
            for failure in warm_up.failures:
                print(f"  warm-up failed: {failure}", flush=True)
            for concurrency in levels:
                conversations = max(concurrency, min_conversations)
                rounds = -(-conversations // concurrency)
                phase = run_webhook_phase(
                    assistant, sms, INTAKE_SCRIPTS, concurrency, rounds * INTAKE_TURNS, also_measure=databases
                )
                row = webhook_row(cell, phase, list(databases), system)
                report.load.append(row)
                _print_row(row)
                for failure in [*phase.failures, *phase.incomplete][:10]:
                    print(f"    {failure}", flush=True)
            twilio_api.post_delivery_reports_to(None)
            if delivery_reports:
                print(f"  delivery reports posted, by the ingest's answer: {dict(twilio_api.delivery_report_answers)}", flush=True)
            if cell.database == "sqlite":
                measure_ours_over_rest(assistant, levels, min_conversations, report)
            supervisor = assistant.supervisor
            report.memory.append(MemoryRow("ours", cell.label, {
                managed.name: tree_peak_rss_mib(managed.process.pid)
                for managed in (supervisor.processes if supervisor else [])
                if managed.process is not None
            }))
        if any(row.failed for row in report.load if row.setup == cell.label and row.system != STOCK_SYSTEM):
            # The servers' logs say why (an action timing out, a database error); the work folder
            # is about to be deleted.
            kept = OUT_DIR / "logs" / cell.key
            shutil.copytree(assistant.log_dir, kept, dirs_exist_ok=True)
            print(f"  {cell.label}: failed conversations; the servers' logs are in {kept}", flush=True)


def measure_ours_over_rest(assistant: Assistant, levels: Sequence[int], min_conversations: int, report: MatrixReport) -> None:
    """The same running assistant driven the way stock is (the REST channel, the replies in the
    HTTP answer: no ingest, no inbound processor, no sender), so ours and stock compare like for
    like, and the webhook rows show what the channel path costs on top."""
    supervisor = assistant.supervisor
    pids = {managed.name: managed.process.pid for managed in (supervisor.processes if supervisor else []) if managed.process}
    for concurrency in levels:
        conversations = max(concurrency, min_conversations)
        before = {name: tree_cpu_seconds(pid) for name, pid in pids.items()}
        client_before = tree_cpu_seconds(os.getpid())
        phase = run_rest_phase(
            assistant.rasa_url, INTAKE_SCRIPTS, conversations, concurrency, f"ours-rest-{concurrency}",
            assistant.rasa_api_token,
        )
        client_cores = (tree_cpu_seconds(os.getpid()) - client_before) / phase.wall_seconds
        used = {name: tree_cpu_seconds(pid) - before[name] for name, pid in pids.items()}
        row = LoadRow(
            OURS_OVER_REST, CELLS["embedded"].label, concurrency, conversations, phase.turns, phase.turns_per_second,
            phase.percentile_ms(0.50), phase.percentile_ms(0.95), phase.percentile_ms(0.99),
            cpu_ms_by_kind(used, phase.turns), {}, len(phase.failures), math.nan, client_cores,
        )
        report.load.append(row)
        _print_row(row)
        for failure in phase.failures[:10]:
            print(f"    {failure}", flush=True)


def measure_stock(project: Path, model: Path, levels: Sequence[int], min_conversations: int, report: MatrixReport) -> None:
    system = RunningSystem()
    with running_stock(project, model, system):
        print(f"stock: ready in {system.ready_seconds:.1f} s; load average {load_average()}", flush=True)
        (pid,) = system.root_pids()
        run_rest_phase(system.rasa_url, STOCK_SCRIPTS, 1, 1, "stock-warmup")
        for concurrency in levels:
            conversations = max(concurrency, min_conversations)
            before = tree_cpu_seconds(pid)
            client_before = tree_cpu_seconds(os.getpid())
            phase = run_rest_phase(system.rasa_url, STOCK_SCRIPTS, conversations, concurrency, f"stock-{concurrency}")
            cpu_ms = (tree_cpu_seconds(pid) - before) * 1000 / max(phase.turns, 1)
            client_cores = (tree_cpu_seconds(os.getpid()) - client_before) / phase.wall_seconds
            row = LoadRow(
                STOCK_SYSTEM, STOCK_SETUP, concurrency, conversations, phase.turns,
                phase.turns_per_second, phase.percentile_ms(0.50), phase.percentile_ms(0.95),
                phase.percentile_ms(0.99), {"Rasa server": cpu_ms}, {}, len(phase.failures), math.nan, client_cores,
            )
            report.load.append(row)
            _print_row(row)
            for failure in phase.failures[:10]:
                print(f"    {failure}", flush=True)
        report.memory.append(MemoryRow(STOCK_SYSTEM, STOCK_SETUP, {"Rasa server": tree_peak_rss_mib(pid)}))


def timed(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> float:
    started = time.perf_counter()
    with open(log, "ab") as output:
        subprocess.run(command, cwd=cwd, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT, check=True)
    return time.perf_counter() - started


def our_training(work_dir: Path, cold: bool) -> TrainingRow:
    """`bot.cli prepare` as `make run` calls it, into a models folder and Rasa cache of its own."""
    env = {
        "INTAKE_MODELS_DIR": str(work_dir / "models"),
        "INTAKE_VAR_DIR": str(work_dir / "var"),
        "DATABASE_URL": f"sqlite:///{work_dir / 'intake.db'}",
        "RASA_CACHE_DIRECTORY": str(work_dir / "rasa-cache"),
    }
    command = [sys.executable, "-m", "bot.cli", "prepare"]
    log = work_dir / "prepare.log"
    if not cold:
        # The re-run needs a current model: the repository's own, which `make bench-webhooks`
        # prepared before this ran.
        env["INTAKE_MODELS_DIR"] = str(REPO_ROOT / "models")
    cold_seconds = timed(command, REPO_ROOT, env, log) if cold else None
    rerun_seconds = timed(command, REPO_ROOT, env, log)
    return TrainingRow("ours", "`python -m bot.cli prepare`", cold_seconds, rerun_seconds)


def stock_training(work_dir: Path) -> tuple[TrainingRow, Path, Path]:
    """A fresh `rasa init` project (the files `rasa init` copies) trained with an empty Rasa
    cache, then trained again; returns the row, the project and its model."""
    import rasa.cli

    project = work_dir / "stock"
    shutil.copytree(Path(rasa.cli.__file__).parent / "initial_project", project)
    command = [str(RASA), "train", "--out", str(project / "models"), "--fixed-model-name", "stock"]
    env = {"RASA_CACHE_DIRECTORY": str(work_dir / "stock-rasa-cache"), "RASA_TELEMETRY_ENABLED": "false"}
    print("Training stock `rasa init` from cold (DIET + TED; minutes on 2 cores)...", flush=True)
    cold = timed(command, project, env, work_dir / "stock-train.log")
    rerun = timed(command, project, env, work_dir / "stock-train.log")
    return TrainingRow(STOCK_SYSTEM.split(" (")[0], "`rasa train`", cold, rerun), project, project / "models" / "stock.tar.gz"


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0f}"


def _cpu_text(row: LoadRow) -> str:
    parts = ", ".join(f"{kind} {ms:.1f}" for kind, ms in row.cpu_ms_per_turn.items())
    return f"{row.server_cpu_ms_per_turn:.1f} ({parts})"


def _print_row(row: LoadRow) -> None:
    print(
        f"  {row.system}, {row.setup}, {row.concurrency} at once: {row.turns} turns, {row.turns_per_second:.1f} turns/s, "
        f"p50/p95/p99 {_ms(row.p50_ms)}/{_ms(row.p95_ms)}/{_ms(row.p99_ms)} ms, CPU ms/turn {_cpu_text(row)}, "
        f"{row.failed} failed; load average {load_average()}",
        flush=True,
    )


def load_table(rows: Sequence[LoadRow]) -> str:
    lines = [
        "| system | profile | at once | conversations | turns | turns/s | latency p50 / p95 / p99 ms "
        "| server CPU ms per turn: total (per kind of process) | database servers' CPU ms per turn "
        "| failed conversations | CPU of other programs / of this benchmark's client (cores) |",
        "|" + "---|" * 11,
    ]
    for row in rows:
        databases = ", ".join(f"{name} {ms:.1f}" for name, ms in row.database_cpu_ms_per_turn.items()) or "-"
        other = "-" if math.isnan(row.other_cores) else f"{row.other_cores:.2f}"
        client = "-" if math.isnan(row.client_cores) else f"{row.client_cores:.2f}"
        lines.append(
            f"| {row.system} | {row.setup} | {row.concurrency} | {row.conversations} | {row.turns} | "
            f"{row.turns_per_second:.1f} | {_ms(row.p50_ms)} / {_ms(row.p95_ms)} / {_ms(row.p99_ms)} | "
            f"{_cpu_text(row)} | {databases} | {row.failed} of {row.conversations} | {other} / {client} |"
        )
    return "\n".join(lines)


def memory_table(rows: Sequence[MemoryRow]) -> str:
    lines = ["| system | profile | peak resident memory per process, MB | all processes, MB |", "|---|---|---|---|"]
    for row in rows:
        each = ", ".join(f"{name}: {mib:.0f}" for name, mib in row.peak_mib.items())
        lines.append(f"| {row.system} | {row.setup} | {each} | {sum(row.peak_mib.values()):.0f} |")
    return "\n".join(lines)


def training_table(rows: Sequence[TrainingRow]) -> str:
    lines = ["| system | command | cold (s) | unchanged re-run (s) |", "|---|---|---|---|"]
    for row in rows:
        cold = "not measured (--quick / --skip-cold-training)" if row.cold_seconds is None else f"{row.cold_seconds:.1f}"
        lines.append(f"| {row.system} | {row.command} | {cold} | {row.rerun_seconds:.1f} |")
    return "\n".join(lines)


def verdict_lines(rows: Sequence[LoadRow]) -> list[str]:
    """Issue 16's targets, read off the rows: at most 15 ms of server CPU per intake turn, and
    turns/s against stock's at the same level (ours over REST, like for like)."""
    lines = []
    for row in rows:
        if row.system in ("ours", OURS_WITH_DELIVERY_REPORTS):
            met = "met" if row.server_cpu_ms_per_turn <= TARGET_SERVER_CPU_MS else "MISSED"
            lines.append(
                f"- Server CPU per intake turn, {row.setup}, {row.concurrency} at once: "
                f"{row.server_cpu_ms_per_turn:.1f} ms (target <= {TARGET_SERVER_CPU_MS:.0f} ms: {met})"
            )
    stock = {row.concurrency: row for row in rows if row.system == STOCK_SYSTEM}
    for row in rows:
        if row.system == OURS_OVER_REST and row.concurrency in stock:
            ratio = row.turns_per_second / stock[row.concurrency].turns_per_second
            lines.append(
                f"- Turns/s over REST at {row.concurrency} at once, ours (13-turn intakes) vs stock "
                f"(5-turn moodbot): {ratio:.2f}x"
            )
    return lines


def render(report: MatrixReport, started_load: str, ended_load: str, quick: bool) -> str:
    return "\n".join([
        "Webhook matrix" + (" (--quick: a smoke run, not a measurement)" if quick else "")
        + ": whole intakes (English and Spanish alternating) over the signed Twilio webhook; latency = "
        "signed post to the turn's last reply at the local Twilio API server; stock over its REST "
        "channel (latency = the REST call).",
        "",
        load_table(report.load),
        "",
        *verdict_lines(report.load),
        "",
        "Peak resident memory over each cell (VmHWM, per process):",
        "",
        memory_table(report.memory),
        "",
        "Training:",
        "",
        training_table(report.training),
        "",
        machine_line(),
        f"Load average (1 / 5 / 15 min) at the start: {started_load}; at the end: {ended_load}.",
    ])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the smoke run: small levels, no stock, no cold training")
    parser.add_argument("--levels", help="conversations at once, comma-separated (default 1,20,100)")
    parser.add_argument("--cells", help=f"which of {', '.join(CELLS)} (default all)")
    parser.add_argument("--skip-stock", action="store_true", help="no stock `rasa init` rows")
    parser.add_argument("--skip-cold-training", action="store_true", help="time only the unchanged re-runs of ours")
    parser.add_argument(
        "--delivery-reports", action="store_true",
        help="the local Twilio API posts each reply's two delivery reports (sent, delivered) to the ingest, as Twilio does",
    )
    args = parser.parse_args(argv)
    levels = tuple(int(level) for level in args.levels.split(",")) if args.levels else (
        QUICK_LEVELS if args.quick else FULL_LEVELS
    )
    if args.cells is not None:  # "" measures no cell of ours (stock and training only)
        keys = [key for key in args.cells.split(",") if key]
        unknown = set(keys) - set(CELLS)
        if unknown:
            parser.error(f"unknown cells: {', '.join(sorted(unknown))}")
        cells = [CELLS[key] for key in keys]
    else:
        cells = list(CELLS.values())
    with_stock = not (args.quick or args.skip_stock)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    started_load = load_average()
    report = MatrixReport()

    with tempfile.TemporaryDirectory(prefix="webhook-matrix-training-") as training_dir:
        training_path = Path(training_dir)
        report.training.append(our_training(training_path, cold=not (args.quick or args.skip_cold_training)))
        if with_stock:
            stock_row, stock_project, stock_model = stock_training(training_path)
            report.training.append(stock_row)
        for row in report.training:
            cold = "not measured" if row.cold_seconds is None else f"{row.cold_seconds:.1f} s"
            print(f"  training, {row.system}: cold {cold}, unchanged re-run {row.rerun_seconds:.1f} s", flush=True)

        with RecipientIndexedTwilioApi(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) as twilio_api:
            for cell in cells:
                cell_levels = (max(levels),) if args.quick and cell.instances > 1 else levels
                measure_cell(
                    cell, cell_levels, QUICK_MIN_CONVERSATIONS if args.quick else MIN_CONVERSATIONS, twilio_api, report,
                    delivery_reports=args.delivery_reports,
                )
        if with_stock:
            measure_stock(stock_project, stock_model, levels, MIN_CONVERSATIONS, report)

    text = render(report, started_load, load_average(), args.quick)
    print("\n" + text)
    (OUT_DIR / "webhook_matrix.md").write_text(text + "\n")
    print(f"\n(wrote {OUT_DIR / 'webhook_matrix.md'}; whole run {time.perf_counter() - started:.0f} s)")
    return 1 if any(row.failed for row in report.load) else 0


if __name__ == "__main__":
    from bench.channel_latency import _stop_on_sigterm

    _stop_on_sigterm()
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted; servers stopped.", file=sys.stderr)
        sys.exit(130)
