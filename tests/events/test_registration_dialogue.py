"""The event dialogue's decisions, without Rasa or a database (bot/hiring_events/registration.py):
each step, a reply, and what happens next."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from bot.hiring_events import registration as dialogue
from bot.hiring_events.model import Event, EventChoice, EventQuestion
from bot.hiring_events.registration import Context, Next, Reply, after_offer_answer, after_registering, opening, read_reply
from bot.understanding.events import EventLabel

START = datetime(2031, 5, 20, 14, 0, tzinfo=timezone.utc)
SHIFT = EventQuestion(
    "shift",
    {"en": "Which shift?", "es": "¿Qué turno?"},
    (EventChoice("morning", {"en": "Morning", "es": "Mañana"}), EventChoice("night", {"en": "Night", "es": "Noche"})),
)
COMMENTS = EventQuestion("comments", {"en": "Anything else?", "es": "¿Algo más?"})


def event(*questions: EventQuestion) -> Event:
    return Event(
        code="HHC",
        name={"en": "Hospitality Hires Chicago", "es": "Feria de hotelería"},
        sectors=("hospitality",),
        starts_at=START,
        ends_at=START + timedelta(hours=4),
        venue="Example Hall",
        address="100 Example Ave, Chicago, IL",
        capacity=50,
        questions=questions,
    )


HHC = EventLabel("HHC", ("Hospitality Hires Chicago",), ("hospitality",), date(2031, 5, 20))
HCDAY = EventLabel("HCDAY", ("Healthcare Hiring Day", "Día de contratación en salud"), ("healthcare",), date(2031, 5, 22))
TDL = EventLabel("TDL", ("Logistics Hiring Event",), ("transportation",), date(2031, 5, 24))


def reply(text: str, intent: str | None = None, language: str = "en") -> Reply:
    return Reply(text, intent, language)


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("2", None, Next(dialogue.START, event_code="HCDAY")),
        ("the healthcare one", None, Next(dialogue.START, event_code="HCDAY")),
        ("logistics", None, Next(dialogue.START, event_code="TDL")),  # named, though not on the list
        ("no thanks", "deny", Next(dialogue.FINISH, response="utter_event_not_signed_up")),
        ("bye", "goodbye", Next(dialogue.FINISH, response="utter_event_not_signed_up")),
        ("7", None, Next(dialogue.NOT_UNDERSTOOD, step=dialogue.CHOOSE)),
        ("purple", None, Next(dialogue.NOT_UNDERSTOOD, step=dialogue.CHOOSE)),
    ],
)
def test_choosing_an_event(text, intent, expected):
    context = Context(listed=[HHC, HCDAY], every_upcoming=lambda: [HHC, HCDAY, TDL])
    assert read_reply(dialogue.CHOOSE, reply(text, intent), context) == expected


@pytest.mark.parametrize(
    "listed, expected",
    [
        ([HHC], Next(dialogue.START, event_code="HHC")),  # the one event listed
        ([HHC, HCDAY], Next(dialogue.NOT_UNDERSTOOD, step=dialogue.CHOOSE)),  # which one?
    ],
)
def test_a_yes_to_a_list_of_one_event_picks_it(listed, expected):
    context = Context(listed=listed, every_upcoming=lambda: [HHC, HCDAY, TDL])
    assert read_reply(dialogue.CHOOSE, reply("yes", "affirm"), context) == expected


RESUME = EventQuestion(
    "resume",
    {"en": "Do you have a resume?", "es": "¿Tienes currículum?"},
    (EventChoice("yes", {"en": "Yes", "es": "Sí"}), EventChoice("no", {"en": "No", "es": "No"})),
)


@pytest.mark.parametrize(
    "text, language, expected",
    [("yeah i do", "en", "yes"), ("si tengo", "es", "yes"), ("no tengo", "es", "no"), ("nope i dont", "en", "no")],
)
def test_a_yes_no_question_of_the_event_takes_a_plain_yes_or_no(text, language, expected):
    context = Context(event=event(RESUME), answers={})
    assert read_reply(dialogue.QUESTION, reply(text, language=language), context) == Next(
        dialogue.REGISTER, answers={"resume": expected}
    )


def test_the_whole_catalogue_is_asked_for_only_when_the_list_does_not_answer():
    asked: list[bool] = []

    def every_upcoming():
        asked.append(True)
        return [HHC, HCDAY]

    read_reply(dialogue.CHOOSE, reply("1"), Context(listed=[HHC, HCDAY], every_upcoming=every_upcoming))
    assert asked == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Maria", Next(dialogue.SAVE_NAME, step=dialogue.CONFIRM, name="Maria")),
        ("my name is jose", Next(dialogue.SAVE_NAME, step=dialogue.CONFIRM, name="Jose")),
        ("?", Next(dialogue.NOT_UNDERSTOOD, step=dialogue.NAME)),
    ],
)
def test_the_name(text, expected):
    assert read_reply(dialogue.NAME, reply(text), Context()) == expected


@pytest.mark.parametrize(
    "text, questions, expected",
    [
        ("yes", (), Next(dialogue.REGISTER, answers={})),
        ("1", (SHIFT,), Next(dialogue.MOVE, step=dialogue.QUESTION, answers={})),  # the event's questions first
        ("sí", (), Next(dialogue.REGISTER, answers={})),
        ("2", (), Next(dialogue.FINISH, response="utter_event_not_signed_up")),
        ("no", (SHIFT,), Next(dialogue.FINISH, response="utter_event_not_signed_up")),
        ("maybe later", (), Next(dialogue.NOT_UNDERSTOOD, step=dialogue.CONFIRM)),
    ],
)
def test_confirming(text, questions, expected):
    assert read_reply(dialogue.CONFIRM, reply(text), Context(event=event(*questions))) == expected


def test_a_yes_for_an_event_gone_meanwhile_ends_the_dialogue():
    assert read_reply(dialogue.CONFIRM, reply("yes"), Context(event=None)) == Next(dialogue.FINISH)


@pytest.mark.parametrize(
    "text, answers, language, expected",
    [
        ("2", {}, "en", Next(dialogue.MOVE, step=dialogue.QUESTION, answers={"shift": "night"})),
        ("morning", {}, "en", Next(dialogue.MOVE, step=dialogue.QUESTION, answers={"shift": "morning"})),
        ("noche", {}, "es", Next(dialogue.MOVE, step=dialogue.QUESTION, answers={"shift": "night"})),
        # The words around a choice do not choose: "night please", "en la noche".
        ("night please", {}, "en", Next(dialogue.MOVE, step=dialogue.QUESTION, answers={"shift": "night"})),
        ("the morning one", {}, "en", Next(dialogue.MOVE, step=dialogue.QUESTION, answers={"shift": "morning"})),
        ("en la noche", {}, "es", Next(dialogue.MOVE, step=dialogue.QUESTION, answers={"shift": "night"})),
        ("not morning", {}, "en", Next(dialogue.NOT_UNDERSTOOD, step=dialogue.QUESTION)),
        ("5", {}, "en", Next(dialogue.NOT_UNDERSTOOD, step=dialogue.QUESTION)),
        ("  I have a forklift license ", {"shift": "night"}, "en",
         Next(dialogue.REGISTER, answers={"shift": "night", "comments": "I have a forklift license"})),
        ("   ", {"shift": "night"}, "en", Next(dialogue.NOT_UNDERSTOOD, step=dialogue.QUESTION)),
        ("x" * 300, {"shift": "night"}, "en", Next(dialogue.REGISTER, answers={"shift": "night", "comments": "x" * 200})),
        ("anything", {"shift": "night", "comments": "ok"}, "en",
         Next(dialogue.REGISTER, answers={"shift": "night", "comments": "ok"})),
    ],
)
def test_the_events_own_questions(text, answers, language, expected):
    context = Context(event=event(SHIFT, COMMENTS), answers=answers)
    assert read_reply(dialogue.QUESTION, reply(text, language=language), context) == expected


@pytest.mark.parametrize(
    "step, text, intent, expected",
    [
        (dialogue.WAITLIST, "yes", None, Next(dialogue.REGISTER, answers={"shift": "night"}, join_waitlist=True)),
        (dialogue.WAITLIST, "no", None, Next(dialogue.FINISH, response="utter_event_not_signed_up")),
        (dialogue.WAITLIST, "hmm", None, Next(dialogue.NOT_UNDERSTOOD, step=dialogue.WAITLIST)),
        (dialogue.CANCEL_WHICH, "2", None, Next(dialogue.MOVE, step=dialogue.CANCEL_CONFIRM, registration_id=42)),
        (dialogue.CANCEL_WHICH, "no", None, Next(dialogue.FINISH)),
        (dialogue.CANCEL_WHICH, "3", None, Next(dialogue.NOT_UNDERSTOOD, step=dialogue.CANCEL_WHICH)),
        (dialogue.CANCEL_CONFIRM, "yes", None, Next(dialogue.CANCEL)),
        (dialogue.CANCEL_CONFIRM, "2", None, Next(dialogue.KEEP)),
        (dialogue.CANCEL_CONFIRM, "what", None, Next(dialogue.NOT_UNDERSTOOD, step=dialogue.CANCEL_CONFIRM)),
        (dialogue.OFFER, "1", None, Next(dialogue.ACCEPT_OFFER)),
        (dialogue.OFFER, "no", None, Next(dialogue.DECLINE_OFFER)),
        (dialogue.OFFER, "when is it", None, Next(dialogue.NOT_UNDERSTOOD, step=dialogue.OFFER)),
        (dialogue.REMINDER, "yes", None, Next(dialogue.CONFIRM_ATTENDANCE)),
        (dialogue.REMINDER, "2", None, Next(dialogue.CANCEL)),
        (dialogue.REMINDER, "cancel my spot", "cancel_registration", Next(dialogue.CANCEL)),
        (dialogue.REMINDER, "where is it", None, Next(dialogue.NOT_UNDERSTOOD, step=dialogue.REMINDER)),
        (dialogue.FOLLOWUP, "1", None, Next(dialogue.RECORD_OUTCOME, outcome="offer")),
        (dialogue.FOLLOWUP, "3", None, Next(dialogue.RECORD_OUTCOME, outcome="no_show")),
        (dialogue.FOLLOWUP, "great day", None, Next(dialogue.NOT_UNDERSTOOD, step=dialogue.FOLLOWUP)),
        ("no_such_step", "yes", None, Next(dialogue.FINISH)),
        (None, "yes", None, Next(dialogue.FINISH)),
    ],
)
def test_the_yes_no_and_numbered_steps(step, text, intent, expected):
    context = Context(event=event(SHIFT), answers={"shift": "night"}, options=[41, 42])
    assert read_reply(step, reply(text, intent), context) == expected


@pytest.mark.parametrize(
    "window, already_registered, knows_name, expected",
    [
        ("open", False, True, Next(dialogue.MOVE, step=dialogue.CONFIRM, answers={})),
        ("open", False, False, Next(dialogue.MOVE, step=dialogue.NAME, answers={})),
        ("open", True, True, Next(dialogue.FINISH, response="utter_event_already_registered")),
        ("not_open_yet", False, True, Next(dialogue.FINISH, response="utter_event_not_open_yet")),
        ("closed", False, True, Next(dialogue.FINISH, response="utter_event_closed")),
        ("past", False, False, Next(dialogue.FINISH, response="utter_event_closed")),
    ],
)
def test_opening_an_events_registration(window, already_registered, knows_name, expected):
    assert opening(window, already_registered=already_registered, knows_name=knows_name) == expected


@pytest.mark.parametrize(
    "kind, opens_known, expected",
    [
        ("registered", False, Next(dialogue.CONFIRM_SEAT)),
        ("already_registered", False, Next(dialogue.FINISH, response="utter_event_already_registered")),
        ("waitlisted", False, Next(dialogue.FINISH, response="utter_event_waitlisted")),
        ("already_waitlisted", False, Next(dialogue.FINISH, response="utter_event_waitlisted")),
        ("full", False, Next(dialogue.MOVE, step=dialogue.WAITLIST, answers={"shift": "night"})),
        ("not_open_yet", True, Next(dialogue.FINISH, response="utter_event_not_open_yet")),
        ("not_open_yet", False, Next(dialogue.FINISH, response="utter_event_closed")),
        ("closed", True, Next(dialogue.FINISH, response="utter_event_closed")),
        ("past", False, Next(dialogue.FINISH, response="utter_event_closed")),
        ("unknown_event", False, Next(dialogue.FINISH, response="utter_event_closed")),
    ],
)
def test_what_a_registration_outcome_means_for_the_person(kind, opens_known, expected):
    assert after_registering(kind, {"shift": "night"}, opens_known=opens_known) == expected


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("registered", Next(dialogue.CONFIRM_SEAT)),
        ("already_registered", Next(dialogue.CONFIRM_SEAT)),
        ("expired", Next(dialogue.FINISH, response="utter_event_offer_gone")),
        ("not_offered", Next(dialogue.FINISH, response="utter_event_offer_gone")),
    ],
)
def test_what_a_yes_to_an_offer_comes_to(kind, expected):
    assert after_offer_answer(kind) == expected
