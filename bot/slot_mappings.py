"""Rasa server piece: the custom slot mapping that runs on every message runs in the Rasa server.

`action_detect_language` (bot/actions/language.py) keeps the `language` slot right and runs before
every prediction. As a remote action it was one of the 2.4 calls to the action server that each
turn made, with the whole session and the domain sent along, for an answer that needs the
message, its channel and one slot. The same action class runs here, given a tracker holding
just that; its answer is read as Rasa reads the action server's. Any other custom mapping still
goes to the action server.

Rasa's slot extraction (`ActionExtractSlots`, before every prediction) also walks every mapping
of every slot, checking intents, conditions and forms for each, to find that a `custom` mapping
without an action has nothing for it to do (the intake action fills those slots): 36 of our 37
mappings, 8% of the server's time per message, profiled. It is given a copy of the domain
without those mappings (`extraction_domain`), so it walks only the ones it acts on, with the
same result.
"""
from __future__ import annotations

import copy
import logging
import warnings
from typing import Any, Callable, List

from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.constants import ACTION_VALIDATE_SLOT_MAPPINGS
from rasa.shared.core.domain import Domain
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


_EXTRACTION_DOMAIN = "_kept_extraction_domain"


def does_nothing_in_extraction(mapping: dict) -> bool:
    """A custom mapping with no action: Rasa's slot extraction skips it after its checks."""
    return mapping.get("type") == "custom" and not mapping.get("action")


def extraction_domain(domain: Domain) -> Domain:
    """`domain` without the mappings slot extraction does nothing with (made once per domain)."""
    kept = domain.__dict__.get(_EXTRACTION_DOMAIN)
    if kept is None:
        contents = copy.deepcopy(domain.as_dict())
        for slot in (contents.get("slots") or {}).values():
            slot["mappings"] = [m for m in slot.get("mappings") or [] if not does_nothing_in_extraction(m)]
        with warnings.catch_warnings():
            # Rasa warns of slots left with no mapping ("auto-fill has been removed"): on purpose here.
            warnings.simplefilter("ignore")
            kept = Domain.from_dict(contents)
        domain.__dict__[_EXTRACTION_DOMAIN] = kept
    return kept


def install() -> None:
    """Before the Rasa server handles its first message."""
    run_remotely = ActionExtractSlots._run_custom_action
    extract_slots = ActionExtractSlots.run

    async def run(self: ActionExtractSlots, output_channel: Any, nlg: Any, tracker: Any, domain: Domain) -> List[Event]:
        if ACTION_VALIDATE_SLOT_MAPPINGS in domain.user_actions:
            # That action is sent a tracker built with the domain's slots: keep Rasa's way.
            return await extract_slots(self, output_channel, nlg, tracker, domain)
        return await extract_slots(self, output_channel, nlg, tracker, extraction_domain(domain))

    async def run_custom_action(self: ActionExtractSlots, custom_action: str, *args: Any) -> List[Event]:
        make = IN_SERVER_MAPPING_ACTIONS.get(custom_action)
        if make is None:
            return await run_remotely(self, custom_action, *args)
        output_channel, nlg, tracker, domain = args
        return await run_in_server(make(), tracker)

    ActionExtractSlots._run_custom_action = run_custom_action
    ActionExtractSlots.run = run
