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


def _shipped_domain():
    from pathlib import Path

    from rasa.shared.core.domain import Domain

    return Domain.from_directory(str(Path(__file__).resolve().parents[2] / "flows"))


def test_slot_extraction_walks_only_the_mappings_it_acts_on():
    domain = _shipped_domain()
    pruned = slot_mappings.extraction_domain(domain)
    assert [slot.name for slot in pruned.slots if slot.mappings] == ["language"]
    assert [slot.name for slot in pruned.slots] == [slot.name for slot in domain.slots]
    assert slot_mappings.extraction_domain(domain) is pruned  # made once


@pytest.mark.parametrize("text, form", [
    ("hola, busco trabajo en hoteles por favor", None),
    ("I am looking for a job in a hotel please", "intake_form"),
    ("quiero cancelar mi registro del evento", "event_form"),
])
def test_slot_extraction_on_the_pruned_domain_gives_rasas_events(text, form, monkeypatch):
    from rasa.shared.core.events import ActiveLoop

    domain = _shipped_domain()
    tracker = _tracker(text)
    if form:
        tracker.update(ActiveLoop(form))
    asked: list[str] = []

    async def answer(self, custom_action, output_channel, nlg, tracker, domain):
        asked.append(custom_action)
        return [SlotSet("language", "es" if "hola" in text or "quiero" in text else "en")]

    monkeypatch.setattr(ActionExtractSlots, "_run_custom_action", answer)
    action = ActionExtractSlots(None)
    rasa_events = asyncio.run(action.run(None, None, tracker, domain))
    pruned_events = asyncio.run(action.run(None, None, tracker, slot_mappings.extraction_domain(domain)))
    assert pruned_events == rasa_events
    assert asked == ["action_detect_language", "action_detect_language"]
