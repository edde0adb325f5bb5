"""The hiring-event dialogue by text, pure: given where the dialogue stands and the person's reply,
what happens next. As bot/questions.py is for the intake; the Rasa actions (bot/actions/events.py)
load what a step needs, carry out the decision against the stores and say it.

    choose ─► (name) ─► confirm ─► question* ─► registered
       │                   └─ full ─► waitlist
    cancel_which ─► cancel_confirm          offer / reminder / followup (sent by the scheduler)

    read_reply(CONFIRM, Reply("yes", None), Context(event=event))   # Next(REGISTER, answers={})
    read_reply(OFFER, Reply("2", None), Context())                  # Next(DECLINE_OFFER)
    after_registering("full", answers, opens_known=False)           # Next(MOVE, step=WAITLIST, ...)
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.hiring_events.model import WINDOW_CLOSED, WINDOW_NOT_OPEN_YET, WINDOW_PAST, Event, EventQuestion, localized
from bot.understanding.events import EventLabel, events_named, pick_from_list
from bot.understanding.names import parse_first_name
from bot.understanding.numbered_choices import select_choice
from bot.understanding.yes_no import parse_yes_no

# Where the dialogue stands (the `event_step` slot).
CHOOSE, NAME, CONFIRM, QUESTION, WAITLIST = "choose", "name", "confirm", "question", "waitlist"
CANCEL_WHICH, CANCEL_CONFIRM = "cancel_which", "cancel_confirm"
OFFER, REMINDER, FOLLOWUP = "offer", "reminder", "followup"
STEPS = (CHOOSE, NAME, CONFIRM, QUESTION, WAITLIST, CANCEL_WHICH, CANCEL_CONFIRM, OFFER, REMINDER, FOLLOWUP)

# The intents the scheduler sends and the step each opens.
TRIGGERED_STEPS = {"event_offer": OFFER, "event_reminder": REMINDER, "event_followup": FOLLOWUP}
# The follow-up's numbered answers and the outcome each records.
OUTCOMES = {1: "offer", 2: "no_offer", 3: "no_show"}
MAX_LISTED = 5  # an SMS-sized list
# A free-text answer to an event question is a short preference (the store cuts it there too).
ANSWER_TEXT_MAX = 200
# Replies that end the choice of an event without one ("no thanks", "bye").
_DECLINING_INTENTS = frozenset({"deny", "goodbye", "thanks"})
# "Say that again" for the steps whose reply is not a number (the step's question follows).
AGAIN_RESPONSES = {CHOOSE: "utter_event_pick_by_number_or_name", NAME: "utter_did_not_understand"}
PICK_AGAIN_RESPONSE = "utter_event_pick_again"
_YES_NO_BUTTONS = ({"title": "yes", "payload": "1"}, {"title": "no", "payload": "2"})

# What happens next (Next.action).
MOVE = "move"  # stay in the dialogue at `step` (with the slot values given)
FINISH = "finish"  # end the dialogue, saying `response` if any
NOT_UNDERSTOOD = "not_understood"  # the reply answers nothing `step` asks: ask again
START = "start"  # the person picked the event `event_code`: open its registration
SAVE_NAME = "save_name"  # keep `name`, then confirm
REGISTER = "register"  # register with `answers` (on the waitlist when `join_waitlist`)
CONFIRM_SEAT = "confirm_seat"  # a seat is theirs: plan the reminders, say the details
CANCEL = "cancel"  # cancel the registration under discussion
KEEP = "keep"  # they keep it after all
ACCEPT_OFFER, DECLINE_OFFER = "accept_offer", "decline_offer"
CONFIRM_ATTENDANCE = "confirm_attendance"
RECORD_OUTCOME = "record_outcome"  # the follow-up's answer: `outcome`


@dataclass(frozen=True)
class Reply:
    text: str
    intent: str | None
    language: str = "en"


@dataclass(frozen=True)
class Context:
    """What the current step needs to read a reply; the actions load it from the stores.

    `event`: the event being registered for (confirm, question, waitlist). `answers`: the event
    questions answered so far. `listed`: the events on the list shown (choose). `every_upcoming`:
    called only when the reply names no listed event (one more query, seldom needed).
    `options`: the registration ids listed (cancel_which)."""

    event: Event | None = None
    answers: Mapping[str, Any] = field(default_factory=dict)
    listed: Sequence[EventLabel] = ()
    every_upcoming: Callable[[], Sequence[EventLabel]] = tuple
    options: Sequence[int] = ()


@dataclass(frozen=True)
class Next:
    action: str
    step: str | None = None
    response: str | None = None
    event_code: str | None = None
    registration_id: int | None = None
    answers: Mapping[str, Any] | None = None
    join_waitlist: bool = False
    name: str | None = None
    outcome: str | None = None


def yes_or_no(text: str) -> str | None:
    """'1'/'yes'/'si' -> 'yes', '2'/'no' -> 'no' (the buttons are always yes first)."""
    picked = select_choice(text, list(_YES_NO_BUTTONS))
    if picked is not None:
        return "yes" if picked == "1" else "no"
    answer = parse_yes_no(text)
    return answer if answer in ("yes", "no") else None


def pick_number(text: str, count: int) -> int | None:
    """The 1-based option a reply picks out of `count` numbered ones."""
    buttons = [{"title": str(number), "payload": str(number)} for number in range(1, count + 1)]
    picked = select_choice(text, buttons)
    return int(picked) if picked is not None else None


def next_question(event: Event, answers: Mapping[str, Any]) -> EventQuestion | None:
    """The event's first question not answered yet."""
    return next((question for question in event.questions if question.key not in answers), None)


