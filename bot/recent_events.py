"""Rasa server piece: a custom action is sent the conversation's latest two messages and what
followed them, not every event of the session.

Rasa sends each custom action the tracker's state with every event of the session (every
message with its full parse, every slot set, action and response), so the request grew from
5 KB at the first message of an intake to 34 KB at its last, each turn serialised by the Rasa
server event by event, written over the loopback and parsed again by the action server: on the
SMS path about a tenth of both processes' time, profiled (py-spy, 100 conversations at once).

What our actions read of the events (bot/actions/conversation.py, bot/actions/handoff.py) goes
back two messages at most: whether the bot said something since the latest message, whether
something already acted on it, and the ids of the latest two messages (a run of misreadings).
Everything else they read comes with the state Rasa sends whole: the slots, the latest message
with its parse, the active form, the latest action. So the events sent begin at the second
latest message (all of them in a session with fewer). `RECENT_MESSAGES_SENT` says how many; an
action that needs to look further back must raise it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Sequence, Text

from rasa.shared.core.events import UserUttered

RECENT_MESSAGES_SENT = 2


def recent_events(events: Sequence[Any], messages: int = RECENT_MESSAGES_SENT) -> List[Any]:
    """The events from the `messages`-th latest user message on (all when there are fewer)."""
    seen = 0
    for from_end, event in enumerate(reversed(events), start=1):
        if isinstance(event, UserUttered):
            seen += 1
            if seen == messages:
                return list(events)[len(events) - from_end:]
    return list(events)


def install() -> None:
    """Before the Rasa server builds its agent (in_process_actions' calls go through it too)."""
    import rasa
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import EventVerbosity

    def action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> Dict[Text, Any]:
        # Rasa's request (RemoteAction._action_call_format), its events limited to the recent ones.
        state = tracker.current_state(EventVerbosity.NONE)
        state["events"] = [event.as_dict() for event in recent_events(tracker.events)]
        call: Dict[Text, Any] = {
            "next_action": self._name,
            "sender_id": tracker.sender_id,
            "tracker": state,
            "version": rasa.__version__,
        }
        if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
            call["domain"] = domain.as_dict()
        return call

    RemoteAction._action_call_format = action_call_format
