"""Handing a conversation to staff, through the running assistant's Twilio webhook: asking for a
person (in any words, "0" too), an upset seeker, a screening staff must judge. The seeker is told
when to expect a text; when they asked for a person the bot then stays quiet, except for STOP,
HELP, events and registrations, until staff close the handoff. Replies the bot cannot read never
hand anyone over: after two it offers a person and goes on.

The test assistant judges staff hours at a fixed instant, Saturday 9 am in Chicago
(tests/channels/settings.py AFTER_HOURS), so every wait here is the after-hours one."""
from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import datetime, timezone

import pytest

from bot.hiring_events.model import Event
from bot.handoff.business_hours import calendar_from_env
from bot.handoff.model import expected_wait
from bot.sms import fold_to_gsm
from tests.channels.people import SmsSeeker
from tests.channels.settings import AFTER_HOURS
from tests.events.upcoming import upcoming_event

# In every "a person will text you" reply, in or out of office hours.
STAFF_WORDS = {"en": "will text you back here", "es": "te escribira aqui"}
OFFER_WORDS = {"en": "Reply AGENT to text with our staff", "es": "Responde AGENTE para hablar con una persona del equipo"}
_usernames = (f"handoff-staff-{n}" for n in itertools.count())


@pytest.fixture
def seeker(assistant, twilio_api) -> SmsSeeker:
    person = SmsSeeker(assistant, twilio_api)
    yield person
    print("\nTranscript:\n" + person.dump())


def text_around_the_clock(send: Callable[[], str], language: str) -> tuple[str, set[str]]:
    """Sends, and returns the reply with the wait the assistant must say at its pinned instant,
    as texted."""
    reply = send()
    return reply, {fold_to_gsm(expected_wait(AFTER_HOURS, calendar_from_env(), language))}


def assert_told_to_wait(reply: str, waits: set[str]) -> None:
    assert any(wait in reply for wait in waits), (reply, waits)


def close_by_staff(assistant, handoff_id: int) -> None:
    staff = assistant.staff.create_account(next(_usernames), "Test Staff", "not-a-real-hash", "staff", ["en", "es"], [])
    assert assistant.handoffs.close(handoff_id, staff.id) is not None


@pytest.mark.parametrize(
    "words, language",
    [
        ("can i talk to someone", "en"),
        ("i wanna talk to a real persn", "en"),  # misspelt
        ("quiero hablar con una persona", "es"),
        ("kiero ablar kon una persona", "es"),  # misspelt
        ("0", "en"),  # "press 0 for a person"
    ],
)
def test_asking_for_a_person_as_a_first_message(assistant, seeker, words, language):
    reply, waits = text_around_the_clock(lambda: seeker.say(words), language)
    assert "STOP" in reply or "ALTO" in reply  # the consent notice still comes first
    assert STAFF_WORDS[language] in reply
    assert_told_to_wait(reply, waits)
    handoff = assistant.handoffs.open_for("twilio", seeker.number)
    assert handoff is not None
    assert (handoff.reason, handoff.language, handoff.priority, handoff.team) == ("asked", language, 0, "general")


def test_asking_mid_intake_routes_by_sector_and_puts_laid_off_workers_first(assistant, seeker):
    seeker.say("i got laid off, looking for healthcare work")
    seeker.say("Dana")
    reply = seeker.say("can i tlk to somone pls")
    assert STAFF_WORDS["en"] in reply
    assert "ZIP" not in reply  # the intake stops asking
    handoff = assistant.handoffs.open_for("twilio", seeker.number)
    assert (handoff.reason, handoff.team, handoff.priority) == ("asked", "healthcare", 2)
    assert handoff.sectors == ("healthcare",)
    assert handoff.summary["answers"]["first_name"] == "Dana"
    assert handoff.summary["screening"]["status"] == "in_progress"