def opening(window: str, *, already_registered: bool, knows_name: bool) -> Next:
    """The person picked an event: say why they cannot register, or go on to confirm (asking
    their name first when we do not know it)."""
    if window == WINDOW_NOT_OPEN_YET:
        return Next(FINISH, response="utter_event_not_open_yet")
    if window in (WINDOW_CLOSED, WINDOW_PAST):
        return Next(FINISH, response="utter_event_closed")
    if already_registered:
        return Next(FINISH, response="utter_event_already_registered")
    return Next(MOVE, step=CONFIRM if knows_name else NAME, answers={})


def after_registering(kind: str, answers: Mapping[str, Any], *, opens_known: bool) -> Next:
    """What the registration store's outcome (RegistrationOutcome.kind) means for the person."""
    if kind == "registered":
        return Next(CONFIRM_SEAT)
    if kind == "already_registered":
        return Next(FINISH, response="utter_event_already_registered")
    if kind in ("waitlisted", "already_waitlisted"):
        return Next(FINISH, response="utter_event_waitlisted")
    if kind == "full":
        return Next(MOVE, step=WAITLIST, answers=dict(answers))
    if kind == "not_open_yet" and opens_known:
        return Next(FINISH, response="utter_event_not_open_yet")
    return Next(FINISH, response="utter_event_closed")


def after_offer_answer(kind: str) -> Next:
    """What the registration store's answer to an accepted offer (OfferOutcome.kind) means: the
    seat, or sorry, it went (and whoever it went to next is offered it)."""
    if kind in ("registered", "already_registered"):
        return Next(CONFIRM_SEAT)
    return Next(FINISH, response="utter_event_offer_gone")


def read_reply(step: str | None, reply: Reply, context: Context) -> Next:
    """What the person's reply at `step` does. A step the dialogue does not know ends it."""
    reader = _READERS.get(step or "")
    if reader is None:
        return Next(FINISH)
    return reader(reply, context)


def _read_choice(reply: Reply, context: Context) -> Next:
    listed = list(context.listed)
    number = pick_number(reply.text, len(listed)) or pick_from_list(reply.text, listed)
    if number:
        return Next(START, event_code=listed[number - 1].code)
    # An event named that the list left out (a list by sector, a code typed).
    named = events_named(reply.text, list(context.every_upcoming()))
    if len(named) == 1:
        return Next(START, event_code=named[0])
    said = yes_or_no(reply.text)
    if said == "yes" and len(listed) == 1:
        return Next(START, event_code=listed[0].code)  # one event listed: "yes" is that one
    if said == "no" or reply.intent in _DECLINING_INTENTS:
        return Next(FINISH, response="utter_event_not_signed_up")
    return Next(NOT_UNDERSTOOD, step=CHOOSE)


def _read_name(reply: Reply, context: Context) -> Next:
    name = parse_first_name(reply.text)
    return Next(SAVE_NAME, step=CONFIRM, name=name) if name else Next(NOT_UNDERSTOOD, step=NAME)


