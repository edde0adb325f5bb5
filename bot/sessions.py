"""Rasa server piece: a long conversation is cut into sessions, so a turn costs the same at the
300th message as at the 10th.

On every message Rasa reads the latest session of the conversation back from the tracker store,
replays it event by event for each policy prediction (RulePolicy computes the dialogue state
after every action since the session began), and sends it whole to the action server with each
custom action. All of that grows with the session: measured on one conversation
(bench/turn_cost_by_history.py), turn 300 took 4.3x as long as turn 10, 1.1x with this.

Rasa already starts a new session, carrying the slots over, when a seeker writes after
`session_expiration_time`. Here a session also ends when it is long and the dialogue is at rest:
no form active (the intake is over or paused) and no run of misunderstood replies being counted
(bot/actions/handoff.py looks back one message, within the session). Rules read only the
current turn and the slots (none spans turns or needs the conversation's start), so the dialogue
goes on exactly as before: the new session holds every slot's value.

Rasa's own session start carries over every SlotSet of the previous session, earlier carried
ones included, so each session would start longer than the last; here each slot's latest value
is carried, once.
"""
from __future__ import annotations

import itertools
import os
from typing import Any, Iterable, List, Optional

from rasa.core.actions.action import ActionSessionStart
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.slots import MISUNDERSTOOD_MESSAGE

SESSION_MESSAGES_SETTING = "SESSION_MAX_MESSAGES"
# Seeker messages a session holds before it may end at the next message at rest. An intake is
# 13 to 16 messages, during which the form is active: most sessions end at the first message
# after the summary, and a long talk after it is cut every 12 messages.
DEFAULT_SESSION_MESSAGES = 12


def session_message_limit() -> int:
    return int(os.environ.get(SESSION_MESSAGES_SETTING) or DEFAULT_SESSION_MESSAGES)


def _events_of_latest_session(tracker: DialogueStateTracker) -> Iterable[Event]:
    """The latest session's events, newest first."""
    return itertools.takewhile(lambda event: not isinstance(event, SessionStarted), reversed(tracker.events))


def messages_in_latest_session(tracker: DialogueStateTracker, enough: int) -> int:
    """Seeker messages since the latest session began, counted up to `enough` (no further scan)."""
    messages = (event for event in _events_of_latest_session(tracker) if isinstance(event, UserUttered))
    return sum(1 for _ in itertools.islice(messages, enough))


def _message_id(event: UserUttered) -> str:
    # The same id bot/actions/handoff.py records for a misunderstood message (as the SDK sees it).
    return str(event.message_id or event.timestamp)


def is_at_rest(tracker: DialogueStateTracker) -> bool:
    """No form in progress and no misunderstanding chain that the next message would continue."""
    if tracker.active_loop_name:
        return False
    # `latest_message` is the latest UserUttered (Rasa's get_last_event_for would replay the session).
    latest = tracker.latest_message
    return latest is None or latest.text is None or tracker.get_slot(MISUNDERSTOOD_MESSAGE) != _message_id(latest)


def session_is_full(tracker: DialogueStateTracker, limit: int) -> bool:
    """Whether the next message should begin a new session: long enough, and at rest."""
    return messages_in_latest_session(tracker, limit) >= limit and is_at_rest(tracker)


def carried_over_slots(tracker: DialogueStateTracker) -> List[SlotSet]:
    """Each slot set in the session, once, with its latest value (and that value's metadata), in
    the order the slots were last set."""
    latest: dict[str, SlotSet] = {}
    for event in tracker.applied_events():
        if isinstance(event, SlotSet):
            latest.pop(event.key, None)
            latest[event.key] = event
    return [SlotSet(key=event.key, value=event.value, metadata=event.metadata) for event in latest.values()]


class BoundedSessionProcessor(MessageProcessor):
    """Rasa's message processor, with sessions that also end when long and at rest."""

    def __init__(self, *args: Any, session_messages: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session_messages = session_messages or session_message_limit()

    def _has_session_expired(self, tracker: DialogueStateTracker) -> bool:
        if super()._has_session_expired(tracker):
            return True
        config = self.domain.session_config
        # Without carried-over slots a new session would forget the answers: never cut one then.
        return (
            config.are_sessions_enabled()
            and config.carry_over_slots
            and session_is_full(tracker, self.session_messages)
        )


def install() -> None:
    """Before the Rasa server builds its agent."""
    import rasa.core.agent

    rasa.core.agent.MessageProcessor = BoundedSessionProcessor
    ActionSessionStart._slot_set_events_from_tracker = staticmethod(carried_over_slots)
