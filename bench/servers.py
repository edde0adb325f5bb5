"""Starts the two systems under test and says how long each took to be ready and which processes
to weigh.

OURS is started exactly like the tests start it (bot.cli.harness.running_assistant); STOCK is a
`rasa init` moodbot, trained once and cached under bench/out/stock/ (git-ignored).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from bot.cli import harness
from bot.cli.harness import free_port
from bot.cli.supervisor import Supervisor, answers_ok

READY_TIMEOUT_SECONDS = 300
RASA = Path(sys.executable).with_name("rasa")


@dataclass
class RunningSystem:
    """Filled in while the system starts: the memory sampler calls `root_pids` from the first
    moment on, so the peak while models load counts too."""

    rasa_url: str = ""
    api_token: str = ""  # ours: the Rasa server's API token
    ready_seconds: float = float("nan")
    roots: Callable[[], dict[str, int]] = dict  # process name -> pid of each server started

    def root_pids(self) -> list[int]:
        return list(self.roots().values())


class _TimedSupervisor(Supervisor):
    """The project's supervisor, plus how long start() takes; the newest one is kept so the
    benchmark can find the pids of the processes it spawned."""

    newest: "_TimedSupervisor | None" = None

    def start(self) -> None:
        _TimedSupervisor.newest = self
        started = time.perf_counter()
        super().start()
        self.ready_seconds = time.perf_counter() - started

    def pids(self) -> dict[str, int]:
        return {managed.name: managed.process.pid for managed in self.processes if managed.process}


def _newest_supervisor_pids() -> dict[str, int]:
    return _TimedSupervisor.newest.pids() if _TimedSupervisor.newest else {}


@contextmanager
def running_ours(work_dir: Path, system: RunningSystem) -> Iterator[RunningSystem]:
    """Starts the assistant like the tests do; ready time = Supervisor.start() from call to return."""
    system.roots = _newest_supervisor_pids
    original = harness.Supervisor
    harness.Supervisor = _TimedSupervisor  # running_assistant looks the name up when it runs
    try:
        with harness.running_assistant(work_dir) as assistant:
            system.rasa_url = assistant.rasa_url
            system.api_token = assistant.rasa_api_token
            system.ready_seconds = _TimedSupervisor.newest.ready_seconds
            yield system
    finally:
        harness.Supervisor = original
        _TimedSupervisor.newest = None


def stock_model(project: Path) -> Path | None:
    models = sorted((project / "models").glob("*.tar.gz"))
    return models[-1] if models else None


def prepare_stock_project(project: Path) -> Path:
    """`rasa init` trains the moodbot with Rasa's default pipeline (DIET + TED); minutes on 2 cores,
    so the trained project is kept and reused."""
    model = stock_model(project)
    if model:
        print(f"Reusing the stock moodbot model {model}", flush=True)
        return model
    project.mkdir(parents=True, exist_ok=True)
    print(f"Training stock `rasa init` into {project} (takes a few minutes)...", flush=True)
    started = time.perf_counter()
    with open(project.parent / "stock_init.log", "wb") as log:
        subprocess.run(
            [str(RASA), "init", "--no-prompt", "--init-dir", str(project)],
            cwd=project, stdout=log, stderr=subprocess.STDOUT, check=True,
        )
    print(f"  trained in {time.perf_counter() - started:.0f} s", flush=True)
    model = stock_model(project)
    if not model:
        raise RuntimeError(f"`rasa init` left no model under {project / 'models'}")
    return model


@contextmanager
def running_stock(project: Path, model: Path, system: RunningSystem) -> Iterator[RunningSystem]:
    port = free_port()
    system.rasa_url = f"http://127.0.0.1:{port}"
    with open(project.parent / "stock_server.log", "ab") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(RASA), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port), "--model", str(model)],
            cwd=project, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        system.roots = lambda: {"Rasa server": process.pid}
        try:
            deadline = started + READY_TIMEOUT_SECONDS
            while not answers_ok(f"{system.rasa_url}/status"):
                if process.poll() is not None:
                    raise RuntimeError(f"The stock Rasa server exited with status {process.returncode}")
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"The stock Rasa server was not ready within {READY_TIMEOUT_SECONDS} s")
                time.sleep(0.3)  # the same poll interval as bot.cli.supervisor, for a fair ready time
            system.ready_seconds = time.perf_counter() - started
            yield system
        finally:
            _stop_group(process)


def _stop_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
