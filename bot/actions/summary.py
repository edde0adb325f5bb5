"""The end of the intake: screening results explained, stored; corrections after the end."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import slots
from bot.actions import conversation, handoff, rapid_response, wiring
from bot.actions.off_the_loop import OffTheEventLoop
from bot.actions.response_texts import shipped_responses
from bot.sms import sms_body
from bot.actions.intake import keep_answers, next_question_for, read_answers
from bot.answers import SECTORS
from bot.handoff.model import REASON_NEEDS_REVIEW
from bot.screening import screen
from bot.screening.results import ScreeningResult
from bot.sms import MAX_SEGMENTS, segments
from bot.summary import summarize

OFF_TOPIC_INTENT = "out_of_scope"


PROGRAMS_AND_NEXT_STEP = "utter_summary_programs_and_next_step"


def send_summary(dispatcher: CollectingDispatcher, message: conversation.Conversation, answers: dict[str, Any]) -> None:
    tell_results(dispatcher, message, answers)
    dispatcher.utter_message(response="utter_after_summary")


def tell_results(
    dispatcher: CollectingDispatcher,
    message: conversation.Conversation,
    answers: dict[str, Any],
    handoff_follows: bool = False,
) -> ScreeningResult:
    """The screening's results, stored and explained; everything of the summary but the menu.

    `handoff_follows`: a staff review is handed off right after, and the handoff's own message says
    staff will check the answers, so the summary does not say it too (one SMS less)."""
    result = screen(answers, today=wiring.today())
    summary = summarize(result, answers, message.language)
    wiring.store().complete_screening(
        message.channel, message.address, answers, result.as_dict("en"), result.rules_version
    )
    who = {"name_part": conversation.name_part(answers), "sectors": summary.sectors}
    next_step_told = False
    if summary.programs:
        programs = "\n".join(line.text() for line in summary.programs)
        with_next_step = {**who, "programs": programs, "next_step": summary.next_step}
        # One SMS fewer when the next step still fits; a long list of programs keeps it apart.
        next_step_told = fits_one_message(shipped_responses(), PROGRAMS_AND_NEXT_STEP, message.language, with_next_step)
        if next_step_told:
            dispatcher.utter_message(response=PROGRAMS_AND_NEXT_STEP, **with_next_step)
        else:
            dispatcher.utter_message(response="utter_summary_programs", programs=programs, **who)
    else:
        dispatcher.utter_message(response="utter_summary_no_programs", **who)
    if summary.staff_review and not handoff_follows:
        dispatcher.utter_message(response="utter_summary_staff_review")
    if summary.documents:
        dispatcher.utter_message(response="utter_summary_documents", documents="; ".join(summary.documents))
    if not next_step_told:
        dispatcher.utter_message(response="utter_summary_next_step", next_step=summary.next_step)
    return result


def fits_one_message(responses: dict, response: str, language: str, values: dict[str, str]) -> bool:
    """Whether `response` (of `responses`, by name) in `language`, filled with `values`, fits one
    message's segment budget as the SMS channel sends it (folded to GSM-7)."""
    variations = responses.get(response) or []
    for variation in variations:
        spanish = any(condition.get("value") == "es" for condition in variation.get("condition") or [])
        if spanish == (language == "es"):
            body = sms_body(variation["text"].format(**values), None, language)
            return segments(body) <= MAX_SEGMENTS
    return False


class ActionScreeningSummary(OffTheEventLoop):
    def name(self) -> str:
        return "action_screening_summary"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        answers = conversation.answers_of(tracker)
        if next_question_for(answers) is not None:
            # The form stopped before its last question because a person took over
            # (bot/actions/handoff.py): there is nothing to sum up yet.
            return []
        done: list[EventType] = [SlotSet(slots.SCREENING_DONE, True)]
        result = tell_results(dispatcher, message, answers, handoff_follows=True)
        if result.needs_staff_review:
            # A case staff must judge: they text the seeker, instead of the bot's menu and events.
            handed_off = handoff.hand_off(dispatcher, tracker, REASON_NEEDS_REVIEW, review=result.needs_staff_review)
            if handed_off is not None:
                return done + handed_off
            dispatcher.utter_message(response="utter_summary_staff_review")
        dispatcher.utter_message(response="utter_after_summary")
        campaign_id = tracker.get_slot(slots.CAMPAIGN_ID)
        if not (campaign_id and rapid_response.campaign_sessions(dispatcher, int(campaign_id), message.language)):
            suggest_events(dispatcher, answers, message.language)
        return done


def suggest_events(dispatcher: CollectingDispatcher, answers: dict[str, Any], language: str) -> None:
    """Hiring events in the seeker's sectors, offered once the screening is done."""
    from bot.hiring_events import wording

    sectors = set(answers.get(SECTORS) or [])
    if not sectors:
        return
    matching = wiring.event_catalog().list_upcoming(wiring.now(), sectors)[:2]
    if matching:
        listing = wording.short_listing([record.event for record in matching], language)
        dispatcher.utter_message(response="utter_events_for_you", listing=listing)


class ActionAfterScreening(OffTheEventLoop):
    """A message after the summary: a correction ("actually my zip is 60629") updates the answers
    and the summary; anything else gets the menu."""

    def name(self) -> str:
        return "action_after_screening"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        answers = conversation.answers_of(tracker)
        updates, _ = await read_answers(message.text, None, message.language)
        changed = {key: value for key, value in updates.items() if answers.get(key) != value}
        if not changed:
            dispatcher.utter_message(response="utter_menu", name_part=conversation.name_part(answers))
            if message.intent == OFF_TOPIC_INTENT or message.intent_confidence < conversation.CONFIDENT_INTENT:
                # Neither an answer nor a clear request: the menu is the bot's "say that again".
                return handoff.note_misunderstanding(dispatcher, tracker)
            return []
        events = keep_answers(message, answers, changed)
        dispatcher.utter_message(response="utter_answer_updated")
        send_summary(dispatcher, message, answers)
        return events
