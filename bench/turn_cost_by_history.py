"""Does a turn cost more as the conversation grows? One seeker's conversation driven for 300+
turns over Rasa's REST channel, one message at a time, every turn timed and every turn's server
CPU read from /proc.

    .venv/bin/python bench/turn_cost_by_history.py [--cycles 11] [--repeats 3]

After an opening "hi" the conversation repeats one cycle (bench.conversation_scripts.
RETURNING_SEEKER_CYCLE): a full intake to the summary, questions and corrections after it, then
"start over". The cycle is 29 messages long, so turn 10 and turn 300 are the same message at the
same point of the intake, and the ratio of their times says what 290 turns of history cost.
Each of `--repeats` conversations (a new seeker each) is driven from its first turn; a turn's
time is the median over the repeats, so one slow moment on a shared machine does not decide the
ratio. `--repeats 0 --transcript` only prints one cycle's replies, to check the script.

Prints a Markdown table and writes it to bench/out/turn_cost_by_history.md.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # run as a script: make `bot` and `bench` importable

from bench.conversation_scripts import RETURNING_SEEKER_CYCLE, ReturningSeekerCycle  # noqa: E402
from bench.intake_throughput import _stop_on_sigterm  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.process_memory import tree_cpu_seconds  # noqa: E402
from bench.servers import RunningSystem, running_ours  # noqa: E402

OUT_DIR = REPO_ROOT / "bench" / "out"
WINDOWS = ((1, 50), (100, 149), (250, 299))
EARLY_TURN, LATE_TURN = 10, 300
TARGET_RATIO = 1.3
# The processes a turn runs in; the webhook ingest process and the staff console take no part.
WEIGHED_SERVERS = ("Rasa server", "action server")
TURN_TIMEOUT_SECONDS = 60


@dataclass
class TurnLog:
    """One conversation: per turn, wall seconds and CPU seconds of each server."""

    seconds: list[float] = field(default_factory=list)
    cpu_seconds: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def _post(url: str, body: dict) -> list[dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=TURN_TIMEOUT_SECONDS) as response:
        return json.loads(response.read() or b"[]")


def drive_conversation(system: RunningSystem, cycle: ReturningSeekerCycle, cycles: int, echo: bool = False) -> TurnLog:
    """Sends the opening and `cycles` cycles one message at a time as one seeker; the servers' CPU
    is read before and after each turn (the reading is the client's work, outside the timed
    request)."""
    messages = [cycle.opening, *cycle.messages * cycles]
    webhook = f"{system.rasa_url}/webhooks/rest/webhook?token={system.api_token}"
    sender = f"bench-history-{uuid.uuid4().hex[:10]}"
    roots = {name: pid for name, pid in system.roots().items() if name in WEIGHED_SERVERS}
    log = TurnLog(cpu_seconds={name: [] for name in roots})
    for turn, message in enumerate(messages, start=1):
        cpu_before = {name: tree_cpu_seconds(pid) for name, pid in roots.items()}
        started = time.perf_counter()
        replies = _post(webhook, {"sender": sender, "message": message})
        log.seconds.append(time.perf_counter() - started)
        if echo:
            said = " | ".join(reply.get("text", "") for reply in replies)
            print(f"  {turn:3d} {message!r} -> {said[:150]!r}", flush=True)
        for name, pid in roots.items():
            log.cpu_seconds[name].append(tree_cpu_seconds(pid) - cpu_before[name])
        if turn > 1 and (turn - 1) % len(cycle.messages) == cycle.summary_turn % len(cycle.messages):
            # Every cycle reaches the summary: a conversation that lost its way measures nothing useful.
            said = " ".join(reply.get("text", "") for reply in replies)
            if cycle.summary_contains not in said:
                log.failures.append(f"turn {turn} ({message!r}): no {cycle.summary_contains!r} in {said[:160]!r}")
    return log


def turn_medians(logs: Sequence[TurnLog]) -> list[float]:
    """Per turn, the median over the conversations of that turn's wall seconds."""
    return [statistics.median(log.seconds[index] for log in logs) for index in range(len(logs[0].seconds))]


def window_row(logs: Sequence[TurnLog], first: int, last: int) -> dict[str, float]:
    """Median turn time and mean CPU per turn of each server over turns first..last (1-based).

    CPU is a mean, not a median: /proc counts in 10 ms ticks, so one turn's reading is coarse and
    only a sum over many turns is exact."""
    turns = [log.seconds[first - 1:last] for log in logs]
    row = {"median ms": statistics.median(t for each in turns for t in each) * 1000}
    for name in logs[0].cpu_seconds:
        spent = [c for log in logs for c in log.cpu_seconds[name][first - 1:last]]
        row[f"{name} CPU ms/turn"] = sum(spent) * 1000 / len(spent)
    return row


