"""Turn latencies in, throughput and percentiles out. Pure: no HTTP, no Rasa."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `fraction` of values at or
    below it. Chosen over interpolation so p99 is always a latency that really happened."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class PhaseResult:
    """One load phase: every turn's latency (seconds) and the wall time the phase took."""

    concurrency: int
    conversations: int
    turn_latencies: tuple[float, ...]
    wall_seconds: float
    failures: tuple[str, ...]

    @property
    def turns(self) -> int:
        return len(self.turn_latencies)

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.wall_seconds if self.wall_seconds > 0 else math.nan

    def percentile_ms(self, fraction: float) -> float:
        return percentile(self.turn_latencies, fraction) * 1000
