"""Handing a conversation to staff, through the running assistant's Twilio webhook: asking for a
person (in any words, "0" too), two replies in a row the bot cannot read, an upset seeker, a
screening staff must judge. The seeker is told when to expect a text; the bot then stays quiet,
except for STOP and HELP, until staff close the handoff."""
from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from bot.events.model import Event
from bot.handoff.business_hours import calendar_from_env
from bot.handoff.model import expected_wait
from bot.sms import fold_to_gsm
from bot.store.timestamps import utc_now
from tests.channels.people import SmsSeeker

STAFF_WORDS = {"en": "A staff member will text you back here", "es": "Una persona del equipo te escribira aqui"}
_usernames = (f"handoff-staff-{n}" for n in itertools.count())


@pytest.fixture
def seeker(assistant, twilio_api) -> SmsSeeker:
    person = SmsSeeker(assistant, twilio_api)
    yield person
    print("\nTranscript:\n" + person.dump())


def text_around_the_clock(send: Callable[[], str], language: str) -> tuple[str, set[str]]:
    """Sends, and returns the reply with the waits the assistant could have said (the one before
    sending and the one after, in case the clock passed a boundary in between), as texted."""
    calendar = calendar_from_env()
    before = expected_wait(utc_now(), calendar, language)
    reply = send()
    after = expected_wait(utc_now(), calendar, language)
    return reply, {fold_to_gsm(before), fold_to_gsm(after)}


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
def test_two_replies_in_a_row_the_bot_cannot_read_go_to_a_person(assistant, seeker, messages, language):
    for text in messages[:-1]:
        assert STAFF_WORDS[language] not in seeker.say(text)
    reply = seeker.say(messages[-1])
    assert STAFF_WORDS[language] in reply
    assert "ZIP" not in reply and "postal" not in reply  # not asked a third time
    assert assistant.handoffs.open_for("twilio", seeker.number).reason == "not_understood"


def test_a_reply_understood_in_between_starts_the_count_over(assistant, seeker):
    for text in ["hi", "Rosa", "????", "60623"]:
        seeker.say(text)
    reply = seeker.say("????")  # the second miss, but not in a row
    assert STAFF_WORDS["en"] not in reply
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
                 "nah", "high school", "none", "no", "none"]:
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


def test_while_staff_have_the_conversation_the_bot_is_quiet_but_stop_and_help_work(assistant, seeker):
    seeker.say("hi")
    seeker.say("agent")
    handoff = assistant.handoffs.open_for("twilio", seeker.number)

    assert seeker.text("hello?? anyone there") == []
    assert seeker.text("60623") == []
    assert seeker.text("agent") == []
    paused = [m for m in seeker.messages() if m.direction == "in" and m.text in ("hello?? anyone there", "60623")]
    assert [m.status for m in paused] == ["processed", "processed"]
    assert all(m.details["handoff_id"] == handoff.id for m in paused)  # shown in the transcript as theirs

    assert "Chicago Cook Workforce Partnership" in seeker.say("HELP")
    assert "not get more texts" in seeker.say("STOP")
    assert "get texts from us again" in seeker.say("START")
    assert seeker.text("still there?") == []


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
    assert "A staff member will text you back here" in first
    assert "You're on the list" in second
    assert any(wait in second for wait in waits)
    assert len(assistant.handoffs.queue()) >= 1


def test_two_misreadings_in_a_row_in_the_event_dialogue_go_to_a_person(assistant, chat):
    start = (datetime.now(timezone.utc) + timedelta(days=9)).replace(minute=0, second=0, microsecond=0)
    code = f"H{uuid.uuid4().hex[:5].upper()}"
    assistant.events.upsert_event(
        Event(
            code=code,
            name={"en": f"Handoff Hiring Day {code}", "es": f"Feria {code}"},
            sectors=("hospitality",),
            starts_at=start,
            ends_at=start + timedelta(hours=4),
            venue="Example Hall",
            address="100 Example Ave, Chicago, IL 60601",
            capacity=50,
        )
    )
    assert code in chat.say("any job fairs coming up?")
    assert "numbers" in chat.say("????")  # asked again, once
    reply = chat.say("!!!!")
    assert "A staff member will text you back here" in reply
    assert assistant.handoffs.open_for("rest", chat.sender).reason == "not_understood"
    assert chat.slots()["event_step"] is None  # the dialogue ended


def test_two_off_topic_messages_in_a_row_after_the_screening_go_to_a_person(assistant, chat):
    # A working woman of 35: nothing for staff to judge, so the screening ends with the menu.
    for text in ["hi", "Lena", "60640", "2", "35", "yes", "1", "4", "3", "5", "7", "i am a woman"]:
        chat.say(text)
    assert assistant.handoffs.open_for("rest", chat.sender) is None
    assert "Hi again" in chat.say("tell me a joke")
    reply = chat.say("whats the weather like")
    assert "A staff member will text you back here" in reply
    assert assistant.handoffs.open_for("rest", chat.sender).reason == "not_understood"
