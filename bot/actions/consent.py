"""Opting out and back in: recorded in the consent ledger, confirmed once."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import slots
from bot.actions import conversation, wiring
from bot.actions.off_the_loop import OffTheEventLoop

# The ledger keeps the keyword the channel recognised (STOP, BAJA, /stop), never the person's own
# words: a request made in a sentence ("stop texting me, I got the job at...") is recorded as
# made in words, and the sentence stays out of a ledger that is kept for good.
_KEYWORD_LENGTH = 40
IN_WORDS = "(in words)"


def ledger_keyword(message: conversation.Conversation) -> str:
    keyword = message.metadata.get("keyword")
    return str(keyword)[:_KEYWORD_LENGTH] if keyword else IN_WORDS


class ActionOptOut(OffTheEventLoop):
    def name(self) -> str:
        return "action_opt_out"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        already_out = bool(tracker.get_slot(slots.OPTED_OUT))
        wiring.store().record_opt_out(message.channel, message.address, ledger_keyword(message))
        if not already_out:
            dispatcher.utter_message(response="utter_opted_out")  # confirmed once, never again
        return [SlotSet(slots.OPTED_OUT, True), ActiveLoop(None)]


class ActionOptIn(OffTheEventLoop):
    def name(self) -> str:
        return "action_opt_in"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        wiring.store().record_opt_in(message.channel, message.address, ledger_keyword(message))
        dispatcher.utter_message(response="utter_opted_in")
        return [SlotSet(slots.OPTED_OUT, False)]
