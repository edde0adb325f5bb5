"""The language slot mapping runs inside the Rasa server (bot/slot_mappings.py): same answers as
the action, no call to the action server."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import slot_mappings


def _tracker(text: str, language: str | None = None, metadata: dict | None = None) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen")]
    if language:
        events.append(SlotSet("language", language))
    events.append(UserUttered(text, {"name": "inform", "confidence": 0.9}, metadata=metadata, input_channel="twilio"))
    return DialogueStateTracker.from_events("+13125550142", events)


@pytest.mark.parametrize(
    "text, current, expected",
    [
        ("hola, busco trabajo en hoteles por favor", None, [("language", "es")]),
        ("I am looking for a job in a hotel please", None, [("language", "en")]),
        ("si", "es", []),  # too short to switch: nothing changes
        ("60623", "es", []),
    ],
)
def test_the_language_is_read_in_the_server(text, current, expected):
    events = asyncio.run(slot_mappings.run_in_server(slot_mappings.ActionDetectLanguage(), _tracker(text, current)))
    assert [(event.key, event.value) for event in events] == expected


def test_a_forced_keyword_sets_the_language_of_a_newcomer():
    tracker = _tracker("/opt_out", metadata={"keyword_language": "es"})
    events = asyncio.run(slot_mappings.run_in_server(slot_mappings.ActionDetectLanguage(), tracker))
    assert [(event.key, event.value) for event in events] == [("language", "es")]


def test_only_the_language_mapping_stays_in_the_server(monkeypatch):
    remote_calls: list[str] = []

    async def remote(self, custom_action, *args):
        remote_calls.append(custom_action)
        return []

    # The installed dispatch wraps whatever runs remote actions; monkeypatch restores the class.
    monkeypatch.setattr(ActionExtractSlots, "_run_custom_action", remote)
    slot_mappings.install()
    extractor = ActionExtractSlots(action_endpoint=None)
    tracker = _tracker("hola, busco trabajo en hoteles por favor")

    here = asyncio.run(extractor._run_custom_action("action_detect_language", None, None, tracker, None))
    asyncio.run(extractor._run_custom_action("action_some_other_mapping", None, None, tracker, None))

    assert [(event.key, event.value) for event in here] == [("language", "es")]
    assert remote_calls == ["action_some_other_mapping"]
