"""Keeps the `language` slot right on every message (a custom slot mapping action).

It runs inside the Rasa server (bot/slot_mappings.py), which gives it a tracker holding only the
slots and the latest message: it must read nothing else."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import slots
from bot.actions import conversation, wiring
from bot.actions.off_the_loop import OffTheEventLoop
from bot.language import choose_language


class ActionDetectLanguage(OffTheEventLoop):
    def name(self) -> str:
        return "action_detect_language"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        current = tracker.get_slot(slots.LANGUAGE)
        message = conversation.read(tracker)
        if not message.text:
            return []
        target = message.metadata.get("switch_to")
        if message.is_forced_intent and target in ("en", "es"):
            if target != current:
                wiring.store().set_language(message.channel, message.address, target)
            return [SlotSet(slots.LANGUAGE, target)] if target != current else []
        if message.is_forced_intent:
            # A keyword the channel turned into an intent: its language, if it has one,
            # decides only for someone we have not heard from in words yet ("ALTO" first).
            keyword_language = message.metadata.get("keyword_language")
            if current is None and keyword_language in ("en", "es"):
                return [SlotSet(slots.LANGUAGE, keyword_language)]
            return []
        chosen = choose_language(current, message.text)
        if chosen == current:
            return []
        if current is not None:
            # Only a switch is worth a write; the first guess is stored with the consent notice.
            wiring.store().set_language(message.channel, message.address, chosen)
        return [SlotSet(slots.LANGUAGE, chosen)]
