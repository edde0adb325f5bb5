"""Reading a Rasa tracker as a seeker's conversation: who, which language, which answers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from bot import slots
from bot.answers import MILITARY

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
    # What the channel added: the keyword behind a forced intent ("ALTO"), its language...
    metadata: dict[str, Any]
    # The model's next guesses after `intent`, best first: (intent, confidence).
    runners_up: tuple[tuple[str, float], ...] = ()

    @property
    def is_forced_intent(self) -> bool:
        """'/opt_out' and the like: an intent the channel chose, not words the person wrote."""
        return self.text.startswith("/")


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
        metadata=dict(message.get("metadata") or {}),
        runners_up=tuple(
            (str(ranked.get("name")), float(ranked.get("confidence") or 0.0))
            for ranked in (message.get("intent_ranking") or [])[1:]
            if ranked.get("name")
        ),
    )


# Actions Rasa itself runs around every user message; they do not answer the message.
_BOOKKEEPING_ACTIONS = frozenset({"action_listen", "action_extract_slots"})


def said_since_latest_message(tracker: Tracker, response: str) -> bool:
    """Whether the bot has sent `response` since the seeker's latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == response:
            return True
    return False


def is_fresh_reply(tracker: Tracker, form_name: str) -> bool:
    """True when the form is reading the seeker's latest message for the first time.

    False when something already acted on that message (the start action at activation, or a
    rule that answered a question before handing back to the form).
    """
    acted: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "action" and event.get("name") not in _BOOKKEEPING_ACTIONS:
            acted.append(event.get("name"))
    # The form's own execution is appended to the tracker it sends us; ignore that one.
    if acted and acted[0] == form_name:
        acted = acted[1:]
    return not acted


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
