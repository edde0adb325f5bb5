"""Rasa server piece: the custom slot mapping that runs on every message runs in the Rasa server.

`action_detect_language` (bot/actions/language.py) keeps the `language` slot right and runs before
every prediction. As a remote action it was one of the 2.4 calls to the action server that each
turn made, with the whole session and the domain sent along, for an answer that needs the
message, its channel and one slot. The same action class runs here, given a tracker holding
just that; its answer is read as Rasa reads the action server's. Any other custom mapping still
goes to the action server.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, List

from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.events import BotUttered, Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.language import ActionDetectLanguage

logger = logging.getLogger(__name__)

# Mapping actions that need only the latest message and the slots (see each class's docstring).
IN_SERVER_MAPPING_ACTIONS: dict[str, Callable[[], Action]] = {"action_detect_language": ActionDetectLanguage}


def latest_message_view(tracker: DialogueStateTracker) -> Tracker:
    """An action SDK tracker with the slots, the latest message and its event: what a mapping
    action may read. (Rasa's own look-ups replay the session: `latest_message` is kept as is.)"""
    latest = tracker.latest_message
    has_message = latest is not None and latest.text is not None
    return Tracker(
        sender_id=tracker.sender_id,
        slots=tracker.current_slot_values(),
        latest_message=dict(latest.parse_data, entities=latest.entities) if has_message else {},
        events=[latest.as_dict()] if has_message else [],
        paused=tracker.is_paused(),
        followup_action=None,
        active_loop={"name": tracker.active_loop_name} if tracker.active_loop_name else {},
        latest_action_name=tracker.latest_action_name,
    )


async def run_in_server(action: Action, tracker: DialogueStateTracker) -> List[Event]:
    """The action's SlotSet and BotUttered events (what Rasa keeps of a mapping action's answer)."""
    try:
        answer = await action.run(CollectingDispatcher(), latest_message_view(tracker), {})
    except Exception:  # as a failed remote mapping action: logged, and no slot changes
        logger.warning("the slot mapping action %s failed", action.name(), exc_info=True)
        return []
    events = [_event_from(event) for event in answer or []]
    return [event for event in events if isinstance(event, (SlotSet, BotUttered))]


def _event_from(event: dict) -> Event:
    # Event.from_parameters finds the class among all Event subclasses each time: slots go straight.
    if event.get("event") == SlotSet.type_name:
        return SlotSet(event["name"], event.get("value"), event.get("timestamp"), event.get("metadata"))
    return Event.from_parameters(event)


def install() -> None:
    """Before the Rasa server handles its first message."""
    run_remotely = ActionExtractSlots._run_custom_action

    async def run_custom_action(self: ActionExtractSlots, custom_action: str, *args: Any) -> List[Event]:
        make = IN_SERVER_MAPPING_ACTIONS.get(custom_action)
        if make is None:
            return await run_remotely(self, custom_action, *args)
        output_channel, nlg, tracker, domain = args
        return await run_in_server(make(), tracker)

    ActionExtractSlots._run_custom_action = run_custom_action
