"""`python -m bot.cli run` (what `make run` calls): starts every process, refuses a second copy,
starts again a process that was killed while the others keep serving,
and stops everything on Ctrl-C."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bot.cli.harness import free_port
from bot.cli.supervisor import answers_ok

ROOT = Path(__file__).resolve().parents[2]


def run_environment(tmp_path: Path) -> tuple[dict[str, str], int, int, int]:
    """`make run`'s environment with its own state folder, database and free ports."""
    rasa_port, actions_port, webhook_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "INTAKE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'intake.db'}",
        "RASA_PORT": str(rasa_port),
        "ACTIONS_PORT": str(actions_port),
        "STAFF_CONSOLE_PORT": str(free_port()),
        "WEBHOOK_PORT": str(webhook_port),
        "DIALOGUE_WAKE_PORT": str(free_port(socket.SOCK_DGRAM)),
    }
    return env, rasa_port, actions_port, webhook_port


def test_run_starts_everything_refuses_a_second_copy_and_stops_on_ctrl_c(tmp_path):
    env, rasa_port, actions_port, webhook_port = run_environment(tmp_path)
    command = [sys.executable, "-m", "bot.cli", "run"]
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = first.stdout.readline()
            if not line:
                break
            output.append(line)
            if line.startswith("Ready."):
                break
        printed = "".join(output)
        assert "Ready." in printed, printed
        assert re.search(rf"action server\s+listening on http://127\.0\.0\.1:{actions_port}\b", printed)
        assert re.search(rf"Rasa server\s+listening on http://127\.0\.0\.1:{rasa_port}\b", printed)
        assert re.search(rf"webhook ingest\s+listening on http://127\.0\.0\.1:{webhook_port}\b", printed)
        assert answers_ok(f"http://127.0.0.1:{rasa_port}/")
        assert answers_ok(f"http://127.0.0.1:{actions_port}/health")
        staff_port = env["STAFF_CONSOLE_PORT"]
        assert re.search(rf"staff console\s+listening on http://127\.0\.0\.1:{staff_port}\b", printed)
        assert answers_ok(f"http://127.0.0.1:{staff_port}/healthz")
        assert answers_ok(f"http://127.0.0.1:{webhook_port}/health")
        assert (tmp_path / "intake.db").exists()  # migrated before start

        second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert "already running" in second.stdout
        assert answers_ok(f"http://127.0.0.1:{rasa_port}/")  # the first one is untouched

        first.send_signal(signal.SIGINT)
        assert first.wait(timeout=60) == 0
        rest = first.stdout.read()
        assert "Stopped." in rest
        assert not answers_ok(f"http://127.0.0.1:{rasa_port}/")
        assert not answers_ok(f"http://127.0.0.1:{actions_port}/health")
        assert not answers_ok(f"http://127.0.0.1:{staff_port}/healthz")
        assert not answers_ok(f"http://127.0.0.1:{webhook_port}/health")
    finally:
        if first.poll() is None:
            first.kill()


def test_servers_stop_when_the_run_command_is_killed_outright(tmp_path):
    env, rasa_port, actions_port, webhook_port = run_environment(tmp_path)
    run = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not (run.stdout.readline() or "Ready.").startswith("Ready."):
            pass
        assert answers_ok(f"http://127.0.0.1:{rasa_port}/")
        run.kill()  # SIGKILL: no chance to clean up
        run.wait(timeout=30)
        deadline = time.monotonic() + 30
        urls = (
            f"http://127.0.0.1:{rasa_port}/",
            f"http://127.0.0.1:{actions_port}/health",
            f"http://127.0.0.1:{webhook_port}/health",
        )
        while time.monotonic() < deadline and any(answers_ok(url) for url in urls):
            time.sleep(0.5)
        assert not any(answers_ok(url) for url in urls)
    finally:
        if run.poll() is None:
            run.kill()


def _pid_of(module: str, port: int) -> int:
    """The process running `python -m module ... --port port` (a child of the run command)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if module.encode() in arguments and str(port).encode() in arguments:
            return int(entry.name)
    raise LookupError(f"no {module} on port {port}")


def test_a_process_killed_under_the_run_command_is_started_again_and_the_others_keep_serving(tmp_path):
    env, rasa_port, actions_port, webhook_port = run_environment(tmp_path)
    run = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not (run.stdout.readline() or "Ready.").startswith("Ready."):
            pass
        ingest = _pid_of("bot.channels.ingest", webhook_port)
        os.kill(ingest, signal.SIGKILL)
        line = ""
        while "stopped" not in line:
            line = run.stdout.readline()
            assert line, "the run command ended"
        assert re.match(r"The webhook ingest stopped \(status -9\); starting it again in 1 s", line), line
        assert run.poll() is None
        assert answers_ok(f"http://127.0.0.1:{rasa_port}/") and answers_ok(f"http://127.0.0.1:{actions_port}/health")
        deadline = time.monotonic() + 120
        while not answers_ok(f"http://127.0.0.1:{webhook_port}/health"):
            assert time.monotonic() < deadline, "the ingest process did not come back"
            time.sleep(0.3)
        assert _pid_of("bot.channels.ingest", webhook_port) != ingest
    finally:
        run.send_signal(signal.SIGINT)
        try:
            run.wait(timeout=60)
        except subprocess.TimeoutExpired:
            run.kill()
