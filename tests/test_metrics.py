"""The Prometheus text exposition written by bot/metrics.py, checked line by line."""
from __future__ import annotations

import pytest

from bot.metrics import Counter, Gauge, Histogram, Registry


def _render(*metrics) -> list[str]:
    registry = Registry()
    for metric in metrics:
        registry.add(metric)
    return registry.render().splitlines()


def test_a_counter_by_label_with_its_help_and_type():
    failures = Counter("intake_send_failures_total", "Sends that failed.", ["channel", "code"])
    failures.inc(channel="twilio", code="21610")
    failures.inc(2, channel="twilio", code="21610")
    failures.inc(channel="telegram", code='say "no"\\')
    assert _render(failures)[:4] == [
        "# HELP intake_send_failures_total Sends that failed.",
        "# TYPE intake_send_failures_total counter",
        'intake_send_failures_total{channel="telegram",code="say \\"no\\"\\\\"} 1',
        'intake_send_failures_total{channel="twilio",code="21610"} 3',
    ]


@pytest.mark.parametrize("labels", [{}, {"channel": "twilio"}, {"channel": "twilio", "code": "1", "extra": "x"}])
def test_a_counter_refuses_other_labels_than_its_own(labels):
    with pytest.raises(ValueError):
        Counter("c", "c", ["channel", "code"]).inc(**labels)


def test_a_histogram_counts_each_observation_in_every_bucket_it_fits():
    turns = Histogram("intake_turn_seconds", "Turn time.", [0.1, 0.5, 1.0])
    for seconds in (0.05, 0.1, 0.3, 2.0):
        turns.observe(seconds)
    assert _render(turns)[2:8] == [
        'intake_turn_seconds_bucket{le="0.1"} 2',
        'intake_turn_seconds_bucket{le="0.5"} 3',
        'intake_turn_seconds_bucket{le="1"} 3',
        'intake_turn_seconds_bucket{le="+Inf"} 4',
        "intake_turn_seconds_sum 2.45",
        "intake_turn_seconds_count 4",
    ]


def test_gauges_are_read_at_scrape_and_one_that_fails_is_left_out_and_counted():
    depth = {"queued": 3}

    def broken() -> float:
        raise ConnectionError("database away")

    lines = _render(
        Gauge("intake_outbound_queue_depth", "Queue.", lambda: {(k,): v for k, v in depth.items()}, ["status"]),
        Gauge("intake_inbound_backlog", "Backlog.", broken),
    )
    assert 'intake_outbound_queue_depth{status="queued"} 3' in lines
    assert not any(line.startswith("intake_inbound_backlog") or "Backlog." in line for line in lines)
    assert lines[-1] == "intake_metrics_read_errors 1"
