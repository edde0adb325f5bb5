"""Resident memory and CPU time of process trees, read from /proc (psutil is not installed on purpose).

A background sampler keeps the peak of the summed RSS, so a short spike during model loading or
under load counts, not just the size at the end.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Iterable

PROC = Path("/proc")


def _parent_of(pid: int) -> int | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may itself contain spaces or ')': split after the last ')'.
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[1])


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0  # gone, or a kernel thread without memory fields


def _rss_kib(pid: int) -> int:
    return _status_kib(pid, "VmRSS")


def process_tree(root_pids: Iterable[int]) -> set[int]:
    """The roots and all their descendants that are alive right now."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            parent = _parent_of(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    tree: set[int] = set()
    pending = [pid for pid in root_pids if (PROC / str(pid)).exists()]
    while pending:
        pid = pending.pop()
        if pid not in tree:
            tree.add(pid)
            pending.extend(children.get(pid, []))
    return tree


def _cpu_seconds(pid: int) -> float:
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the command name).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root_pid: int) -> float:
    """CPU time (user + system) the tree under `root_pid` has used so far; a difference of two
    readings says how much CPU a load phase cost each server."""
    return sum(_cpu_seconds(pid) for pid in process_tree([root_pid]))


def tree_rss_mib(root_pids: Iterable[int]) -> float:
    return sum(_rss_kib(pid) for pid in process_tree(root_pids)) / 1024


def tree_peak_rss_mib(root_pid: int) -> float:
    """The kernel's high-water mark of resident memory (VmHWM) of each live process of the tree
    under `root_pid`, summed: the peak of each since it started, with no sampling to miss one
    (nginx's master and its worker count together)."""
    return sum(_status_kib(pid, "VmHWM") for pid in process_tree([root_pid])) / 1024


def own_peak_rss_mib() -> float:
    """This process's high-water mark (VmHWM), for in-process measurements."""
    for line in (PROC / str(os.getpid()) / "status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class PeakMemorySampler:
    """Samples the summed RSS of the trees under `root_pids()` every `interval` seconds.

    `root_pids` is a callable because the servers may not exist yet when sampling starts.
    """

    def __init__(self, root_pids: Callable[[], list[int]], interval: float = 0.2) -> None:
        self._root_pids = root_pids
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)
        self.peak_mib = 0.0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self._interval)

    def sample(self) -> float:
        current = tree_rss_mib(self._root_pids())
        self.peak_mib = max(self.peak_mib, current)
        return current

    def __enter__(self) -> "PeakMemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
