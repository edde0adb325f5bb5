"""'Where are you?' and 'what happens next?': the place for the seeker's ZIP when we know it."""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot import answers as a
from bot import slots
from bot.actions import conversation, wiring
from bot.screening import screen
from bot.summary import next_step


class ActionAnswerLocation(Action):
    def name(self) -> str:
        return "action_answer_location"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        answers = conversation.answers_of(tracker)
        zip_code = answers.get(a.ZIP_CODE)
        if not zip_code or zip_code == a.UNKNOWN:
            dispatcher.utter_message(response="utter_location_general")
            return []
        dispatcher.utter_message(
            response="utter_location_for_zip", zip_code=zip_code, next_step=_place_to_go(answers, message.language)
        )
        return []


class ActionAnswerNextStep(Action):
    """After the summary, the next step again (the summary may be several texts back); before it,
    what the questions lead to (the intake then asks its question again)."""

    def name(self) -> str:
        return "action_answer_next_step"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        if not tracker.get_slot(slots.SCREENING_DONE):
            dispatcher.utter_message(response="utter_next_step_during_intake")
            return []
        message = conversation.read(tracker)
        dispatcher.utter_message(
            response="utter_next_step_after_intake",
            next_step=_place_to_go(conversation.answers_of(tracker), message.language),
        )
        return []


def _place_to_go(answers: dict, language: str) -> str:
    result = screen(answers, today=wiring.today())
    return next_step(result.referral, answers.get(a.SECTORS) or [], language)
