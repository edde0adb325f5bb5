"""The database goes away in the middle of traffic and comes back (and every process's /ready
says so while /health stays 200): every process reaches
PostgreSQL through a proxy on 127.0.0.1 that the test cuts (the shared server is never touched).
While it is cut, webhooks are answered 503 (nothing stored, nothing half-done: Telegram retries,
Twilio tries its fallback URL; here the seekers' posts are repeated with the same ids); once it
returns, every stored message is processed and answered, every reply sent once, each
registration and handoff present once. Nothing was kept only in memory."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from bot.actions.wiring import BUSINESS_HOURS_NOW_ENV
from bot.cli.harness import Assistant, running_assistant
from tests.channels.people import SmsSeeker, TelegramSeeker
from tests.channels.settings import AFTER_HOURS, OUR_NUMBER, TEST_CHANNEL_ENV
from tests.events.upcoming import upcoming_event
from tests.faults.tcp_proxy import CuttableProxy
from tests.faults.traffic import (
    HANDOFF,
    INTAKE,
    ScriptedSeeker,
    assert_every_message_answered_once,
    count_handoffs,
    count_registrations,
    finish_traffic,
    start_traffic,
    wait_until_all_settled,
)
from tests.fakes import telegram_api as telegram
from tests.postgres import throwaway_postgres_database

OUTAGE_SECONDS = 5.0


@pytest.fixture(scope="module")
def behind_a_proxy(tmp_path_factory, twilio_api, telegram_api) -> Iterator[tuple[Assistant, CuttableProxy]]:
    with throwaway_postgres_database() as url:
        parts = make_url(url)
        with CuttableProxy(parts.host or "127.0.0.1", parts.port or 5432) as proxy:
            proxied = parts.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
            env = {
                **TEST_CHANNEL_ENV,
                "DATABASE_URL": proxied,
                "TRACKER_DATABASE_URL": proxied,
                "TWILIO_API_BASE_URL": twilio_api.base_url,
                "TELEGRAM_API_BASE_URL": telegram_api.base_url,
                "TWILIO_FROM_NUMBER": OUR_NUMBER,
                "INBOUND_POLL_SECONDS": "0.5",
                BUSINESS_HOURS_NOW_ENV: AFTER_HOURS.isoformat(),
                "LOG_FORMAT": "json",
            }
            with running_assistant(tmp_path_factory.mktemp("outage"), env) as assistant:
                assistant.supervisor.supervise_in_background()
                yield assistant, proxy


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _base_urls(assistant: Assistant) -> dict[str, str]:
    settings = assistant.supervisor.settings
    return {
        "webhook ingest": settings.webhook_url,
        "Rasa server": settings.rasa_url,
        "action server": settings.actions_url,
        "staff console": settings.staff_url,
    }


def _readiness(assistant: Assistant) -> dict[str, tuple[int, dict]]:
    return {name: _get(base + "/ready") for name, base in _base_urls(assistant).items()}


def test_every_process_is_alive_throughout_and_ready_only_while_the_database_answers(behind_a_proxy):
    assistant, proxy = behind_a_proxy
    urls = _base_urls(assistant)
    ready = _readiness(assistant)
    assert {name: status for name, (status, _) in ready.items()} == dict.fromkeys(urls, 200), ready
    assert ready["Rasa server"][1]["checks"] == {"model": True, "database": True, "channels": True}

    proxy.cut()
    try:
        cut = _readiness(assistant)
        alive = {name: _get(base + "/health")[0] for name, base in urls.items()}
    finally:
        proxy.restore()
    assert {name: status for name, (status, _) in cut.items()} == dict.fromkeys(urls, 503), cut
    assert all(body["checks"]["database"] is False for _, body in cut.values())
    assert cut["Rasa server"][1]["checks"]["model"] is True
    assert alive == dict.fromkeys(urls, 200)  # not ready, but nothing to restart

    deadline = time.monotonic() + 30
    while any(status != 200 for status, _ in _readiness(assistant).values()):
        assert time.monotonic() < deadline, _readiness(assistant)
        time.sleep(0.3)


def test_webhooks_fail_cleanly_during_an_outage_and_everything_is_processed_once_after(
    behind_a_proxy, twilio_api, telegram_api
):
    assistant, proxy = behind_a_proxy
    event = upcoming_event(assistant.catalog, "Hotel Hiring Day", "Feria de hoteles")
    seekers = [
        ScriptedSeeker(SmsSeeker(assistant, twilio_api), INTAKE),
        ScriptedSeeker(SmsSeeker(assistant, twilio_api), HANDOFF),
        ScriptedSeeker(SmsSeeker(assistant, twilio_api), (event.code, "Rosa", "yes")),
        ScriptedSeeker(SmsSeeker(assistant, twilio_api), INTAKE[:3]),
    ]
    on_telegram = TelegramSeeker(assistant, telegram_api)
    update = telegram.text_message_update("hello", person=on_telegram.person)

    traffic = start_traffic(seekers, gap_seconds=0.5)
    time.sleep(1.5)  # texts stored, turns running, replies being sent
    proxy.cut()
    try:
        time.sleep(0.5)
        assert on_telegram.post(update)[0] == 503  # Telegram will deliver it again
        time.sleep(OUTAGE_SECONDS)
    finally:
        proxy.restore()
    finish_traffic(traffic)
    assert on_telegram.post(update)[0] == 200  # the redelivery

    wait_until_all_settled(assistant, seekers)
    refused = [status for seeker in seekers for status in seeker.refused]
    assert refused and set(refused) == {503}, refused  # failed cleanly, never a 500 or a hang
    assert_every_message_answered_once(assistant, twilio_api, seekers)
    intake, handoff, registrant, _ = seekers
    assert count_handoffs(assistant, handoff.number) == 1
    assert count_handoffs(assistant, intake.number) == 0
    assert count_registrations(assistant, registrant.number) == 1

    deadline = time.monotonic() + 60
    while not telegram_api.messages_to(on_telegram.chat_id):
        assert time.monotonic() < deadline, "the Telegram message was not answered"
        time.sleep(0.2)
    assert [row.text for row in on_telegram.messages() if row.direction == "in"] == ["hello"]
    # No process had to be restarted for any of it.
    assert all(managed.restarts == 0 for managed in assistant.supervisor.processes)

    metrics = _metrics(assistant.rasa_url)
    stored = sum(len(seeker.lines) for seeker in seekers) + 1
    assert metrics['intake_turns_total{outcome="processed"}'] >= stored
    assert metrics["intake_turn_seconds_count"] >= stored
    assert metrics["intake_inbound_backlog"] == 0
    assert metrics['intake_outbound_queue_depth{status="queued"}'] == 0
    assert metrics["intake_sends_unrecorded"] == 0
    assert metrics["intake_handoffs_waiting"] >= 1
    assert metrics["intake_metrics_read_errors"] == 0
    webhooks = _metrics(assistant.webhook_url)  # the ingest process counts what it answered
    assert webhooks['intake_webhook_messages_total{channel="twilio",outcome="unavailable"}'] == len(refused)
    assert webhooks['intake_webhook_messages_total{channel="twilio",outcome="stored"}'] == stored - 1
    assert webhooks['intake_webhook_messages_total{channel="telegram",outcome="unavailable"}'] == 1

    # Structured logs: the outage is in them as JSON lines, and no seeker's number anywhere.
    events = _json_log_lines(assistant)
    assert any("answered 503" in event["message"] and event["process"] == "webhook-ingest" for event in events)
    everything = "".join(path.read_text(errors="replace") for path in assistant.log_dir.glob("*.log"))
    for seeker in seekers:
        assert seeker.number.lstrip("+") not in everything


def _metrics(base_url: str) -> dict[str, float]:
    with urllib.request.urlopen(base_url + "/metrics", timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        exposition = answer.read().decode()
    values = {}
    for line in exposition.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


def _json_log_lines(assistant: Assistant) -> list[dict]:
    events = []
    for path in assistant.log_dir.glob("*.log"):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith('{"time"'):
                events.append(json.loads(line))
    return events
