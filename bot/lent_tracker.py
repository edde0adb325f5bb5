"""Rasa server piece: an action that only reads the tracker runs on the tracker itself, not on a
copy rebuilt event by event.

Before each action Rasa makes a temporary tracker (`tracker.copy()`: a new tracker, every slot
copied, every event of the session applied again), adds the policy's events to it, and runs the
action on it, so that a rejected action leaves no trace. Profiled on the running server (cProfile,
60 intakes 20 at once, after the applied-events and language-understanding cuts), those copies
were an eighth of its time: two or three a message (the intake action, action_listen, a response).

The copy protects the tracker only from an action that changes the tracker it is given, or from
policy events that a rejection must drop. Here the tracker is lent as its own copy when the
policy added no events and the action is one whose `run` only reads the tracker:
- `ActionListen` returns nothing;
- `ActionBotResponse` (a `utter_` response) fills a response from the slots;
- `RemoteAction` (every custom action, the intake included) sends the tracker's state as JSON and
  returns the answer's events (bot/action_calls.py keeps that; bot/nlg.py only reads slots).
Exactly these classes, not subclasses (ActionRestart, ActionBack... have their own `run`), and
never a form (Rasa's FormAction applies events to the tracker it is given). Everything after the
action (its events logged on the tracker, slots, side effects) is Rasa's code as before.
"""
from __future__ import annotations

from typing import Any

from rasa.core.actions.action import ActionBotResponse, ActionListen, RemoteAction

_COPY = "copy"
READING_ACTIONS = frozenset({ActionListen, ActionBotResponse, RemoteAction})


def reads_only(action: Any, prediction: Any) -> bool:
    return type(action) in READING_ACTIONS and not prediction.events


class LendingProcessorMixin:
    """A MessageProcessor whose reading actions run on the tracker itself."""

    async def _run_action(self, action: Any, tracker: Any, output_channel: Any, nlg: Any, prediction: Any) -> bool:
        if not reads_only(action, prediction):
            return await super()._run_action(action, tracker, output_channel, nlg, prediction)
        # Rasa's _run_action asks `tracker.copy()` once, for the action's temporary tracker;
        # while it runs, this tracker answers with itself (an attribute of this one object: the
        # lock store lets one turn of a conversation run at a time).
        tracker.__dict__[_COPY] = lambda: tracker
        try:
            return await super()._run_action(action, tracker, output_channel, nlg, prediction)
        finally:
            del tracker.__dict__[_COPY]


def install() -> None:
    """After bot/sessions.py's install: the agent's processor class gains the lending."""
    import rasa.core.agent

    processor_class = rasa.core.agent.MessageProcessor
    if issubclass(processor_class, LendingProcessorMixin):
        return
    rasa.core.agent.MessageProcessor = type(
        f"Lending{processor_class.__name__}", (LendingProcessorMixin, processor_class), {}
    )
