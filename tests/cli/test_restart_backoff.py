"""The growing delay `python -m bot.cli serve` applies itself before a start that follows the last
one closely (a crash loop under systemd 252, which has no growing delay of its own)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli.restart_backoff import StartRecord, next_start, read_record, wait_before_start
from bot.cli.supervisor import RestartPolicy

ROOT = Path(__file__).resolve().parents[2]
POLICY = RestartPolicy()


def test_a_crash_loop_waits_1_s_doubling_to_60_s_and_a_stable_run_resets_it():
    now, previous, waits = 1000.0, None, []
    for _ in range(9):
        wait, previous = next_start(previous, now, POLICY)
        waits.append(wait)
        now = previous.started_at + 0.5 + 1.0  # dies half a second in; systemd's RestartSec=1s
    assert waits == [0, 1, 2, 4, 8, 16, 32, 60, 60]
    # Up for two minutes, then a crash: no crash loop, started at once.
    wait, record = next_start(previous, previous.started_at + POLICY.stable_seconds + 1, POLICY)
    assert (wait, record.failures_in_a_row) == (0, 0)


@pytest.mark.parametrize(
    "previous, now, wait",
    [
        (None, 50.0, 0.0),  # the first start
        (StartRecord(3, 100.0), 99.0, 0.0),  # the clock went back: no wait rather than a long one
        (StartRecord(0, 100.0), 100.0 + POLICY.stable_seconds, 0.0),
        (StartRecord(0, 100.0), 101.0, 1.0),
    ],
)
def test_edges(previous, now, wait):
    assert next_start(previous, now, POLICY)[0] == wait


def test_the_record_survives_in_its_file_and_a_damaged_one_means_no_wait(tmp_path):
    state = tmp_path / "restarts" / "rasa-server.json"
    assert wait_before_start(state, 10.0) == 0
    assert wait_before_start(state, 11.0) == 1
    assert read_record(state) == StartRecord(1, 12.0)
    state.write_text("{not json")
    assert wait_before_start(state, 13.0) == 0


def _execs_after(command: list[str], env: dict[str, str]) -> tuple[float, subprocess.Popen]:
    """Starts `serve`; returns the seconds until it became the ingest process (exec), and it."""
    started = time.monotonic()
    served = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = started + 60
    while True:
        try:
            if b"bot.channels.ingest" in (Path("/proc") / str(served.pid) / "cmdline").read_bytes():
                return time.monotonic() - started, served
        except FileNotFoundError:
            pass
        assert served.poll() is None, "serve exited"
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_serve_killed_again_and_again_waits_longer_each_time(tmp_path):
    """What systemd 252 does with Restart=on-failure: start the unit again at once after a
    kill -9. The real `serve` command, the real state file."""
    from bot.cli.harness import free_port

    env = {
        **os.environ,
        "INTAKE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'intake.db'}",
        "WEBHOOK_PORT": str(free_port()),
        "DIALOGUE_WAKE_PORT": str(free_port(socket.SOCK_DGRAM)),
    }
    command = [sys.executable, "-m", "bot.cli", "serve", "webhook-ingest"]
    delays = []
    for _ in range(3):
        delay, served = _execs_after(command, env)
        delays.append(delay)
        served.send_signal(signal.SIGKILL)
        served.wait(timeout=30)
    first, second, third = delays
    assert second >= first + 0.9 and third >= first + 1.9, delays
    assert read_record(tmp_path / "restarts" / "webhook-ingest.json").failures_in_a_row == 2


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_every_unit_with_no_unknown_setting(tmp_path):
    """`systemd-analyze verify` of each unit (templates as instance 1) on this machine's systemd
    (252 on Debian 12): a key it does not know (RestartSteps...) would be ignored there."""
    units = []
    for path in (ROOT / "deploy" / "systemd").iterdir():
        name = path.name.replace("@.", "@1.")
        (tmp_path / name).write_text(path.read_text())
        units.append(str(tmp_path / name))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *units], capture_output=True, text=True, cwd=tmp_path)
    complaints = [
        line for line in (result.stdout + result.stderr).splitlines()
        # The checkout is not installed in /opt/intake here; everything else must be clean.
        if line.strip() and "/opt/intake" not in line and "intake.env" not in line
    ]
    assert complaints == []
