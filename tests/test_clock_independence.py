"""The suites that deal in dates pass whatever the machine's date is.

Each suite below runs again in a child pytest with the machine's clock moved years ahead and years
back (time-machine, started in tests/conftest.py by TEST_MACHINE_DATE). A test, or code under
test, that reads the real date instead of the clock it was given then fails here, today, instead
of on the day the calendar reaches its hard-coded dates, as the scheduler's nudge test once did.
Suites that start the Rasa servers are left out: their child processes keep the real clock, and
they create their events relative to it.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MACHINE_DATE_SETTING

REPO = Path(__file__).resolve().parents[1]
DATED_SUITES = [
    "tests/screening",
    "tests/understanding",
    "tests/scheduling",
    "tests/handoff",
    "tests/reports",
    "tests/events/test_loader.py",
    "tests/events/test_import_cli.py",
    "tests/events/test_model.py",
    "tests/events/test_schedule.py",
    "tests/events/test_calendar.py",
    "tests/channels/test_scheduler.py",
    "tests/store/test_hiring_event_stores.py",
    "tests/events/test_seats.py",
    "tests/store/test_handoff_store.py",
    "tests/store/test_store_screenings.py",
    "tests/staff",  # lockouts, claim timeouts, the SLA clock, quiet hours for replies
]


@pytest.mark.parametrize(
    "machine_date",
    [
        "2041-06-15T03:30:00",  # years after every date written in the tests, at night in Chicago
        "2011-02-28T23:59:30",  # years before, half a minute before a month ends
    ],
)
def test_dated_suites_pass_with_the_machine_clock_moved(machine_date: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-m", "not postgres", *DATED_SUITES],
        cwd=REPO,
        env={**os.environ, MACHINE_DATE_SETTING: machine_date},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-2000:]
    print(f"machine date {machine_date}: {summary}")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary
