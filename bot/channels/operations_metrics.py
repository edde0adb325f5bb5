"""The gauges an operator alerts on, read from the database at each scrape (bot/metrics.py):
inbound backlog, outbound queue depth by status (uncertain ones of the last day included), texts
sent but not yet recorded, handoffs waiting and handoffs past their SLA unanswered. Registered by
the channel runtime of the Rasa server, which serves them on /metrics."""
from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from bot.handoff.business_hours import calendar_from_env
from bot.handoff.sla import DEFAULT_TARGET, SLA_BREACHED, SlaClock
from bot.metrics import REGISTRY, Gauge
from bot.store.operations import OperationsQueries
from bot.store.vocabulary import HANDOFF_WAITING

# The same setting the staff console reads (bot/staff/settings.py).
SLA_MINUTES_SETTING = "HANDOFF_SLA_MINUTES"
UNCERTAIN_WINDOW = timedelta(days=1)


def sla_from_env() -> SlaClock:
    minutes = os.environ.get(SLA_MINUTES_SETTING)
    target = timedelta(minutes=int(minutes)) if minutes and minutes.strip().isdigit() and int(minutes) > 0 else DEFAULT_TARGET
    return SlaClock(calendar_from_env(), target)


def register_gauges(engine: Engine, clock: Callable[[], datetime], unrecorded_sends: Callable[[], int]) -> None:
    queries = OperationsQueries(engine, clock=clock)
    sla = sla_from_env()

    def queue_depth() -> dict[tuple[str, ...], float]:
        counts = queries.outbound_by_status(clock() - UNCERTAIN_WINDOW)
        return {(status,): count for status, count in counts.items()}

    def breached() -> int:
        now = clock()
        return sum(
            1
            for _, created_at, first_response_at in queries.open_handoffs()
            if first_response_at is None and sla.state(created_at, None, now) == SLA_BREACHED
        )

    def waiting() -> int:
        return sum(1 for status, _, _ in queries.open_handoffs() if status == HANDOFF_WAITING)

    for gauge in (
        Gauge("intake_inbound_backlog", "Inbound messages stored and not yet processed.", queries.inbound_backlog),
        Gauge(
            "intake_outbound_queue_depth",
            "Outbound messages queued or being sent, and those left uncertain in the last day.",
            queue_depth,
            ["status"],
        ),
        Gauge("intake_sends_unrecorded", "Texts sent but not yet recorded as sent (database away).", unrecorded_sends),
        Gauge("intake_handoffs_waiting", "Handoffs waiting for a staff member to take them.", waiting),
        Gauge("intake_handoffs_sla_breached", "Open handoffs unanswered past the first-reply target.", breached),
    ):
        REGISTRY.add(gauge)
