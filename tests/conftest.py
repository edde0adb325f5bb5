from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

import pytest

from bot.actions.wiring import BUSINESS_HOURS_NOW_ENV
from bot.cli.harness import Assistant, running_assistant
from tests.channels.settings import AFTER_HOURS
from tests.channels.settings import OUR_NUMBER, TEST_CHANNEL_ENV, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TELEGRAM_TOKEN
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.twilio_api import FakeTwilioApi


# Set by tests/test_clock_independence.py: the whole run happens with the machine's clock moved
# to this instant (it keeps ticking), so a test that reads the real date fails there.
MACHINE_DATE_SETTING = "TEST_MACHINE_DATE"


def pytest_configure(config: pytest.Config) -> None:
    moved_to = os.environ.get(MACHINE_DATE_SETTING)
    if moved_to:
        import time_machine

        destination = datetime.fromisoformat(moved_to).replace(tzinfo=timezone.utc)
        traveller = time_machine.travel(destination, tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


# Figures a test measures (held-out accuracy, segment counts...) are printed after the run, in the
# terminal summary. They travel on the test's report, so they also reach the summary from the
# parallel workers of pytest-xdist, where a test's own prints are never shown.
FIGURE = "figure"
_figures: list[str] = []


@pytest.fixture
def report_figure(request: pytest.FixtureRequest):
    """report_figure("Title", ["line", ...]): shown under "figures" at the end of the run."""

    def record(title: str, lines: list[str]) -> None:
        request.node.user_properties.append((FIGURE, "\n".join([title, *lines])))

    return record


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _figures.extend(value for name, value in report.user_properties if name == FIGURE)


def pytest_terminal_summary(terminalreporter) -> None:
    if _figures:
        terminalreporter.section("figures")
        for figure in _figures:
            terminalreporter.write_line(figure)
            terminalreporter.write_line("")


TEST_METRICS_TOKEN = "test-metrics-token-" + "m" * 20


@pytest.fixture(scope="session")
def twilio_api() -> Iterator[FakeTwilioApi]:
    """A local server speaking Twilio's REST API; the assistant sends its SMS here."""
    with FakeTwilioApi(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) as server:
        yield server


@pytest.fixture(scope="session")
def telegram_api() -> Iterator[FakeTelegramApi]:
    """A local server speaking Telegram's Bot API."""
    with FakeTelegramApi(TELEGRAM_TOKEN) as server:
        yield server


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, twilio_api, telegram_api) -> Iterator[Assistant]:
    """The real Rasa server, action server and webhook ingest process, started once for the whole
    run, with both channels configured against the local Twilio and Telegram servers."""
    with assistant_of_its_own(tmp_path_factory, twilio_api, telegram_api) as running:
        yield running


@contextmanager
def assistant_of_its_own(tmp_path_factory, twilio_api, telegram_api) -> Iterator[Assistant]:
    """An assistant as the session's, on a database of its own: for a test that needs what no
    other test adds to (no hiring events at all, say)."""
    env = {
        **TEST_CHANNEL_ENV,
        "TWILIO_API_BASE_URL": twilio_api.base_url,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        # Texts that answer no message (a WARN outreach campaign) go from our number.
        "TWILIO_FROM_NUMBER": OUR_NUMBER,
        # Webhooks reach the Rasa server by their wake alone: a broken wake fails these tests
        # instead of being hidden by the poll (tested on its own in test_crash_recovery.py).
        "INBOUND_POLL_SECONDS": "600",
        # Staff hours are judged at a fixed instant, never the real clock: Saturday 9 am in
        # Chicago, after hours (tests/conversation/test_handoff.py words its waits from it).
        BUSINESS_HOURS_NOW_ENV: AFTER_HOURS.isoformat(),
        # The staff console serves /metrics to this bearer token only (tests/test_metrics_endpoints.py).
        "METRICS_TOKEN": TEST_METRICS_TOKEN,
    }
    with running_assistant(tmp_path_factory.mktemp("assistant"), env) as running:
        yield running
