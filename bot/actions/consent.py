"""Opting out and back in: recorded in the consent ledger, confirmed once."""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import conversation, slots, wiring

# The ledger keeps what the person wrote, cut short: enough to show which words they used.
_KEYWORD_LENGTH = 40


class ActionOptOut(Action):
    def name(self) -> str:
        return "action_opt_out"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        already_out = bool(tracker.get_slot(slots.OPTED_OUT))
        wiring.store().record_opt_out(message.channel, message.address, message.words_sent[:_KEYWORD_LENGTH])
        if not already_out:
            dispatcher.utter_message(response="utter_opted_out")  # confirmed once, never again
        return [SlotSet(slots.OPTED_OUT, True), ActiveLoop(None)]


class ActionOptIn(Action):
    def name(self) -> str:
        return "action_opt_in"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        wiring.store().record_opt_in(message.channel, message.address, message.words_sent[:_KEYWORD_LENGTH])
        dispatcher.utter_message(response="utter_opted_in")
        return [SlotSet(slots.OPTED_OUT, False)]
