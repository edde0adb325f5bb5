"""Backoff for processes systemd restarts, done by `python -m bot.cli serve` itself.

systemd's own growing delay (RestartSteps, RestartMaxDelaySec) needs systemd 254; Debian 12's
systemd 252 ignores it and restarts a crashing process every RestartSec, for ever. So each start
of a served process is recorded in a small state file (var/restarts/NAME.json), and a start that
comes soon after the previous one (a crash loop) first sleeps: the same RestartPolicy the
supervisor of `make run` uses, 1 s doubling to 60 s, back to no wait once a process stayed up
2 minutes. A deliberate `systemctl restart` within 2 minutes of a start waits 1 s, which is the
price of not needing systemd to say why the last run ended.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.cli.supervisor import RestartPolicy

STATE_DIR_NAME = "restarts"


@dataclass(frozen=True)
class StartRecord:
    failures_in_a_row: int
    started_at: float  # time.time() the process was (or will be, after its wait) started


def read_record(path: Path) -> StartRecord | None:
    try:
        data = json.loads(path.read_text())
        return StartRecord(int(data["failures_in_a_row"]), float(data["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # first start, or a file we cannot trust: no wait


def _write_record(path: Path, record: StartRecord) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(descriptor, "w") as handle:
        json.dump({"failures_in_a_row": record.failures_in_a_row, "started_at": record.started_at}, handle)
    os.replace(temporary, path)  # a crash mid-write leaves the old record, never half a file


def next_start(previous: StartRecord | None, now: float, policy: RestartPolicy) -> tuple[float, StartRecord]:
    """(seconds to wait before starting, the record of this start)."""
    if previous is None or now < previous.started_at:
        return 0.0, StartRecord(0, now)
    if now - previous.started_at >= policy.stable_seconds:
        return 0.0, StartRecord(0, now)  # it had run long enough: this is no crash loop
    failures = previous.failures_in_a_row + 1
    wait = policy.delay(failures)
    return wait, StartRecord(failures, now + wait)

def wait_before_start(path: Path, now: float, policy: RestartPolicy = RestartPolicy()) -> float:
    """Records this start in `path` and returns how long to sleep before it."""
    wait, record = next_start(read_record(path), now, policy)
    _write_record(path, record)
    return wait
