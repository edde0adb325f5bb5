"""Handing the conversation to a staff member.

The bot opens a handoff in the staff queue when the seeker asks for a person, is upset, or ends a
screening that needs staff judgement, and tells the seeker, in their language, when to expect a
text back. Only a person who asked for staff has the bot step aside (bot.handoff.model.pauses_the_bot,
applied by the channel processor, bot/channels/processing.py): even then it still answers STOP,
HELP, events and registrations, and outside business hours it says so. Replies the bot cannot read
never hand anyone over: after two in a row it offers a person and goes on helping.
"""
from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import slots
from bot.actions import conversation, wiring
from bot.actions.off_the_loop import OffTheEventLoop
from bot.answers import SECTORS
from bot.handoff.model import (
    REASON_ASKED,
    REASON_NEEDS_REVIEW,
    REASON_UPSET,
    expected_wait,
    priority_for,
    team_for,
)

FRUSTRATION_INTENT = "express_frustration"
# The second reply in a row the bot cannot read brings the offer of a person with the usual
# "say that again", and every second one after it, so a seeker who keeps missing hears it again.
MISUNDERSTANDINGS_BEFORE_OFFER = 2
OFFER_PERSON_RESPONSE = "utter_offer_person"

_OPENED_RESPONSES = {
    REASON_ASKED: "utter_handoff_asked",
    REASON_UPSET: "utter_handoff_upset",
    REASON_NEEDS_REVIEW: "utter_handoff_review",
}
_STILL_WAITING_RESPONSE = "utter_handoff_waiting"
# Asked for outside business hours: when staff will answer, and what the bot still does meanwhile.
_ASKED_AFTER_HOURS_RESPONSE = "utter_handoff_asked_after_hours"


def hand_off(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, review: Sequence[str] = ()
) -> list[EventType] | None:
    """Puts the seeker in the staff queue and says when a person will text. A seeker already in
    the queue keeps their place and hears the wait again. None when nobody can be handed over:
    a person who opted out is not texted, by staff either."""
    if tracker.get_slot(slots.OPTED_OUT):
        return None
    message = conversation.read(tracker)
    answers = conversation.answers_of(tracker)
    chosen = answers.get(SECTORS)
    sectors = list(chosen) if isinstance(chosen, list) else []
    now = wiring.now()
    _, is_new = wiring.handoff_store().open_handoff(
        message.channel,
        message.address,
        reason=reason,
        language=message.language,
        sectors=sectors,
        team=team_for(sectors),
        priority=priority_for(answers),
        summary=_summary_for_staff(message, answers, review),
        now=now,
    )
    calendar, judged_at = wiring.business_calendar(), wiring.business_now()
    wait = expected_wait(judged_at, calendar, message.language)
    response = _OPENED_RESPONSES[reason] if is_new else _STILL_WAITING_RESPONSE
    if is_new and reason == REASON_ASKED and not calendar.is_open(judged_at):
        response = _ASKED_AFTER_HOURS_RESPONSE
    dispatcher.utter_message(response=response, wait=wait)
    # The misunderstandings that led here are settled; after the handoff the count starts over.
    return misunderstandings_settled()


def _summary_for_staff(
    message: conversation.Conversation, answers: dict[str, Any], review: Sequence[str]
) -> dict[str, Any]:
    """What staff see before reading the transcript: the answers so far and the stored screening."""
    screening = wiring.store().latest_screening(message.channel, message.address)
    return {
        "answers": answers,
        "screening": None
        if screening is None
        else {
            "status": screening.status,
            "results": screening.results,
            "rules_version": screening.rules_version,
            "completed_at": screening.completed_at.isoformat() if screening.completed_at else None,
        },
        "needs_staff_review": list(review),
    }


def note_misunderstanding(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Counts a reply the bot could not read, after the caller's own "say that again". The
    second in a row adds the offer of a person ("Reply AGENT ..."); nobody is handed over and
    the caller goes on asking: only the seeker decides to leave the bot."""
    latest, previous = _latest_two_user_messages(tracker)
    count = _in_a_row_after(previous, tracker)
    if count % MISUNDERSTANDINGS_BEFORE_OFFER == 0 and not tracker.get_slot(slots.OPTED_OUT):
        dispatcher.utter_message(response=OFFER_PERSON_RESPONSE)
    return [SlotSet(slots.MISUNDERSTOOD_IN_A_ROW, count), SlotSet(slots.MISUNDERSTOOD_MESSAGE, latest)]


def misunderstood_with_this_one(tracker: Tracker) -> int:
    """How many replies in a row the bot could not read, counting the latest as one of them."""
    return _in_a_row_after(_latest_two_user_messages(tracker)[1], tracker)


def _in_a_row_after(previous: str | None, tracker: Tracker) -> int:
    """The count with the latest message, when `previous` (the message before it) is the last one
    counted; a message understood in between starts it over at 1."""
    if previous is not None and previous == tracker.get_slot(slots.MISUNDERSTOOD_MESSAGE):
        return int(tracker.get_slot(slots.MISUNDERSTOOD_IN_A_ROW) or 0) + 1
    return 1


def misunderstandings_settled() -> list[EventType]:
    return [SlotSet(slots.MISUNDERSTOOD_IN_A_ROW, 0), SlotSet(slots.MISUNDERSTOOD_MESSAGE, None)]


def _latest_two_user_messages(tracker: Tracker) -> tuple[str | None, str | None]:
    """Ids of the seeker's latest message and of the one before it (None if there is none in this
    session). A message understood in between breaks the chain, with no slot to reset."""
    user_messages = (event for event in reversed(tracker.events) if event.get("event") == "user")
    ids = [str(event.get("message_id") or event.get("timestamp")) for event in islice(user_messages, 2)]
    return (ids[0] if ids else None), (ids[1] if len(ids) > 1 else None)


class ActionHandOff(OffTheEventLoop):
    """The seeker asked for a person ("agent", "0", "quiero hablar con alguien") or is upset."""

    def name(self) -> str:
        return "action_hand_off"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        reason = REASON_UPSET if message.intent == FRUSTRATION_INTENT else REASON_ASKED
        events = hand_off(dispatcher, tracker, reason) or []
        # Whatever form was open ends here (the event dialogue forgets its step); the intake
        # resumes where it stopped when the seeker writes after staff close the handoff.
        return events + [ActiveLoop(None), SlotSet(slots.EVENT_STEP, None), SlotSet(slots.EVENT_OPTIONS, None)]
