"""bench/webhook_matrix.py works end to end: `--quick` starts each cell of the matrix for real
(embedded, production with one instance, production with two behind nginx), drives whole intakes
over the signed Twilio webhook, and prints every table with no failed conversation. Its numbers are
not checked (a smoke run on a shared machine measures nothing); its arithmetic is, below."""
from __future__ import annotations

import math
import subprocess
import sys

import pytest

from bench.webhook_matrix import (
    CELLS,
    OURS_OVER_REST,
    STOCK_SYSTEM,
    LoadRow,
    MemoryRow,
    cpu_ms_by_kind,
    load_table,
    memory_table,
    process_kind,
    verdict_lines,
)
from bot.cli.settings import REPO_ROOT
from tests.conversation.test_production_profile import require_redis
from tests.postgres import postgres_admin_engine
from tests.production.test_two_instances import require_nginx


def test_the_instances_of_one_kind_of_process_are_added_up_per_turn():
    seconds = {"Rasa server 1": 0.3, "Rasa server 2": 0.1, "action server 1": 0.05, "nginx": 0.01}
    by_kind = cpu_ms_by_kind(seconds, turns=20)
    assert process_kind("webhook ingest 12") == "webhook ingest"
    assert process_kind("staff console") == "staff console"
    assert by_kind == pytest.approx({"Rasa server": 20.0, "action server": 2.5, "nginx": 0.5})


def test_a_row_shows_total_and_per_kind_cpu_and_failures_out_of_conversations():
    row = LoadRow(
        "ours", CELLS["production-2"].label, 20, 20, 260, 25.04, 400.4, 900.0, 1200.0,
        {"Rasa server": 12.0, "action server": 5.5}, {"PostgreSQL": 3.0}, 1, math.nan, 0.456,
    )
    line = load_table([row]).splitlines()[-1]
    assert line == (
        "| ours | production, PostgreSQL + Redis, 2 instances, behind nginx | 20 | 20 | 260 | 25.0 | 400 / 900 / 1200 "
        "| 17.5 (Rasa server 12.0, action server 5.5) | PostgreSQL 3.0 | 1 of 20 | - / 0.46 |"
    )
    stock = LoadRow(STOCK_SYSTEM, "in memory", 20, 20, 100, 10.0, 1, 2, 3, {"Rasa server": 20.0}, {}, 0, math.nan, 0.1)
    over_rest = LoadRow(OURS_OVER_REST, "embedded", 20, 20, 260, 25.0, 1, 2, 3, {"Rasa server": 9.0}, {}, 0, math.nan, 0.1)
    assert verdict_lines([row, over_rest, stock]) == [
        f"- Server CPU per intake turn, {CELLS['production-2'].label}, 20 at once: 17.5 ms (target <= 15 ms: MISSED)",
        "- Turns/s over REST at 20 at once, ours (13-turn intakes) vs stock (5-turn moodbot): 2.50x",
    ]
    memory = memory_table([MemoryRow("ours", "embedded", {"Rasa server": 600.4, "webhook ingest": 90.0})])
    assert memory.splitlines()[-1] == "| ours | embedded | Rasa server: 600, webhook ingest: 90 | 690 |"


@pytest.mark.postgres
def test_the_quick_matrix_runs_every_cell_with_no_failed_conversation():
    postgres_admin_engine().dispose()  # skips (fails under CI) when PostgreSQL is not there
    require_redis()
    require_nginx()
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "webhook_matrix.py"), "--quick"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ours |")]
    load_rows = [row for row in rows if " of " in row]
    # embedded and production with one instance at 1 and 2 at once; two instances at 2 at once
    assert [row.split(" | ")[1:3] for row in load_rows] == [
        [CELLS["embedded"].label, "1"], [CELLS["embedded"].label, "2"],
        [CELLS["production"].label, "1"], [CELLS["production"].label, "2"],
        [CELLS["production-2"].label, "2"],
    ]
    assert all(row.split(" | ")[9] in ("0 of 1", "0 of 2") for row in load_rows), load_rows
    rest_rows = [line for line in result.stdout.splitlines() if line.startswith(f"| {OURS_OVER_REST} |")]
    assert [row.split(" | ")[9] for row in rest_rows] == ["0 of 1", "0 of 2"], rest_rows
    assert "Rasa server 2: " in result.stdout  # the second instance's memory is weighed
    assert "| ours | `python -m bot.cli prepare` |" in result.stdout
