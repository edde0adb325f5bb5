"""How many database round trips one inbound SMS costs, end to end: the signed webhook stored by
the ingest process, the dialogue turn in the Rasa server and the action server, the reply queued
and sent through the (local) Twilio API. Counted with SQLAlchemy events in every process
(SQL_TRACE_FILE, bot/store/statement_trace.py) and printed per process and caller.

Statements (issue 14's measure) and COMMIT/ROLLBACK are counted apart, and their sum is the
round trips; BEGIN is not counted (PostgreSQL sends it with the first statement). The assistant here polls nothing while the turn runs (the processor,
scheduler and sender act on wakes only), so the count is the turn's own; the WARN campaign
sender's idle look (CampaignStore.sending, every 2 s) is not part of a turn and is left out.
"""
from __future__ import annotations

import collections
import os
import time
from pathlib import Path

import pytest

from bot.actions.wiring import BUSINESS_HOURS_NOW_ENV
from bot.cli.harness import running_assistant
from bot.store.statement_trace import TRACE_FILE_SETTING
from tests.channels.people import SmsSeeker
from tests.channels.settings import AFTER_HOURS, OUR_NUMBER, TEST_CHANNEL_ENV

# What one ordinary turn (a first name given, the ZIP question asked) cost when measured on SQLite
# (2026-12-05 22:10 UTC: 13 statements and 9 commits or rollbacks, 22 round trips; 28 + 14 = 42
# before the sender was told whom to claim for and the message log wrote and claimed rows in one
# statement each). Raising either needs a reason. Issue 14's target is 8 statements: not met, see
# the README ("One inbound SMS, module by module").
STATEMENTS_PER_TURN = 13
ENDINGS_PER_TURN = 9  # COMMIT or ROLLBACK
TRANSACTION_ENDS = ("COMMIT", "ROLLBACK")
NOT_PART_OF_A_TURN = ("campaign_store.sending",)


@pytest.fixture(scope="module")
def traced(tmp_path_factory, twilio_api, telegram_api):
    work = tmp_path_factory.mktemp("traced")
    trace = work / "statements.tsv"
    env = {
        **TEST_CHANNEL_ENV,
        "TWILIO_API_BASE_URL": twilio_api.base_url,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        "TWILIO_FROM_NUMBER": OUR_NUMBER,
        BUSINESS_HOURS_NOW_ENV: AFTER_HOURS.isoformat(),
        TRACE_FILE_SETTING: str(trace),
        # Nothing looks at the database on a timer while the turn runs: wakes only.
        "INBOUND_POLL_SECONDS": "600",
        "SCHEDULER_POLL_SECONDS": "600",
        "SEND_POLL_SECONDS": "600",
    }
    with running_assistant(work, env) as assistant:
        yield assistant, trace


def _turn_round_trips(trace: Path, start: int) -> list[tuple[str, str, str]]:
    """(process id, caller, what) of every round trip the servers made after byte `start`."""
    ours = str(os.getpid())  # the test reads the database too, to know when the turn is done
    lines = trace.read_text(encoding="utf-8")[start:].splitlines()
    trips = [tuple(line.split("\t")) for line in lines if line]
    return [
        (pid, caller, what)
        for pid, caller, what in trips
        if pid != ours and what != "BEGIN" and caller not in NOT_PART_OF_A_TURN
    ]


def test_one_inbound_sms_costs_at_most_a_few_round_trips(traced, twilio_api, report_figure):
    assistant, trace = traced
    seeker = SmsSeeker(assistant, twilio_api)
    assert seeker.text("hi")  # the consent notice and the first question: a first contact
    time.sleep(1.0)  # anything still finishing after the last reply was sent
    start = trace.stat().st_size
    replies = seeker.text("Maria")
    time.sleep(1.0)
    assert replies, "the turn must be answered"
    trips = _turn_round_trips(trace, start)
    by_caller = collections.Counter((pid, caller) for pid, caller, _ in trips)
    lines = [f"{count:3d}  pid {pid}  {caller}" for (pid, caller), count in by_caller.most_common()]
    endings = sum(1 for *_, what in trips if what in TRANSACTION_ENDS)
    commits = sum(1 for *_, what in trips if what == "COMMIT")
    statements = len(trips) - endings
    lines.append(
        f"{statements:3d}  statements, {endings} transaction ends ({commits} commits): {len(trips)} round trips"
    )
    report_figure("Database round trips for one inbound SMS (webhook to sent reply)", lines)
    print("\n".join(lines))
    assert statements <= STATEMENTS_PER_TURN, "\n".join(lines)
    assert endings <= ENDINGS_PER_TURN, "\n".join(lines)
