"""Reading a Rasa tracker as a seeker's conversation: who, which language, which answers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from bot.actions import slots
from bot.questions import MILITARY

# Confidence above which an intent is trusted over a weak reading of the text as an answer.
CONFIDENT_INTENT = 0.6


@dataclass(frozen=True)
class Conversation:
    channel: str
    address: str
    language: str
    text: str
    intent: str | None
    intent_confidence: float


def read(tracker: Tracker) -> Conversation:
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    return Conversation(
        channel=tracker.get_latest_input_channel() or "rest",
        address=tracker.sender_id,
        language=tracker.get_slot(slots.LANGUAGE) or "en",
        text=(message.get("text") or "").strip(),
        intent=intent.get("name"),
        intent_confidence=float(intent.get("confidence") or 0.0),
    )


def answers_of(tracker: Tracker) -> dict[str, Any]:
    return {
        name: tracker.get_slot(name)
        for name in slots.ANSWER_SLOTS
        if name != MILITARY and tracker.get_slot(name) is not None
    }


def slot_events(updates: dict[str, Any]) -> list[SlotSet]:
    return [SlotSet(name, value) for name, value in updates.items()]


def name_part(answers: dict[str, Any]) -> str:
    """', Maria' for greetings that use the name when we have one."""
    name = answers.get("first_name")
    return f", {name}" if name and name != "unknown" else ""
