"""Starting, running and restarting the intake.

The form asks one question per message. Every message is read for every answer it holds (people
answer out of order, all at once, or correct an earlier answer); the requested question only
decides how to read short replies such as "yes", "2" or a bare number.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection

from bot import answers as a
from bot import slots
from bot.actions import conversation, handoff, rapid_response, wiring
from bot.actions.off_the_loop import OffTheEventLoop
from bot.questions import (
    ASKED_ALONGSIDE,
    CHOICE_QUESTIONS,
    EXPLAINED_QUESTIONS,
    FREE_TEXT_QUESTIONS,
    MILITARY,
    YES_NO_QUESTIONS,
    asked_alongside,
    next_question,
)
from bot.screening import screen
from bot.understanding import dont_know_answers, extract
from bot.understanding.asking import answer_before_question, asks_something, asks_what_it_means, is_a_question
from bot.understanding.asking import opens_with_a_question_word
from bot.understanding.dialogue_input import HELP_KEYWORD_INTENT
from bot.understanding.someone_else import texting_for_someone_else
from bot.understanding.zip_code import names_the_zip_code

# Messages with these intents are questions or requests, not answers: the intake lets the rules
# answer them and then asks its question again.
INTERRUPTING_INTENTS = frozenset(
    {
        "opt_out", "opt_in", "help", HELP_KEYWORD_INTENT, "request_human", "express_frustration", "ask_wioa",
        "ask_cost", "ask_training_length", "ask_pay", "ask_next_step", "ask_why_contacted", "ask_unemployment",
        "ask_work_papers", "ask_record", "ask_final_pay", "ask_requirements", "ask_location", "ask_bot", "ask_events",
        "cancel_registration", "switch_language", "start_over", "thanks", "goodbye", "out_of_scope",
        "list_registrations", "event_offer", "event_reminder", "event_followup",
    }
)

# Questions with one fixed answer, said also when the message answers the intake too ("60623, es
# gratis?", "no tengo papeles, puedo recibir ayuda?"): the answers are kept and the question is not
# left unanswered. The same responses the question rules (flows/questions) say.
FIXED_ANSWERS = {
    "ask_wioa": "utter_what_is_wioa",
    "ask_cost": "utter_cost",
    "ask_training_length": "utter_training_length",
    "ask_pay": "utter_pay",
    "ask_unemployment": "utter_unemployment",
    "ask_work_papers": "utter_work_papers",
    "ask_record": "utter_record",
    "ask_final_pay": "utter_final_pay",
    "ask_requirements": "utter_requirements",
}

# A question mark and a clear top intent are enough to say a fixed answer beside the answers:
# "60623, es gratis?" scores ask_cost about 0.5. Saying "it is free" to the wrong question costs
# little. When the message is an answer then a question ("60623, is it free?"), the answer's words
# pull the model toward `inform`: the question's intent as the runner-up is enough then.
FIXED_ANSWER_CONFIDENCE = 0.5
FIXED_ANSWER_BESIDE_AN_ANSWER_CONFIDENCE = 0.3

FORM_NAME = "intake_form"
# The third reply in a row the intake cannot read as an answer moves on (the second brought the
# offer of a person).
SKIP_AFTER_MISREAD_REPLIES = 3
# A name, a company or a date can be any words, so only a question the model is sure of stops
# the intake there: "la fabrica de dulces Ferrara" (the company) scored "ask_events" at 0.66.
FREE_TEXT_INTERRUPTION = 0.8


def free_text_interruption(intent: str | None) -> float:
    """How sure of a request the model must be to take a name, a company or a date for it. An
    opt-out needs only the usual confidence: a missed one is a compliance failure, a wrong one
    costs a confirmation that says how to rejoin ("stpo" is no name)."""
    return conversation.CONFIDENT_INTENT if intent == "opt_out" else FREE_TEXT_INTERRUPTION

logger = logging.getLogger(__name__)

# Intents a "what is that?" about the pending question tends to get; a clear request (stop, a
# person, another language) is never taken for one. Any intent the model is unsure of counts too
# ("whats snap?" can score a greeting at 0.26, from "whats up").
ASKING_ABOUT_THE_QUESTION = frozenset({"help", "ask_wioa", "ask_bot", "out_of_scope", "inform", "dont_know", None})

_HINTS = {
    a.ZIP_CODE: "utter_invalid_zip_code",
    a.AGE: "utter_invalid_age",
    a.BIRTH_YEAR: "utter_invalid_age",
    a.FAMILY_INCOME: "utter_invalid_family_income",
}


def hint_for(question: str | None) -> str:
    if question in _HINTS:
        return _HINTS[question]
    if question in CHOICE_QUESTIONS:
        return "utter_pick_from_list"
    if question in YES_NO_QUESTIONS:
        return "utter_answer_yes_no"
    return "utter_did_not_understand"


def _military_choice(updates: dict[str, Any]) -> str | None:
    """The `military` slot records that the combined question was answered, and how."""
    if a.VETERAN not in updates and a.MILITARY_SPOUSE not in updates:
        return None
    if updates.get(a.VETERAN) is True:
        return "veteran"
    if updates.get(a.MILITARY_SPOUSE) is True:
        return "military_spouse"
    if updates.get(a.VETERAN) == a.UNKNOWN:
        return a.UNKNOWN
    return "neither"


# Reading a message runs beside the action server's event loop, in a pool of its own, so other
# conversations' actions keep running while a long message is read; a reading that overruns its
# budget is given up (the message counts as not understood). The pool is small on purpose: many
# long messages at once wait for each other, not for every conversation. The budget counts the
# wait for a reader too, so it must leave room for a loaded machine: a reading takes about 2 ms,
# but at 0.5 s the two-instance test (two instances and a test run on two cores, load about 8)
# once stored no sector from its ordinary first message, most likely left unread this way.
_READERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="read-answers")
READING_BUDGET_SECONDS = 3.0


async def read_answers(
    text: str, requested: str | None, language: str, alongside: str | None = None
) -> tuple[dict[str, Any], bool]:
    """(answers found in the message, whether it was understood as a reply to `requested`, or to
    the question asked `alongside` it)."""
    reading = asyncio.get_running_loop().run_in_executor(
        _READERS,
        partial(extract, text, requested=requested, language=language, today=wiring.today(), alongside=alongside),
    )
    try:
        extraction = await asyncio.wait_for(reading, READING_BUDGET_SECONDS)
    except asyncio.TimeoutError:
        logger.warning("a message of %d characters took over %.1f s to read; left unread", len(text), READING_BUDGET_SECONDS)
        return {}, False
    updates = dict(extraction.answers)
    if updates.get(a.VETERAN) is True:
        updates.setdefault(a.MILITARY_SPOUSE, False)  # the one question is answered
    return updates, bool(updates) or extraction.dont_know


def keep_answers(message: conversation.Conversation, answers: dict[str, Any], updates: dict[str, Any]) -> list[EventType]:
    """Adds `updates` to `answers`, stores them, and returns the slot events that record them."""
    answers.update(updates)
    wiring.store().save_answers(message.channel, message.address, answers)
    events: list[EventType] = conversation.slot_events(updates)
    choice = _military_choice(updates)
    if choice:
        events.append(SlotSet(MILITARY, choice))
    return events


def next_question_for(answers: dict[str, Any]) -> str | None:
    today = wiring.today()
    result = screen(answers, today=today)
    return next_question(answers, today, result.selective_service_required)


def asked_alongside_for(question: str | None, answers: dict[str, Any]) -> str | None:
    if question not in ASKED_ALONGSIDE:
        return None  # without screening the answers (a third of a millisecond), as for most questions
    today = wiring.today()
    return asked_alongside(question, answers, today, screen(answers, today=today).selective_service_required)


def is_interruption(message: conversation.Conversation) -> bool:
    return message.intent in INTERRUPTING_INTENTS and message.intent_confidence >= conversation.CONFIDENT_INTENT


NOTICE_ASKING_THE_NAME = "utter_consent_notice_ask_first_name"


def someone_else_is_looking(tracker: Tracker, message: conversation.Conversation, updates: dict[str, Any]) -> bool:
    """Whether to tell the seeker, this once, that the questions are about the person who wants
    the job ("my son is 17 and needs a job"). Such a text never gives the texter's sex to the
    person looking ("im a single mom, my son needs work"), so it is taken out of `updates`."""
    if not texting_for_someone_else(message.text):
        return False
    updates.pop(a.SEX, None)
    return not tracker.get_slot(slots.FOR_SOMEONE_ELSE)


ANSWERING_FOR_SOMEONE_ELSE = "utter_answering_for_someone_else"


class ActionStartIntake(OffTheEventLoop):
    """First message of a conversation (or of a new session): consent notice, then the intake.

    What the first message already says ("busco trabajo en hoteles") is kept, so it is not asked.
    """

    def name(self) -> str:
        return "action_start_intake"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        if tracker.get_slot(slots.OPTED_OUT):
            # Nothing is said to a person who opted out (bot/nlg.py); the intake does not start
            # either, so nothing changes until they opt back in.
            return [FollowupAction("action_listen")]
        answers = conversation.answers_of(tracker)
        events: list[EventType] = []
        owes_the_notice = False
        if not tracker.get_slot(slots.CONSENT_NOTICE_SHOWN):
            wiring.store().record_consent_notice(message.channel, message.address, message.language)
            # A worker answering a WARN outreach text already had our name, rates, STOP and HELP in it.
            from_campaign = rapid_response.welcome_from_campaign(dispatcher, message, answers)
            if from_campaign is None:
                owes_the_notice = True
            else:
                known, campaign_events = from_campaign
                events += campaign_events + keep_answers(message, answers, known)
            wiring.schedule_nudge(message.channel, message.address)
            events.append(SlotSet(slots.CONSENT_NOTICE_SHOWN, True))
        elif answers:
            dispatcher.utter_message(response="utter_welcome_back", name_part=conversation.name_part(answers))
        # "i need help" as a first message asks for nothing but the intake (flows/intake/rules.yml):
        # it is read for answers, and the notice can ask the name.
        interrupted = is_interruption(message) and message.intent != "help"
        for_someone_else = False
        if not interrupted:
            # A seeker coming back may simply answer the question that was pending.
            pending = tracker.get_slot(slots.REQUESTED_SLOT) if answers else None
            updates, _ = await read_answers(message.text, pending, message.language)
            for_someone_else = someone_else_is_looking(tracker, message, updates)
            if updates:
                events += keep_answers(message, answers, updates)
        elif a.SECTORS not in answers:
            # A question names what it is about ("what is SNAP?" is no SNAP card), but the work it
            # asks about is the work wanted: "how long is CNA training", "how do I get my CDL".
            updates, _ = await read_answers(message.text, None, message.language)
            if updates.get(a.SECTORS):
                events += keep_answers(message, answers, {a.SECTORS: updates[a.SECTORS]})
        if owes_the_notice:
            # Read first, so the notice can carry the first question when that is the name
            # (one SMS segment instead of three); the intake then does not ask it again.
            asks_the_name = not interrupted and not for_someone_else and next_question_for(answers) == a.FIRST_NAME
            dispatcher.utter_message(response=NOTICE_ASKING_THE_NAME if asks_the_name else "utter_consent_notice")
        if for_someone_else:
            dispatcher.utter_message(response=ANSWERING_FOR_SOMEONE_ELSE)
            events.append(SlotSet(slots.FOR_SOMEONE_ELSE, True))
        return events


def ask(
    dispatcher: CollectingDispatcher, tracker: Tracker, question: str, answers: dict[str, Any],
    notice_options: list[int],
) -> None:
    """Says the question for `question` (the answers and the notice options are this turn's)."""
    if question == a.FIRST_NAME:
        # The consent notice may have just asked it.
        if not conversation.said_since_latest_message(tracker, NOTICE_ASKING_THE_NAME):
            dispatcher.utter_message(response="utter_ask_first_name")
    elif question == a.FAMILY_INCOME and isinstance(answers.get(a.FAMILY_SIZE), int):
        # A reply gave only the size: only the income is asked again, with the size it was given
        # ("About what does your family of 3 earn a year?").
        dispatcher.utter_message(response="utter_ask_family_income_amount", family_size=answers[a.FAMILY_SIZE])
    elif question == a.WARN_NOTICE:
        rapid_response.ask_which_notice(dispatcher, notice_options, tracker.get_slot(slots.LANGUAGE) or "en")
    else:
        # The question with the yes/no one paired with it while that is still open
        # (bot/questions.py ASKED_ALONGSIDE): "How old are you, and are you allowed to work?".
        other = asked_alongside_for(question, answers)
        dispatcher.utter_message(response=f"utter_ask_{question}_and_{other}" if other else f"utter_ask_{question}")


class ActionIntakeForm(OffTheEventLoop):
    """The intake, one call per message: reads the reply, keeps every answer it holds, and asks the
    next question; at the end it closes the loop and the summary follows (a rule).

    `intake_form` is declared as a form in the domain, so the rules, the rule policy and
    `rasa test` treat it as one (its rejections included), and as an action of the same name, so
    Rasa runs this action instead of its FormAction. That form made, each turn, a call to the
    validation action, often a second one to ask the question, two replays of the session into
    temporary trackers and a slot extraction at activation (README "CPU per intake turn").

    It keeps the form's contract: when the loop is already active and the message is read for the
    first time, a reply that answers nothing while a question is pending is rejected (Rasa's
    rules then answer the message, and the intake asks again when it comes back); otherwise the
    question chosen is asked, and no question left ends the loop.
    """

    def name(self) -> str:
        return FORM_NAME

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        active = (tracker.active_loop or {}).get("name") == FORM_NAME
        events: list[EventType] = [] if active else [ActiveLoop(FORM_NAME)]
        answers = conversation.answers_of(tracker)
        if conversation.is_fresh_reply(tracker, FORM_NAME):
            requested = tracker.get_slot(slots.REQUESTED_SLOT) if active else None
            reading = await self._read_reply(dispatcher, tracker, answers, requested)
            answered = any(_is_slot_set(event) and event["name"] != slots.REQUESTED_SLOT for event in reading)
            if requested and not answered:
                raise ActionExecutionRejection(FORM_NAME, f"no answer to {requested} in the message")
            events += reading
        else:
            # Activation (the start action already read the message) or a return after a rule
            # answered it: only choose the question to ask.
            events.append(SlotSet(slots.REQUESTED_SLOT, next_question_for(answers)))
        set_now = {event["name"]: event["value"] for event in events if _is_slot_set(event)}
        question = set_now[slots.REQUESTED_SLOT]
        if question is None:
            return events + [ActiveLoop(None)]
        notice_options = set_now.get(slots.NOTICE_OPTIONS, tracker.get_slot(slots.NOTICE_OPTIONS)) or []
        ask(dispatcher, tracker, question, answers, notice_options)
        # The question is asked and the loop stays active: Rasa's rule policy would predict
        # listening next (the form's happy path); saying so spares the turn a run of the policy.
        return events + [FollowupAction("action_listen")]

    async def _read_reply(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, answers: dict[str, Any], requested: str | None
    ) -> list[EventType]:
        """The events of reading the seeker's reply; `answers` gets what it holds. Ends with the
        requested slot: the question to ask now (None when none is left)."""
        message = conversation.read(tracker)
        if requested == a.WARN_NOTICE:
            return self._notice_picked(dispatcher, tracker, message, answers)
        # The answers are those the question was asked with, so this is what it asked alongside.
        alongside = asked_alongside_for(requested, answers)
        # "28 y si, cuanto dura la capacitacion?": the answer is read without the question it ends
        # with, which is answered on its own (FIXED_ANSWERS).
        fixed_question = fixed_question_asked(message)
        answer_part = answer_before_question(message.text) if fixed_question else None
        updates, understood = await read_answers(answer_part or message.text, requested, message.language, alongside)
        if answer_part and not understood:
            updates, understood = await read_answers(message.text, requested, message.language, alongside)
        if (
            requested in EXPLAINED_QUESTIONS
            and (message.intent in ASKING_ABOUT_THE_QUESTION or message.intent_confidence < conversation.CONFIDENT_INTENT)
            and asks_what_it_means(message.text)
            and (opens_with_a_question_word(message.text) or not updates)  # "what is snap?" states nothing
            and (requested != a.ZIP_CODE or names_the_zip_code(message.text))
        ):
            # "What is that?" about the question itself: explain it, then ask it again.
            dispatcher.utter_message(response=f"utter_explain_{requested}")
            return [SlotSet(requested, None), SlotSet(slots.REQUESTED_SLOT, requested)]
        if is_interruption(message) and (
            message.intent_confidence >= free_text_interruption(message.intent)
            if requested in FREE_TEXT_QUESTIONS
            else not (await read_answers(message.text, None, message.language))[0]
            and not await _answers_before_the_question(message, requested, alongside)
        ):
            # No answer here: the intake steps aside for the rules (rejected above), and when it
            # comes back after them it asks its question again.
            return [SlotSet(slots.REQUESTED_SLOT, next_question_for(answers))]

        if understood and fixed_question:
            dispatcher.utter_message(response=FIXED_ANSWERS[fixed_question])
        if understood and requested and all(answers.get(key) == value for key, value in updates.items()):
            # Only answers already given ("cuarto año, no estudio ahora" read as "not in school"
            # again while the schooling is asked): nothing new, so it counts as a reply not read,
            # or the same question would be asked for ever.
            understood = False

        settled: list[EventType] = []
        if someone_else_is_looking(tracker, message, updates):
            dispatcher.utter_message(response=ANSWERING_FOR_SOMEONE_ELSE)
            settled.append(SlotSet(slots.FOR_SOMEONE_ELSE, True))
            understood = True  # "im texting for my son" is no misread answer: the question comes again
        if not understood and requested:
            if handoff.misunderstood_with_this_one(tracker) < SKIP_AFTER_MISREAD_REPLIES:
                # A question the intake has no answer for ("what time do yall close") is not a
                # bad ZIP or a bad yes/no: say so and point to staff. A list's hint still fits a
                # question about the list ("wat kinda jobs u got").
                asked_something = requested not in CHOICE_QUESTIONS and is_a_question(message.text)
                dispatcher.utter_message(response="utter_cannot_answer_that" if asked_something else hint_for(requested))
                counted = handoff.note_misunderstanding(dispatcher, tracker)
                # Setting the requested slot (to empty) keeps the intake in charge: it asks again.
                return counted + [SlotSet(requested, None), SlotSet(slots.REQUESTED_SLOT, requested)]
            # Asked again and again, the question would never end: it is left for staff, as
            # "I don't know" leaves it (an unknown answer is checked, never held against anyone).
            dispatcher.utter_message(response="utter_question_left_for_staff")
            updates = dont_know_answers(requested)
            settled = handoff.misunderstandings_settled()

        corrected = [key for key, value in updates.items() if answers.get(key) not in (None, value)]
        if corrected:
            dispatcher.utter_message(response="utter_answer_updated")
        lookup = rapid_response.notice_for_named_employer(dispatcher, answers, updates)
        updates.update(lookup.answers)
        events = settled + keep_answers(message, answers, updates)
        if lookup.options:
            # Several employers fit the name: the worker picks theirs before the next question.
            return events + [SlotSet(slots.NOTICE_OPTIONS, lookup.options), SlotSet(slots.REQUESTED_SLOT, a.WARN_NOTICE)]
        events.append(SlotSet(slots.REQUESTED_SLOT, next_question_for(answers)))
        return events

    @staticmethod
    def _notice_picked(dispatcher, tracker, message, answers) -> list[EventType]:
        options = tracker.get_slot(slots.NOTICE_OPTIONS) or []
        picked = rapid_response.picked_notice(message.text, options, message.language)
        if picked is None:
            dispatcher.utter_message(response="utter_pick_from_list")
            counted = handoff.note_misunderstanding(dispatcher, tracker)
            return counted + [SlotSet(a.WARN_NOTICE, None), SlotSet(slots.REQUESTED_SLOT, a.WARN_NOTICE)]
        events = keep_answers(message, answers, picked)
        return events + [SlotSet(slots.NOTICE_OPTIONS, None), SlotSet(slots.REQUESTED_SLOT, next_question_for(answers))]


def fixed_question_asked(message: conversation.Conversation) -> str | None:
    """The intent of a question with a fixed answer the message asks, if any: its top intent with a
    question in it, or, for an answer followed by a question, either of its top two."""
    if not asks_something(message.text):
        return None
    if message.intent in FIXED_ANSWERS and message.intent_confidence >= FIXED_ANSWER_CONFIDENCE:
        return message.intent
    if answer_before_question(message.text):
        for intent, confidence in ((message.intent, message.intent_confidence), *message.runners_up[:1]):
            if intent in FIXED_ANSWERS and confidence >= FIXED_ANSWER_BESIDE_AN_ANSWER_CONFIDENCE:
                return intent
    return None


async def _answers_before_the_question(message: conversation.Conversation, requested: str | None, alongside: str | None) -> bool:
    """Whether a message that ends with a question starts with the answer asked for: "28 y si,
    cuanto dura la capacitacion?" answers the age; the question is answered too (FIXED_ANSWERS)."""
    if message.intent not in FIXED_ANSWERS:
        return False  # a question only a rule answers (where are you?) still interrupts
    answer = answer_before_question(message.text)
    return bool(answer and requested and (await read_answers(answer, requested, message.language, alongside))[0])


def _is_slot_set(event: EventType) -> bool:
    return event.get("event") == "slot"


class ActionRestartIntake(OffTheEventLoop):
    def name(self) -> str:
        return "action_restart_intake"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        wiring.store().restart_screening(message.channel, message.address)
        dispatcher.utter_message(response="utter_restarting")
        events: list[EventType] = [SlotSet(name, None) for name in slots.ANSWER_SLOTS]
        events += [SlotSet(slots.SCREENING_DONE, False), SlotSet(slots.REQUESTED_SLOT, None)]
        return events
