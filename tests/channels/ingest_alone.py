"""The webhook ingest process on its own (no Rasa server), with settings a test chooses: for
limits and checks that only the ingest applies. Stored messages stay `received` (nothing
processes them), or are `throttled`."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from bot.channels.settings import WAKE_PORT_SETTING
from bot.cli.harness import free_port
from bot.cli.settings import REPO_ROOT
from bot.cli.supervisor import answers_ok
from bot.store import MessageLog, make_engine, migrate
from tests.channels.settings import TEST_CHANNEL_ENV


@dataclass
class IngestAlone:
    url: str
    messages: MessageLog
    log_path: Path


@contextmanager
def running_ingest(work_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[IngestAlone]:
    database_url = f"sqlite:///{work_dir / 'intake.db'}"
    migrate(database_url)
    port = free_port()
    env = {
        **os.environ,
        **TEST_CHANNEL_ENV,
        "DATABASE_URL": database_url,
        "INTAKE_VAR_DIR": str(work_dir),
        WAKE_PORT_SETTING: str(free_port(socket.SOCK_DGRAM)),
        **(extra_env or {}),
    }
    log_path = work_dir / "ingest.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.channels.ingest", "--port", str(port), "--credentials", str(REPO_ROOT / "credentials.yml")],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not answers_ok(f"{url}/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the ingest process did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        engine = make_engine(database_url)
        yield IngestAlone(url, MessageLog(engine), log_path)
        engine.dispose()
    finally:
        process.terminate()
        process.wait(timeout=30)