@pytest.mark.parametrize(
    "messages, language",
    [
        (["hi", "Rosa", "????", "!!!!"], "en"),
        (["hola", "Rosa", "????", "..."], "es"),
    ],
)
def test_two_replies_in_a_row_the_bot_cannot_read_offer_a_person_and_the_intake_goes_on(
    assistant, seeker, messages, language
):
    for text in messages[:-1]:
        assert OFFER_WORDS[language] not in seeker.say(text)
    reply = seeker.say(messages[-1])
    assert OFFER_WORDS[language] in reply
    assert "ZIP" in reply or "postal" in reply  # and the question is asked again
    assert STAFF_WORDS[language] not in reply
    assert assistant.handoffs.open_for("twilio", seeker.number) is None  # nobody handed over
    assert seeker.say("60623")  # the bot still answers: nothing is paused


def test_after_two_misunderstandings_the_seeker_continues_and_finishes(assistant, seeker):
    # A working woman of 35 (nothing for staff to judge), who twice writes what the bot cannot read.
    for text in ["hi", "Lena", "????"]:
        seeker.say(text)
    reply = seeker.say("!!!!")
    assert OFFER_WORDS["en"] in reply
    # Answer whatever the intake asks next (its questions depend on the answers) until the summary.
    answers = [  # the more specific words first: "highest school" before "school"
        ("ZIP", "60640"), ("kind of work", "2"), ("How old", "35"), ("allowed to work", "yes"),
        ("fits you best", "1"), ("highest school", "4"), ("school", "no"), ("armed forces", "3"),
        ("military", "3"), ("get any of these", "5"), ("Do any of these apply", "7"), ("I am not a man", "4"),
        ("man or a woman", "i am a woman"),
    ]
    for _ in range(14):
        if "Reply EVENTS" in reply:
            break
        answer = next((text for words, text in answers if words.lower() in reply.lower()), "skip")
        reply = seeker.say(answer)
        assert reply  # every answer answered: never paused
    assert "Reply EVENTS" in reply  # the summary's menu: the screening is done
    screening = assistant.store.latest_screening("twilio", seeker.number)
    assert screening.status == "complete"
    assert assistant.handoffs.open_for("twilio", seeker.number) is None


@pytest.mark.parametrize(
    "language, before, misread, left_words, next_words",
    [
        ("en", ["looking for work in hotels", "Ana", "60629", "30, yes", "2", "i have not applied"],
         "the blue one", "Staff will go over it", "apply?"),
        ("es", ["busco trabajo en hoteles", "Ana", "60629", "30, si", "2", "no he aplicado"],
         "el azul", "El equipo la revisa", "aplica"),
    ],
)
def test_a_question_misread_three_times_in_a_row_is_left_for_staff_and_the_intake_moves_on(
    assistant, seeker, language, before, misread, left_words, next_words
):
    for text in before:
        seeker.say(text)
    seeker.say("diploma")
    assert "SNAP" in seeker.say("3")  # not in the military: the assistance list comes next
    first_miss, second_miss = seeker.say(misread), seeker.say(misread)
    assert "SNAP" in first_miss and OFFER_WORDS[language] in second_miss  # asked again, then the offer
    reply = seeker.say(misread)
    assert left_words in reply and "SNAP" not in reply, seeker.dump()
    assert next_words in reply  # the barriers list: the next question
    answers = assistant.store.latest_screening("twilio", seeker.number).answers
    assert answers["public_assistance"] == "unknown"
    assert assistant.handoffs.open_for("twilio", seeker.number) is None  # offered, not handed over


def test_a_reply_understood_in_between_starts_the_count_over(assistant, seeker):
    for text in ["hi", "Rosa", "????", "60623"]:
        seeker.say(text)
    reply = seeker.say("????")  # the second miss, but not in a row
    assert OFFER_WORDS["en"] not in reply
    assert assistant.handoffs.open_for("twilio", seeker.number) is None