def _read_confirmation(reply: Reply, context: Context) -> Next:
    answer = yes_or_no(reply.text)
    if answer == "no":
        return Next(FINISH, response="utter_event_not_signed_up")
    if answer != "yes":
        return Next(NOT_UNDERSTOOD, step=CONFIRM)
    if context.event is None:
        return Next(FINISH)
    return _ask_next_or_register(context.event, {})


def _read_answer(reply: Reply, context: Context) -> Next:
    event = context.event
    if event is None:
        return Next(FINISH)
    answers = dict(context.answers)
    question = next_question(event, answers)
    if question is None:
        return Next(REGISTER, answers=answers)
    if question.choices:
        titles = [
            {"title": localized(choice.title, reply.language), "payload": choice.value} for choice in question.choices
        ]
        number = pick_number(reply.text, len(question.choices))
        value = question.choices[number - 1].value if number else select_choice(reply.text, titles)
        if value is None and {choice.value for choice in question.choices} == {"yes", "no"}:
            value = yes_or_no(reply.text)  # "yeah i do", "si tengo" to a yes/no question
        if value is None:
            return Next(NOT_UNDERSTOOD, step=QUESTION)
    else:
        value = reply.text.strip()[:ANSWER_TEXT_MAX]
        if not value:
            return Next(NOT_UNDERSTOOD, step=QUESTION)
    answers[question.key] = value
    return _ask_next_or_register(event, answers)


def _ask_next_or_register(event: Event, answers: dict[str, str]) -> Next:
    """The event's next unanswered question, or the registration once none is left."""
    if next_question(event, answers) is not None:
        return Next(MOVE, step=QUESTION, answers=answers)
    return Next(REGISTER, answers=answers)


def _read_waitlist(reply: Reply, context: Context) -> Next:
    answer = yes_or_no(reply.text)
    if answer == "no":
        return Next(FINISH, response="utter_event_not_signed_up")
    if answer != "yes":
        return Next(NOT_UNDERSTOOD, step=WAITLIST)
    if context.event is None:
        return Next(FINISH)
    return Next(REGISTER, answers=dict(context.answers), join_waitlist=True)


def _read_cancel_choice(reply: Reply, context: Context) -> Next:
    options = list(context.options)
    number = pick_number(reply.text, len(options))
    if number is not None:
        return Next(MOVE, step=CANCEL_CONFIRM, registration_id=options[number - 1])
    if yes_or_no(reply.text) == "no":
        return Next(FINISH)
    return Next(NOT_UNDERSTOOD, step=CANCEL_WHICH)


def _read_cancel_confirmation(reply: Reply, context: Context) -> Next:
    answer = yes_or_no(reply.text)
    if answer == "yes":
        return Next(CANCEL)
    if answer == "no":
        return Next(KEEP)
    return Next(NOT_UNDERSTOOD, step=CANCEL_CONFIRM)


def _read_offer_answer(reply: Reply, context: Context) -> Next:
    answer = yes_or_no(reply.text)
    if answer is None:
        return Next(NOT_UNDERSTOOD, step=OFFER)
    return Next(ACCEPT_OFFER if answer == "yes" else DECLINE_OFFER)


def _read_reminder_answer(reply: Reply, context: Context) -> Next:
    answer = yes_or_no(reply.text)
    if answer == "no" or reply.intent == "cancel_registration":
        return Next(CANCEL)
    if answer == "yes":
        return Next(CONFIRM_ATTENDANCE)
    return Next(NOT_UNDERSTOOD, step=REMINDER)


def _read_followup_answer(reply: Reply, context: Context) -> Next:
    number = pick_number(reply.text, len(OUTCOMES))
    if number is None:
        return Next(NOT_UNDERSTOOD, step=FOLLOWUP)
    return Next(RECORD_OUTCOME, outcome=OUTCOMES[number])


_READERS: dict[str, Callable[[Reply, Context], Next]] = {
    CHOOSE: _read_choice,
    NAME: _read_name,
    CONFIRM: _read_confirmation,
    QUESTION: _read_answer,
    WAITLIST: _read_waitlist,
    CANCEL_WHICH: _read_cancel_choice,
    CANCEL_CONFIRM: _read_cancel_confirmation,
    OFFER: _read_offer_answer,
    REMINDER: _read_reminder_answer,
    FOLLOWUP: _read_followup_answer,
}
