"""'Where are you?': the place for the seeker's ZIP when we know it."""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot import answers as a
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
        result = screen(answers, today=wiring.today())
        dispatcher.utter_message(
            response="utter_location_for_zip",
            zip_code=zip_code,
            next_step=next_step(result.referral, answers.get(a.SECTORS) or [], message.language),
        )
        return []
