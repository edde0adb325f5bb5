"""ACTIONS_IN_RASA_SERVER=1 (bot/in_process_actions.py): the action server's executor answers in
the Rasa server, with the action server's answers and errors."""
from __future__ import annotations

import asyncio
import json

import pytest
from rasa.utils.endpoints import ClientResponseError

from bot.in_process_actions import InProcessActionEndpoint, enabled


def _call(action: str, text: str) -> dict:
    return {
        "next_action": action,
        "sender_id": "+13125550142",
        "tracker": {
            "sender_id": "+13125550142",
            "slots": {"language": None},
            "latest_message": {"text": text, "intent": {"name": "seek_job", "confidence": 0.9}, "metadata": {}},
            "events": [{"event": "user", "text": text, "input_channel": "twilio"}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
        "domain": {},
    }


@pytest.fixture(scope="module")
def endpoint() -> InProcessActionEndpoint:
    return InProcessActionEndpoint()


def test_an_action_answers_as_the_action_server_would(endpoint):
    answer = asyncio.run(endpoint.request(json=_call("action_detect_language", "hola, busco trabajo en hoteles por favor")))
    assert [(event["event"], event["name"], event["value"]) for event in answer["events"]] == [("slot", "language", "es")]
    assert answer["responses"] == []


def test_an_unknown_action_is_a_404_as_over_http(endpoint):
    with pytest.raises(ClientResponseError) as raised:
        asyncio.run(endpoint.request(json=_call("action_nobody_wrote", "hi")))
    assert raised.value.status == 404
    assert json.loads(raised.value.text)["action_name"] == "action_nobody_wrote"


@pytest.mark.parametrize("value, on", [("1", True), ("true", True), ("", False), ("0", False)])
def test_the_setting(monkeypatch, value, on):
    monkeypatch.setenv("ACTIONS_IN_RASA_SERVER", value)
    assert enabled() is on
