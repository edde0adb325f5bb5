"""A long conversation is cut into sessions (bot/sessions.py) without the seeker noticing: the
answers stay, the dialogue goes on, and what Rasa replays each turn stays short."""
from __future__ import annotations

import json
import urllib.request

import pytest
from rasa.shared.core.events import ActiveLoop, ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.slots import MISUNDERSTOOD_MESSAGE
from bot.sessions import DEFAULT_SESSION_MESSAGES, carried_over_slots, messages_in_latest_session, session_is_full

LIMIT = 3


def _tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", list(events))


def _turn(text: str, message_id: str) -> list:
    return [UserUttered(text, {"name": "inform", "confidence": 0.9}, message_id=message_id), ActionExecuted("action_listen")]


def test_each_slot_is_carried_once_with_its_latest_value():
    tracker = _tracker(
        SessionStarted(), SlotSet("zip_code", "60623"), SlotSet("first_name", "Ana"),
        SessionStarted(), SlotSet("zip_code", "60623"), SlotSet("first_name", "Ana"),  # carried over once before
        SlotSet("zip_code", "60644"), SlotSet("age", 30), SlotSet("age", None),
    )
    carried = [(event.key, event.value) for event in carried_over_slots(tracker)]
    assert carried == [("first_name", "Ana"), ("zip_code", "60644"), ("age", None)]


@pytest.mark.parametrize(
    "turns, extra, full",
    [
        (LIMIT - 1, [], False),  # too short
        (LIMIT, [], True),
        (LIMIT + 2, [], True),
        (LIMIT, [ActiveLoop("intake_form")], False),  # the intake is in progress
        (LIMIT, [ActiveLoop("intake_form"), ActiveLoop(None)], True),  # ...and over
        (LIMIT, [SlotSet(MISUNDERSTOOD_MESSAGE, f"m{LIMIT}")], False),  # the next miss would be the second in a row
        (LIMIT, [SlotSet(MISUNDERSTOOD_MESSAGE, "m1")], True),  # an older miss: the chain is broken
    ],
)
def test_a_session_ends_only_when_long_and_at_rest(turns, extra, full):
    events = [SessionStarted(), ActionExecuted("action_listen")]
    for number in range(1, turns + 1):
        events += _turn(f"message {number}", f"m{number}")
    assert session_is_full(_tracker(*events, *extra), LIMIT) is full


def test_only_the_latest_session_counts():
    earlier = [event for number in range(1, 6) for event in _turn("earlier", f"e{number}")]
    tracker = _tracker(SessionStarted(), *earlier, SessionStarted(), *_turn("now", "n1"))
    assert messages_in_latest_session(tracker, 100) == 1
    assert not session_is_full(tracker, LIMIT)


def _latest_session(assistant, sender: str) -> list[dict]:
    with urllib.request.urlopen(assistant.api_url(f"/conversations/{sender}/tracker"), timeout=30) as response:
        events = json.loads(response.read())["events"]
    starts = [index for index, event in enumerate(events) if event["event"] == "session_started"]
    return events[starts[-1]:] if starts else events


def test_a_returning_seeker_keeps_talking_across_sessions(chat, assistant):
    chat.say("hi")
    for answer in ("Marcus", "60644", "warehouse", "im 41", "yea", "got laid off", "amazon", "2 weeks ago",
                   "1", "3", "3", "none", "none", "3, 28000"):
        chat.say(answer)
    assert "Next step" in chat.say("yes")
    sent = 16
    for _ in range(2 * DEFAULT_SESSION_MESSAGES):
        assert "free" in chat.say("is it free?")
        sent += 1
    # Answers and name are still there for a correction, many sessions later.
    reply = chat.say("actually my zip is 60623")
    assert "changed that" in reply and "Thanks, Marcus!" in reply and "Next step" in reply
    assert "You're welcome" in chat.say("thanks")
    sent += 2
    assert assistant.store.latest_screening("rest", chat.sender).answers["zip_code"] == "60623"

    session = _latest_session(assistant, chat.sender)
    messages = sum(1 for event in session if event["event"] == "user")
    assert 0 < messages <= DEFAULT_SESSION_MESSAGES < sent
    carried = []
    for event in session[1:]:  # the slots the session began with, up to its first action_listen
        if event["event"] != "slot":
            break
        carried.append(event["name"])
    assert "zip_code" in carried and len(carried) == len(set(carried))
