"""A custom action is sent the events from the second latest message on (bot/recent_events.py),
and otherwise exactly Rasa's request."""
from __future__ import annotations

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import recent_events

rasa_call_format = RemoteAction._action_call_format


def _conversation(messages: int) -> DialogueStateTracker:
    tracker = DialogueStateTracker("someone", slots=[])
    for event in (ActionExecuted("action_session_start"), SessionStarted(), SlotSet("language", "es")):
        tracker.update(event)
    for number in range(messages):
        for event in (
            ActionExecuted("action_listen"),
            UserUttered(f"message {number}", {"name": "inform", "confidence": 0.9}, input_channel="twilio"),
            ActionExecuted("intake_form"),
            BotUttered(f"question {number}"),
            SlotSet("requested_slot", f"slot {number}"),
        ):
            tracker.update(event)
    return tracker


@pytest.mark.parametrize("messages", [0, 1, 2, 5])
def test_the_events_begin_at_the_second_latest_message(messages):
    tracker = _conversation(messages)
    sent = recent_events.recent_events(tracker.events)
    texts = [event.text for event in sent if isinstance(event, UserUttered)]
    if messages < 2:
        assert sent == list(tracker.events)
    else:
        assert texts == [f"message {messages - 2}", f"message {messages - 1}"]
        assert isinstance(sent[0], UserUttered)
        assert sent[-1] == tracker.events[-1]


def test_the_request_is_rasas_but_for_the_older_events(monkeypatch):
    tracker = _conversation(6)
    domain = Domain.from_dict({"intents": ["inform"], "actions": ["intake_form"]})
    action = RemoteAction("intake_form", EndpointConfig("http://127.0.0.1:1/webhook"))
    rasa_call = rasa_call_format(action, tracker, domain)
    monkeypatch.setattr(RemoteAction, "_action_call_format", rasa_call_format)  # put back after
    recent_events.install()
    ours = RemoteAction._action_call_format(action, tracker, domain)
    assert len(ours["tracker"]["events"]) < len(rasa_call["tracker"]["events"])
    assert ours["tracker"]["events"] == rasa_call["tracker"]["events"][-len(ours["tracker"]["events"]):]
    ours["tracker"].pop("events"), rasa_call["tracker"].pop("events")
    assert ours == rasa_call
    # Everything the action reads from the state is Rasa's: slots, latest message, channel.
    assert ours["tracker"]["latest_input_channel"] == "twilio"
    assert ours["tracker"]["latest_message"]["text"] == "message 5"