@pytest.mark.parametrize(
    "messages, language",
    [
        (["hi", "Lee", "this is useless"], "en"),
        (["hi", "you are not helping at all wtf"], "en"),
        (["hola", "Marta", "estoy harta de tantas preguntas"], "es"),
        (["hola", "que pesimo servicio la neta"], "es"),
    ],
)
def test_an_upset_seeker_goes_to_a_person(assistant, seeker, messages, language):
    for text in messages[:-1]:
        seeker.say(text)
    reply, waits = text_around_the_clock(lambda: seeker.say(messages[-1]), language)
    assert STAFF_WORDS[language] in reply
    assert_told_to_wait(reply, waits)
    handoff = assistant.handoffs.open_for("twilio", seeker.number)
    assert (handoff.reason, handoff.language) == ("upset", language)


def test_a_screening_staff_must_judge_ends_with_a_handoff(assistant, seeker):
    # A laid-off man of 27 who never registered with Selective Service: a possible Dislocated
    # Worker, and a Selective Service case for staff.
    for text in ["hello", "Marcus", "60644", "construction", "27", "yeah", "laid off", "idk", "idk",
                 "nah", "high school", "none", "no", "none", "3, 48000"]:
        seeker.say(text)
    summary = seeker.say("no i didnt register")
    assert "A staff member will check" in summary
    assert "text you back here" in summary
    assert "Reply EVENTS" not in summary  # the bot's menu would be answered by nobody
    handoff = assistant.handoffs.open_for("twilio", seeker.number)
    assert (handoff.reason, handoff.team, handoff.priority) == ("needs_review", "construction", 2)
    codes = handoff.summary["needs_staff_review"]
    assert "dislocated_worker_review" in codes and any(code.startswith("selective_service") for code in codes)
    assert handoff.summary["screening"]["status"] == "complete"
    assert handoff.summary["screening"]["results"]


def _hiring_event(assistant, word: str, days_ahead: int = 9) -> Event:
    """An event starting days after now, named with a word no other test's event has."""
    return upcoming_event(
        assistant.catalog, f"{word} Hiring Day", f"Feria {word}", days_ahead=days_ahead, code=f"H{uuid.uuid4().hex[:5].upper()}"
    )


def test_asking_for_staff_after_hours_says_when_and_the_bot_still_answers_events_help_and_registrations(
    assistant, seeker
):
    event = _hiring_event(assistant, "Marquette")
    seeker.say("hi")
    reply, waits = text_around_the_clock(lambda: seeker.say("can i talk to someone"), "en")
    assert "after 9 am Monday" in waits.pop() and "after 9 am Monday" in reply  # Saturday 9 am, pinned
    assert "Our staff are out now" in reply and "EVENTS, MY EVENTS and HELP" in reply
    handoff = assistant.handoffs.open_for("twilio", seeker.number)
    assert handoff.reason == "asked"

    assert seeker.text("hello?? anyone there") == []  # for staff
    listing = seeker.say("EVENTS")
    assert "Hiring events you can sign up for" in listing
    assert "What name" in seeker.say("the marquette one")  # the event dialogue goes on meanwhile
    assert "Sign up Kim for Marquette Hiring Day" in seeker.say("Kim")
    assert "You're signed up" in seeker.say("yes")
    assert event.code in [item.event.code for item in assistant.registrations.registrations_of(
        "twilio", seeker.number, datetime.now(timezone.utc))]
    assert "Chicago Cook Workforce Partnership" in seeker.say("HELP")
    assert "Marquette Hiring Day" in seeker.say("my events")
    assert seeker.text("ok so when will someone call me") == []  # for staff again
    again = seeker.say("AGENT")
    assert "You're on the list" in again and "after 9 am Monday" in again

    during = [m for m in seeker.messages() if m.direction == "in" and m.created_at >= handoff.created_at]
    assert len(during) >= 8 and all(m.details["handoff_id"] == handoff.id for m in during)  # all in the console
    answered = {m.text for m in during if m.details.get("answered_by_bot")}
    assert {"EVENTS", "Kim", "yes", "HELP", "my events"} <= answered
    assert "hello?? anyone there" not in answered
    assert assistant.handoffs.open_for("twilio", seeker.number).id == handoff.id  # still in the queue