def report(logs: Sequence[TurnLog], cycle_length: int, label: str) -> str:
    servers = list(logs[0].cpu_seconds)
    header = "| turns | median turn ms | " + " | ".join(f"{s} CPU ms/turn" for s in servers) + " | total CPU ms/turn |"
    lines = [header, "|" + "---|" * (3 + len(servers))]
    rows = {}
    for first, last in WINDOWS:
        row = rows[(first, last)] = window_row(logs, first, last)
        cpu = [row[f"{s} CPU ms/turn"] for s in servers]
        lines.append(
            f"| {first}-{last} | {row['median ms']:.0f} | " + " | ".join(f"{c:.1f}" for c in cpu) + f" | {sum(cpu):.1f} |"
        )
    medians = turn_medians(logs)
    early, late = medians[EARLY_TURN - 1], medians[LATE_TURN - 1]
    ratio = late / early
    first_window, last_window = rows[WINDOWS[0]], rows[WINDOWS[-1]]
    total = lambda row: sum(row[f"{s} CPU ms/turn"] for s in servers)  # noqa: E731
    # The first and the last whole cycle: the same 29 messages, so their ratio is the fairest.
    turns = len(logs[0].seconds)
    first_cycle = window_row(logs, 2, 1 + cycle_length)
    last_cycle = window_row(logs, turns - cycle_length + 1, turns)
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    return "\n".join([
        f"Turn cost by history ({label}): one conversation of {len(logs[0].seconds)} turns over "
        f"POST /webhooks/rest/webhook on 127.0.0.1, one message at a time, {len(logs)} conversations "
        f"(\"hi\", then a {cycle_length}-message cycle: intake to the summary, questions and corrections, start over).",
        "",
        *lines,
        "",
        f"- Turn {LATE_TURN} vs turn {EARLY_TURN} (the same message; median over {len(logs)} conversations): "
        f"{late * 1000:.0f} ms / {early * 1000:.0f} ms = {ratio:.2f}x (target <= {TARGET_RATIO}x: {verdict})",
        f"- Turns {WINDOWS[-1][0]}-{WINDOWS[-1][1]} vs {WINDOWS[0][0]}-{WINDOWS[0][1]}: median turn "
        f"{last_window['median ms'] / first_window['median ms']:.2f}x, server CPU per turn "
        f"{total(last_window) / total(first_window):.2f}x",
        f"- Last cycle (turns {turns - cycle_length + 1}-{turns}) vs first (turns 2-{1 + cycle_length}), the same "
        f"messages: median turn {last_cycle['median ms']:.0f} / {first_cycle['median ms']:.0f} ms = "
        f"{last_cycle['median ms'] / first_cycle['median ms']:.2f}x, server CPU per turn "
        f"{total(last_cycle):.1f} / {total(first_cycle):.1f} ms = {total(last_cycle) / total(first_cycle):.2f}x",
        "",
        machine_line(),
    ])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=11, help="cycles per conversation (default 11: 320 turns)")
    parser.add_argument("--repeats", type=int, default=3, help="conversations, one after another (default 3; 0: warm-up only)")
    parser.add_argument("--label", default="embedded profile", help="what was measured, for the table's title")
    parser.add_argument("--transcript", action="store_true", help="print the warm-up conversation's replies")
    args = parser.parse_args(argv)
    cycle = RETURNING_SEEKER_CYCLE
    turns = 1 + len(cycle.messages) * args.cycles
    if args.repeats and turns < max(LATE_TURN, WINDOWS[-1][1]):
        parser.error(f"{args.cycles} cycles make {turns} turns; at least {LATE_TURN} are needed")
    _stop_on_sigterm()
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    system = RunningSystem()
    logs: list[TurnLog] = []
    with tempfile.TemporaryDirectory(prefix="history-bench-") as work_dir, running_ours(Path(work_dir), system):
        print(f"ready in {system.ready_seconds:.1f} s at {system.rasa_url}", flush=True)
        # Not counted: the first turns of a fresh server pay for lazy imports and caches.
        drive_conversation(system, cycle, 1, echo=args.transcript)
        for repeat in range(1, args.repeats + 1):
            log = drive_conversation(system, cycle, args.cycles)
            logs.append(log)
            print(
                f"  conversation {repeat}: {len(log.seconds)} turns, turn {EARLY_TURN} {log.seconds[EARLY_TURN - 1] * 1000:.0f} ms, "
                f"turn {LATE_TURN} {log.seconds[LATE_TURN - 1] * 1000:.0f} ms, {len(log.failures)} cycles off script",
                flush=True,
            )
            for failure in log.failures[:5]:
                print(f"    {failure}", flush=True)
    if not logs:
        return 0  # --repeats 0: only the warm-up conversation (with --transcript, to check the script)
    text = report(logs, len(cycle.messages), args.label)
    print("\n" + text)
    (OUT_DIR / "turn_cost_by_history.md").write_text(text + "\n")
    print(f"\n(wrote {OUT_DIR / 'turn_cost_by_history.md'}; whole run {time.perf_counter() - started:.0f} s)")
    return 1 if any(log.failures for log in logs) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted; servers stopped.", file=sys.stderr)
        sys.exit(130)
