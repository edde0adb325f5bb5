"""Turns per second, latency percentiles and peak memory of the intake assistant next to a stock
`rasa init` bot, both over Rasa's REST channel, serially and N conversations at once.

    .venv/bin/python bench/intake_throughput.py [--conversations 60] [--concurrency 20] [--skip-stock]

Prints a Markdown table and writes it to bench/out/intake_throughput.md.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ContextManager, Sequence

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # run as a script: make `bot` and `bench` importable

import yaml  # noqa: E402

from bench.conversation_scripts import INTAKE_SCRIPTS, STOCK_SCRIPTS, ConversationScript  # noqa: E402
from bench.latency import PhaseResult  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.process_memory import PeakMemorySampler, tree_cpu_seconds  # noqa: E402
from bench.rest_load import run_phase  # noqa: E402
from bench.servers import RunningSystem, prepare_stock_project, running_ours, running_stock  # noqa: E402

OUT_DIR = REPO_ROOT / "bench" / "out"
STOCK_PROJECT = OUT_DIR / "stock"
TARGET_THROUGHPUT_RATIO = 3.0
TARGET_MEMORY_SHARE = 0.70
STOCK_PIPELINE = "rasa init defaults: DIET + TED (+ Memoization, Rule, UnexpecTED)"


@dataclass(frozen=True)
class SystemResult:
    name: str
    pipeline: str
    ready_seconds: float
    serial: PhaseResult
    concurrent: PhaseResult
    peak_memory_mib: float
    concurrent_cpu_ms_per_turn: dict[str, float]  # server name -> CPU ms it spent per turn


def _run_measured_phase(
    system: RunningSystem, scripts: Sequence[ConversationScript], conversations: int, concurrency: int, tag: str,
) -> tuple[PhaseResult, dict[str, float]]:
    """One phase, plus how much CPU each server spent per turn: says which process limits throughput."""
    roots = system.roots()
    before = {name: tree_cpu_seconds(pid) for name, pid in roots.items()}
    phase = run_phase(system.rasa_url, scripts, conversations, concurrency, tag, system.api_token)
    cpu_ms = {
        name: (tree_cpu_seconds(pid) - before[name]) * 1000 / max(phase.turns, 1) for name, pid in roots.items()
    }
    return phase, cpu_ms


def _our_pipeline() -> str:
    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text())
    nlu = [step["name"].rsplit(".", 1)[-1] for step in config["pipeline"]]
    policies = [step["name"] for step in config["policies"]]
    return "lean: " + " + ".join(nlu) + "; " + " + ".join(policies)


def measure(
    name: str, pipeline: str, start: Callable[[RunningSystem], ContextManager[RunningSystem]],
    scripts: Sequence[ConversationScript], conversations: int, concurrency: int,
) -> SystemResult:
    system = RunningSystem()
    with PeakMemorySampler(lambda: system.root_pids()) as memory:
        with start(system):
            print(f"{name}: ready in {system.ready_seconds:.1f} s at {system.rasa_url}", flush=True)
            # One conversation per script first, not counted: the first turns pay for lazy imports
            # and caches, which are start-up costs, not per-turn costs.
            warm_up = run_phase(system.rasa_url, scripts, len(scripts), 1, f"{name}-warmup", system.api_token)
            _report_failures("warm-up", warm_up)
            serial, serial_cpu = _run_measured_phase(system, scripts, conversations, 1, f"{name}-serial")
            _print_phase(name, serial, serial_cpu)
            concurrent, concurrent_cpu = _run_measured_phase(
                system, scripts, conversations, concurrency, f"{name}-concurrent"
            )
            _print_phase(name, concurrent, concurrent_cpu)
            memory.sample()
    return SystemResult(name, pipeline, system.ready_seconds, serial, concurrent, memory.peak_mib, concurrent_cpu)


def _cpu_text(cpu_ms_per_turn: dict[str, float]) -> str:
    return ", ".join(f"{server} {ms:.1f} ms" for server, ms in cpu_ms_per_turn.items())


def _print_phase(name: str, phase: PhaseResult, cpu_ms_per_turn: dict[str, float]) -> None:
    print(
        f"  {name} {phase.conversations} conversations, {phase.concurrency} at once: {phase.turns} turns in "
        f"{phase.wall_seconds:.1f} s = {phase.turns_per_second:.1f} turns/s, "
        f"p50 {phase.percentile_ms(0.50):.0f} ms, p99 {phase.percentile_ms(0.99):.0f} ms; "
        f"CPU per turn: {_cpu_text(cpu_ms_per_turn)}",
        flush=True,
    )
    _report_failures(f"{phase.concurrency} at once", phase)


def _report_failures(label: str, phase: PhaseResult) -> None:
    if phase.failures:
        print(f"  {len(phase.failures)} FAILED conversations ({label}):", flush=True)
        for failure in phase.failures[:20]:
            print(f"    {failure}", flush=True)


def results_table(results: Sequence[SystemResult], concurrency: int, conversations: int) -> str:
    header = (
        f"| system | pipeline | ready (s) | serial turns/s | serial p50 / p99 ms | "
        f"{concurrency} at once turns/s | p50 / p95 / p99 ms | peak memory MB | failed conversations |"
    )
    lines = [header, "|" + "---|" * 9]
    for result in results:
        serial, loaded = result.serial, result.concurrent
        lines.append(
            f"| {result.name} | {result.pipeline} | {result.ready_seconds:.1f} | "
            f"{serial.turns_per_second:.1f} | {serial.percentile_ms(0.5):.0f} / {serial.percentile_ms(0.99):.0f} | "
            f"{loaded.turns_per_second:.1f} | {loaded.percentile_ms(0.5):.0f} / {loaded.percentile_ms(0.95):.0f} / "
            f"{loaded.percentile_ms(0.99):.0f} | {result.peak_memory_mib:.0f} | "
            f"{len(serial.failures) + len(loaded.failures)} of {2 * conversations} |"
        )
    return "\n".join(lines)


def verdict_lines(ours: SystemResult, stock: SystemResult, concurrency: int) -> list[str]:
    ratio = ours.concurrent.turns_per_second / stock.concurrent.turns_per_second
    share = ours.peak_memory_mib / stock.peak_memory_mib
    return [
        f"- Turns/s at {concurrency} at once, {ours.name} vs stock: {ratio:.2f}x "
        f"(target >= {TARGET_THROUGHPUT_RATIO:.0f}x: {'met' if ratio >= TARGET_THROUGHPUT_RATIO else 'MISSED'})",
        f"- Peak memory, {ours.name} as a share of stock: {share:.0%} "
        f"(target <= {TARGET_MEMORY_SHARE:.0%}: {'met' if share <= TARGET_MEMORY_SHARE else 'MISSED'})",
    ]


def _stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so every `finally` that stops a server runs."""
    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=60, help="conversations per phase (default 60)")
    parser.add_argument("--concurrency", type=int, default=20, help="conversations at once in the loaded phase")
    parser.add_argument("--skip-stock", action="store_true", help="measure only the intake assistant")
    args = parser.parse_args(argv)
    _stop_on_sigterm()
    # Both systems alike: no usage reporting to Rasa over the network during a measurement.
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    results: list[SystemResult] = []
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as work_dir:
        results.append(measure(
            "ours", _our_pipeline(), lambda system: running_ours(Path(work_dir), system),
            INTAKE_SCRIPTS, args.conversations, args.concurrency,
        ))
    if not args.skip_stock:
        model = prepare_stock_project(STOCK_PROJECT)
        results.append(measure(
            "stock rasa init", STOCK_PIPELINE, lambda system: running_stock(STOCK_PROJECT, model, system),
            STOCK_SCRIPTS, args.conversations, args.concurrency,
        ))

    report = [
        f"Intake throughput: {args.conversations} conversations per phase (ours: full intakes, alternating "
        f"English/Spanish, 13 turns each; stock: moodbot, {len(STOCK_SCRIPTS[0].messages)} turns each), "
        f"serially and {args.concurrency} at once, over POST /webhooks/rest/webhook on 127.0.0.1.",
        "",
        results_table(results, args.concurrency, args.conversations),
        "",
    ]
    report += [
        f"- Server CPU per turn at {args.concurrency} at once, {result.name}: {_cpu_text(result.concurrent_cpu_ms_per_turn)}"
        for result in results
    ]
    if not args.skip_stock:
        for ours in results[:-1]:
            report += verdict_lines(ours, results[-1], args.concurrency)
    report.append("")
    report.append(machine_line())
    text = "\n".join(report)
    print("\n" + text)
    (OUT_DIR / "intake_throughput.md").write_text(text + "\n")
    print(f"\n(wrote {OUT_DIR / 'intake_throughput.md'}; whole run {time.perf_counter() - started:.0f} s)")
    failed = sum(len(r.serial.failures) + len(r.concurrent.failures) for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted; servers stopped.", file=sys.stderr)
        sys.exit(130)
