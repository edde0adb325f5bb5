"""Prometheus metrics in the text exposition format (version 0.0.4), written here rather than
adding prometheus_client for a handful of series. Pure: stdlib only.

Counters and histograms live in the process that counts (one registry per process, REGISTRY);
gauges read the database when scraped (`Gauge` with a function), so they agree across instances.
Label values never carry personal data: channels, outcomes, error codes.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence

LabelValues = tuple[str, ...]
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Turn times: a turn is 30-200 ms on a quiet machine; the tail is the action server or database.
TURN_SECONDS_BUCKETS = (0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0, 30.0)


class Counter:
    def __init__(self, name: str, help_text: str, labels: Sequence[str] = ()) -> None:
        self.name, self.help_text, self.labels = name, help_text, tuple(labels)
        self._values: dict[LabelValues, float] = {}
        self._lock = threading.Lock()

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        key = _label_key(self.labels, labels)
        with self._lock:
            self._values[key] = self._values.get(key, 0.0) + amount

    def value(self, **labels: str) -> float:
        return self._values.get(_label_key(self.labels, labels), 0.0)

    def render(self) -> Iterable[str]:
        yield from _header(self.name, self.help_text, "counter")
        with self._lock:
            items = sorted(self._values.items())
        for key, value in items:
            yield f"{self.name}{_labels(self.labels, key)} {_number(value)}"


class Histogram:
    def __init__(self, name: str, help_text: str, buckets: Sequence[float]) -> None:
        self.name, self.help_text = name, help_text
        self.buckets = tuple(sorted(buckets))
        self._counts = [0] * len(self.buckets)
        self._sum = 0.0
        self._count = 0
        self._lock = threading.Lock()

    def observe(self, value: float) -> None:
        with self._lock:
            self._sum += value
            self._count += 1
            for index, bound in enumerate(self.buckets):
                if value <= bound:
                    self._counts[index] += 1

    @property
    def count(self) -> int:
        return self._count

    def render(self) -> Iterable[str]:
        yield from _header(self.name, self.help_text, "histogram")
        with self._lock:
            counts, total, count = list(self._counts), self._sum, self._count
        for bound, cumulative in zip(self.buckets, counts):
            yield f'{self.name}_bucket{{le="{_number(bound)}"}} {cumulative}'
        yield f'{self.name}_bucket{{le="+Inf"}} {count}'
        yield f"{self.name}_sum {_number(total)}"
        yield f"{self.name}_count {count}"


class Gauge:
    """A value read when scraped: `read()` returns a number, or {label values: number}."""

    def __init__(
        self,
        name: str,
        help_text: str,
        read: Callable[[], float | Mapping[LabelValues, float]],
        labels: Sequence[str] = (),
    ) -> None:
        self.name, self.help_text, self.labels, self._read = name, help_text, tuple(labels), read

    def render(self) -> Iterable[str]:
        values = self._read()
        yield from _header(self.name, self.help_text, "gauge")
        if isinstance(values, Mapping):
            for key, value in sorted(values.items()):
                yield f"{self.name}{_labels(self.labels, key)} {_number(value)}"
        else:
            yield f"{self.name} {_number(values)}"


class Registry:
    def __init__(self) -> None:
        self._metrics: dict[str, Counter | Histogram | Gauge] = {}
        self._lock = threading.Lock()

    def add(self, metric: Counter | Histogram | Gauge) -> None:
        """Adds a metric, replacing one of the same name (a gauge re-wired after a restart of
        the channel runtime)."""
        with self._lock:
            self._metrics[metric.name] = metric

    def render(self) -> str:
        """The whole exposition. A gauge whose read fails (the database away) is left out, and
        `intake_metrics_read_errors` says how many were."""
        lines: list[str] = []
        failed = 0
        with self._lock:
            metrics = list(self._metrics.values())
        for metric in metrics:
            try:
                lines.extend(metric.render())
            except Exception:
                failed += 1
        lines.extend(_header("intake_metrics_read_errors", "Gauges that could not be read at this scrape.", "gauge"))
        lines.append(f"intake_metrics_read_errors {failed}")
        return "\n".join(lines) + "\n"


REGISTRY = Registry()

TURNS = Counter(
    "intake_turns_total",
    "Inbound messages taken through a turn, by outcome (processed, run_again_later, failed).",
    ["outcome"],
)
TURN_SECONDS = Histogram("intake_turn_seconds", "Time to process one inbound message, dialogue turn included.", TURN_SECONDS_BUCKETS)
SEND_FAILURES = Counter(
    "intake_send_failures_total", "Outbound sends the provider refused or that failed, by channel and error code.",
    ["channel", "code"],
)
UNCERTAIN_SENDS = Counter(
    "intake_uncertain_sends_total",
    "Sends that may or may not have reached the provider (a timeout, a sender gone mid-send).",
    ["channel"],
)
WEBHOOKS = Counter(
    "intake_webhook_messages_total",
    "Inbound messages a webhook handled, by channel and outcome (stored, duplicate, throttled, ignored, unavailable, recovered: found in the provider's message list).",
    ["channel", "outcome"],
)
ACTIONS = Counter(
    "intake_actions_total",
    "Custom action calls the action server answered, by action and outcome (ok, rejected, failed, unknown).",
    ["action", "outcome"],
)
ACTION_SECONDS = Histogram("intake_action_seconds", "Time the action server took to answer one action call.", TURN_SECONDS_BUCKETS)
CONSOLE_REQUESTS = Counter(
    "intake_console_requests_total", "Requests the staff console answered, by status class (2xx, 3xx, 4xx, 5xx).", ["status"]
)
CONSOLE_REQUEST_SECONDS = Histogram(
    "intake_console_request_seconds", "Time the staff console took to answer one request.", TURN_SECONDS_BUCKETS
)
for _metric in (TURNS, TURN_SECONDS, SEND_FAILURES, UNCERTAIN_SENDS, WEBHOOKS):
    REGISTRY.add(_metric)


def register_action_server_metrics() -> None:
    """The action server's own: its calls by action and outcome, and their time."""
    for metric in (ACTIONS, ACTION_SECONDS):
        REGISTRY.add(metric)


def register_console_metrics() -> None:
    """The staff console's own: its requests by status class, and their time."""
    for metric in (CONSOLE_REQUESTS, CONSOLE_REQUEST_SECONDS):
        REGISTRY.add(metric)


def _label_key(names: Sequence[str], given: Mapping[str, str]) -> LabelValues:
    if set(given) != set(names):
        raise ValueError(f"labels must be exactly {list(names)}")
    return tuple(str(given[name]) for name in names)


def _labels(names: Sequence[str], values: LabelValues) -> str:
    if not names:
        return ""
    pairs = ",".join(f'{name}="{_escaped(value)}"' for name, value in zip(names, values))
    return "{" + pairs + "}"


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _header(name: str, help_text: str, kind: str) -> Iterable[str]:
    yield f"# HELP {name} {help_text}"
    yield f"# TYPE {name} {kind}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))
