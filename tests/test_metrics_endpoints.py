"""Every process serves Prometheus metrics: the Rasa server (turns, their time, the inbound
backlog, the outbound queue, send failures, handoffs waiting and past their SLA), the webhook
ingest process (webhooks by outcome), the action server (calls by action and outcome) and the
staff console (behind a bearer token). Scraped from the running assistant after a real text;
no scrape holds a phone number or anything the person wrote."""
from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from bot.cli.supervisor import ACTION_SERVER
from tests.channels.people import SmsSeeker
from tests.conftest import TEST_METRICS_TOKEN

WRITTEN = "hi, i need work in IT"

# metric -> the process that must serve it
REQUIRED = {
    "intake_turns_total": "rasa",
    "intake_turn_seconds_bucket": "rasa",
    "intake_inbound_backlog": "rasa",
    "intake_outbound_queue_depth": "rasa",
    "intake_send_failures_total": "rasa",
    "intake_handoffs_waiting": "rasa",
    "intake_handoffs_sla_breached": "rasa",
    "intake_webhook_messages_total": "ingest",
    "intake_actions_total": "actions",
    "intake_action_seconds_count": "actions",
    "intake_console_requests_total": "console",
    "intake_console_request_seconds_count": "console",
}


def _scrape(url: str, token: str | None = None) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as reply:
        assert reply.headers["Content-Type"].startswith("text/plain")
        return reply.read().decode()


def _value(exposition: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in exposition.splitlines():
        found = re.match(rf"^{re.escape(name)}(\{{[^}}]*\}})? (\S+)$", line)
        if found and all(f'{key}="{value}"' in (found.group(1) or "") for key, value in labels.items()):
            total += float(found.group(2))
    return total


@pytest.fixture(scope="module")
def scrapes(assistant, twilio_api) -> dict[str, str]:
    seeker = SmsSeeker(assistant, twilio_api)
    assert seeker.text(WRITTEN)
    actions_url = assistant.supervisor.process_named(ACTION_SERVER).listens_on
    result = {
        "rasa": _scrape(assistant.rasa_url + "/metrics"),
        "ingest": _scrape(assistant.webhook_url + "/metrics"),
        "actions": _scrape(actions_url + "/metrics"),
        "console": _scrape(assistant.staff_url + "/metrics", TEST_METRICS_TOKEN),
    }
    result["number"] = seeker.number
    return result


@pytest.mark.parametrize("metric, process", sorted(REQUIRED.items()))
def test_each_required_metric_is_served(scrapes, metric, process):
    assert re.search(rf"^{metric}(\{{|\s)", scrapes[process], re.MULTILINE) or f"# TYPE {metric} " in scrapes[process], (
        f"{metric} not served by the {process} process"
    )


def test_the_text_is_counted_in_each_process_it_went_through(scrapes):
    assert _value(scrapes["ingest"], "intake_webhook_messages_total", channel="twilio", outcome="stored") >= 1
    assert _value(scrapes["rasa"], "intake_turns_total", outcome="processed") >= 1
    assert _value(scrapes["rasa"], "intake_turn_seconds_count") >= 1
    assert _value(scrapes["actions"], "intake_actions_total", outcome="ok") >= 1
    assert _value(scrapes["console"], "intake_console_requests_total") >= 1  # the supervisor's health checks


@pytest.mark.parametrize("process", ["rasa", "ingest", "actions", "console"])
def test_no_scrape_holds_personal_data(scrapes, process):
    assert scrapes["number"] not in scrapes[process]
    assert scrapes["number"].lstrip("+") not in scrapes[process]
    assert WRITTEN not in scrapes[process]


@pytest.mark.parametrize("token", [None, "wrong-token", TEST_METRICS_TOKEN + "x"])
def test_the_console_serves_metrics_only_to_its_token(assistant, token):
    with pytest.raises(urllib.error.HTTPError) as refused:
        _scrape(assistant.staff_url + "/metrics", token)
    assert refused.value.code == 401