def test_while_staff_have_the_conversation_the_bot_is_quiet_but_stop_and_help_work(assistant, seeker):
    seeker.say("hi")
    seeker.say("agent")
    handoff = assistant.handoffs.open_for("twilio", seeker.number)

    assert seeker.text("hello?? anyone there") == []
    assert seeker.text("60623") == []
    # Asking again while nobody has it yet is answered: in line, and the wait (a withheld AGENT
    # looked like a dead number).
    assert "You're on the list" in seeker.say("agent")
    assert assistant.handoffs.open_for("twilio", seeker.number).id == handoff.id  # the same place in line
    paused = [m for m in seeker.messages() if m.direction == "in" and m.text in ("hello?? anyone there", "60623")]
    assert [m.status for m in paused] == ["processed", "processed"]
    assert all(m.details["handoff_id"] == handoff.id for m in paused)  # shown in the transcript as theirs

    assert "Chicago Cook Workforce Partnership" in seeker.say("HELP")
    assert "not get more texts" in seeker.say("STOP")
    assert "get texts from us again" in seeker.say("START")
    assert seeker.text("still there?") == []


def test_an_upset_seeker_is_queued_but_the_bot_goes_on(assistant, seeker):
    for text in ["hi", "Lee"]:
        seeker.say(text)
    assert STAFF_WORDS["en"] in seeker.say("this is useless")
    assert assistant.handoffs.open_for("twilio", seeker.number).reason == "upset"
    assert seeker.say("60623")  # not asked for a person: not paused


def test_after_staff_close_the_handoff_the_bot_answers_again(assistant, seeker):
    seeker.say("hi")
    seeker.say("Ana")
    seeker.say("quiero hablar con alguien porfavor")
    assert seeker.text("60623") == []
    close_by_staff(assistant, assistant.handoffs.open_for("twilio", seeker.number).id)

    reply = seeker.say("60623")
    assert reply  # the intake picks up where it stopped
    assert assistant.handoffs.open_for("twilio", seeker.number) is None


def test_asking_again_while_waiting_repeats_the_wait(assistant, chat):
    # Over the REST channel (`make chat`), which the pause does not cover, the second ask
    # reaches the dialogue and finds the seeker already in the queue.
    chat.say("hi")
    first = chat.say("agent")
    second, waits = text_around_the_clock(lambda: chat.say("can i talk to someone"), "en")
    assert "will text you back here" in first
    assert "You're on the list" in second
    assert any(wait in second for wait in waits)
    assert len(assistant.handoffs.queue()) >= 1


def test_two_misreadings_in_a_row_in_the_event_dialogue_offer_a_person_and_the_dialogue_goes_on(assistant, chat):
    event = _hiring_event(assistant, "Kedzie")
    assert "Kedzie Hiring Day" in chat.say("any job fairs coming up? the kedzie one")  # asks the name
    first = chat.say("????")
    assert "did not get that" in first and "AGENT" not in first  # asked again, once
    reply = chat.say("!!!!")
    assert OFFER_WORDS["en"] in reply
    assert assistant.handoffs.open_for("rest", chat.sender) is None
    assert chat.slots()["event_step"] is not None  # the dialogue goes on
    assert event.code


def test_two_off_topic_messages_in_a_row_after_the_screening_offer_a_person(assistant, chat):
    # A working woman of 35: nothing for staff to judge, so the screening ends with the menu.
    for text in ["hi", "Lena", "60640", "2", "35", "yes", "1", "4", "3", "5", "7", "2, 48000", "i am a woman"]:
        chat.say(text)
    assert assistant.handoffs.open_for("rest", chat.sender) is None
    assert "Hi again" in chat.say("tell me a joke")
    reply = chat.say("whats the weather like")
    assert "Hi again" in reply and OFFER_WORDS["en"] in reply
    assert assistant.handoffs.open_for("rest", chat.sender) is None
