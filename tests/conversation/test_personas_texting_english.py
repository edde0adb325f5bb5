"""People texting in everyday English (and a few in Spanish) through the signed Twilio webhook,
in the situations the intake used to get wrong: a laid-off worker answering a WARN outreach text
with "i need help" or asking about the last paycheck, a question about a criminal record or
about needing a diploma, a parent texting for their child, a ZIP corrected in a sentence, "idk
my zip", "born 1998, yes", "how much longer is this", a question with no answer here, a call
asked for, "wrong number", "stpo", and a question about events when none is open."""
from __future__ import annotations

import time
import uuid
from datetime import date, timedelta

import pytest

from bot.cli.harness import TEST_TODAY
from bot.store.campaign_store import CampaignStore
from bot.store.warn_store import WarnStore
from bot.warn.notices import WarnNotice
from bot.warn.roster import RosterMember
from tests.channels.people import SmsSeeker

# The HELP text (flows/consent/domain.yml utter_help), in either language.
HELP_TEXT = ("Msg frequency varies", "La frecuencia varia")
# The answer about a record (flows/questions/domain.yml utter_record).
RECORD_ANSWER = {"en": "A record does not keep you out", "es": "Tener récord no te deja fuera"}
SOMEONE_ELSE_NOTE = "The questions are about the person who wants the job"


@pytest.fixture
def seeker(assistant, twilio_api) -> SmsSeeker:
    person = SmsSeeker(assistant, twilio_api)
    yield person
    print("\nTranscript:\n" + person.dump())


def _answers(assistant, seeker: SmsSeeker) -> dict:
    screening = assistant.store.latest_screening("twilio", seeker.number)
    return dict(screening.answers) if screening else {}


def _reached_by_outreach(assistant, twilio_api, seeker: SmsSeeker, language: str) -> str:
    """Puts the seeker on a WARN campaign's roster and waits for the outreach text; returns the employer."""
    employer = f"Lakeside Foods {uuid.uuid4().hex[:4]}"
    warn = WarnStore(assistant.store.engine)
    warn.import_notices([
        WarnNotice(
            employer=employer, iebs_id=uuid.uuid4().hex[:11], city="Chicago", zip_code="60609", lwia="7",
            reason="Plant Closure", impact_on=date(2027, 1, 15),
            reported_on=date.fromisoformat(TEST_TODAY) - timedelta(days=20),
        )
    ])
    notice_id = next(r.id for r in warn.list_notices(limit=500) if r.notice.employer == employer)
    campaigns = CampaignStore(assistant.store.engine)
    campaign = campaigns.create(notice_id, "Lakeside", f"{employer} is closing. We can help.", f"{employer} cierra. Le ayudamos.", [], None)
    campaigns.add_roster(campaign.id, [RosterMember(2, "Dana", seeker.number, language)])
    campaigns.set_status(campaign.id, "sending")
    deadline = time.monotonic() + 30
    while not twilio_api.messages_to(seeker.number) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert twilio_api.messages_to(seeker.number), "the outreach text was not sent"
    return employer


@pytest.mark.parametrize(
    "text, language, welcome, question",
    [
        ("i need help", "en", "Thanks for writing back, Dana", "ZIP"),
        ("yes i need help", "en", "Thanks for writing back, Dana", "ZIP"),
        ("Yes I need help finding work", "en", "Thanks for writing back, Dana", "ZIP"),
        ("si necesito ayuda", "es", "Gracias por responder, Dana", "codigo postal"),
    ],
)
def test_asking_for_help_in_words_in_reply_to_a_layoff_outreach_text_starts_the_intake(
    assistant, twilio_api, seeker, text, language, welcome, question
):
    employer = _reached_by_outreach(assistant, twilio_api, seeker, language)
    reply = seeker.say(text)
    assert welcome in reply and employer in reply, seeker.dump()
    assert question in reply  # the first question the notice leaves open
    assert not any(words in reply for words in HELP_TEXT)
    assert _answers(assistant, seeker)["employment_status"] == "layoff_notice"


def test_the_help_keyword_in_reply_to_a_layoff_outreach_text_gets_only_the_help_text(assistant, twilio_api, seeker):
    employer = _reached_by_outreach(assistant, twilio_api, seeker, "en")
    reply = seeker.say("HELP")
    assert HELP_TEXT[0] in reply and "Thanks for writing back" not in reply, seeker.dump()
    reply = seeker.say("ok")
    assert "Thanks for writing back, Dana" in reply and employer in reply and "ZIP" in reply


def test_a_first_text_asking_for_help_in_words_gets_the_notice_and_the_first_question(seeker):
    reply = seeker.say("i need help")
    assert "Chicago Cook Workforce Partnership" in reply and "Your first name?" in reply, seeker.dump()
    assert HELP_TEXT[0] not in reply


@pytest.mark.parametrize(
    "first, language, question",
    [
        ("Do you help people with felonies?", "en", "first name"),
        ("i have a record can i still get help", "en", "first name"),
        ("ayudan a personas con record criminal?", "es", "nombre"),
    ],
)
def test_a_first_text_asking_about_a_record_is_answered_and_the_intake_starts(seeker, first, language, question):
    reply = seeker.say(first)
    assert RECORD_ANSWER[language] in reply, seeker.dump()
    assert question in reply.lower()
    assert not any(words in reply for words in HELP_TEXT)


def test_a_record_asked_about_mid_intake_is_answered_and_the_same_question_comes_again(seeker, assistant):
    seeker.say("hi")
    assert "ZIP" in seeker.say("Marcus")
    reply = seeker.say("i have a record can i still get help")
    assert RECORD_ANSWER["en"] in reply and "ZIP" in reply, seeker.dump()
    assert "does not look like a ZIP" not in reply
    assert "kind of work" in seeker.say("60628")
    reply = seeker.say("do background checks matter for your programs")
    assert RECORD_ANSWER["en"] in reply and "kind of work" in reply, seeker.dump()
    assert _answers(assistant, seeker) == {"first_name": "Marcus", "zip_code": "60628"}


def test_a_parent_texting_for_their_son_is_told_who_the_questions_are_about(seeker, assistant):
    reply = seeker.say("my son is 17 and needs a job")
    assert SOMEONE_ELSE_NOTE in reply and "What is your first name?" in reply, seeker.dump()
    assert _answers(assistant, seeker) == {}
    assert "ZIP" in seeker.say("Tyrone")
    reply = seeker.say("im texting for my son btw, 60628")
    assert SOMEONE_ELSE_NOTE not in reply and "kind of work" in reply  # said once
    assert _answers(assistant, seeker) == {"first_name": "Tyrone", "zip_code": "60628"}


def test_a_single_mom_texting_for_her_son_gives_him_no_sex_and_no_age(seeker, assistant):
    reply = seeker.say("im a single mom, my 16 yo son is looking for a summer job")
    assert SOMEONE_ELSE_NOTE in reply, seeker.dump()
    assert _answers(assistant, seeker) == {}


def test_a_zip_corrected_in_a_sentence_is_changed(seeker, assistant):
    seeker.say("hi")
    seeker.say("kim")
    seeker.say("60629")
    reply = seeker.say("wait my zip is 60632 not 60629")
    assert "I changed that" in reply and "kind of work" in reply, seeker.dump()
    assert _answers(assistant, seeker)["zip_code"] == "60632"


def test_idk_my_zip_moves_on(seeker, assistant):
    seeker.say("yo")
    seeker.say("its ray")
    reply = seeker.say("idk my zip")
    assert "kind of work" in reply and "does not look like a ZIP" not in reply, seeker.dump()
    assert _answers(assistant, seeker)["zip_code"] == "unknown"


def test_a_first_text_about_events_never_ends_in_a_dead_end(seeker, assistant):
    from datetime import datetime, timezone

    open_events = assistant.catalog.list_upcoming(datetime.now(timezone.utc))
    reply = seeker.say("any job fairs coming up")
    if open_events:  # another test's events are in this assistant's catalog: they are listed
        assert "Hiring events you can sign up for" in reply, seeker.dump()
        return
    # No dead end: the intake's first question follows at once (no reply needed to begin).
    assert "no hiring events open" in reply and "a few short questions" in reply, seeker.dump()
    assert "What is your first name?" in reply, seeker.dump()
    assert "kind of work" in seeker.say("Dana") or "ZIP" in seeker.dump()


def test_a_question_the_intake_cannot_answer_points_to_staff_not_to_a_bad_zip(seeker, assistant):
    seeker.say("hi")
    seeker.say("bo")
    reply = seeker.say("what time do yall close")
    assert "I cannot answer it here" in reply and "AGENT" in reply and "ZIP" in reply, seeker.dump()
    assert "does not look like a ZIP" not in reply
    assert "kind of work" in seeker.say("60628")


def test_asking_for_a_call_mid_intake_reaches_staff_and_is_no_name(seeker, assistant):
    seeker.say("hi")
    seeker.say("bo")
    reply = seeker.say("can u call me instead")
    assert "will text you back here" in reply, seeker.dump()
    assert _answers(assistant, seeker)["first_name"] == "Bo"


def test_asking_whether_a_diploma_is_needed_is_answered_and_records_no_diploma(seeker, assistant):
    seeker.say("hi")
    seeker.say("lee")
    seeker.say("60640")
    seeker.say("1")
    reply = seeker.say("do i need a diploma for this")
    assert "You do not need a diploma or experience for our help" in reply and "How old are you" in reply, seeker.dump()
    assert "education" not in _answers(assistant, seeker)
    reply = seeker.say("do i need experience")
    assert "You do not need a diploma or experience" in reply and "How old are you" in reply, seeker.dump()


def test_wrong_number_stops_the_texts(seeker, assistant):
    reply = seeker.say("wrong number")
    assert "You will not get more texts from us" in reply, seeker.dump()


def test_how_much_longer_mid_intake_is_told_a_few_more_questions(seeker):
    seeker.say("hi")
    seeker.say("ana")
    seeker.say("60628")
    reply = seeker.say("how much longer is this")
    assert "A few more short questions" in reply and "kind of work" in reply, seeker.dump()
    assert "It is free" not in reply


def test_a_birth_year_and_a_yes_answer_the_age_and_work_question_together(seeker, assistant):
    seeker.say("hi")
    seeker.say("ana")
    seeker.say("60628")
    seeker.say("1")
    reply = seeker.say("born 1998, yes")
    assert "allowed to work" not in reply and "fits you best" in reply, seeker.dump()
    answers = _answers(assistant, seeker)
    assert answers["birth_year"] == 1998 and answers["work_authorized"] is True


@pytest.mark.parametrize(
    "text, language, answer",
    [
        ("can i get severance pay", "en", "Your last paycheck, with unused vacation, is due by your next regular payday"),
        ("will i still get paid till the end", "en", "Your last paycheck"),
        ("me van a dar liquidacion?", "es", "Tu ultimo pago"),
    ],
)
def test_a_laid_off_worker_asking_about_the_last_paycheck_is_answered(assistant, twilio_api, seeker, text, language, answer):
    _reached_by_outreach(assistant, twilio_api, seeker, language)
    reply = seeker.say(text)
    assert answer in reply and "labor.illinois.gov" in reply, seeker.dump()
    assert "Pay depends on the job" not in reply


def test_stop_misspelt_at_the_name_question_opts_out_and_is_no_name(seeker, assistant):
    seeker.say("hi")
    reply = seeker.say("stpo")
    assert "You will not get more texts from us" in reply, seeker.dump()
    assert "first_name" not in _answers(assistant, seeker)


def test_a_zip_and_a_question_in_one_text_keep_the_zip_and_answer_the_question(seeker, assistant):
    seeker.say("hi")
    seeker.say("Dana")
    reply = seeker.say("60623, is it free?")
    # The ZIP's words pull the model toward an answer; the question is still answered.
    assert "free" in reply.lower() and "kind of work" in reply, seeker.dump()
    assert assistant.store.latest_screening("twilio", seeker.number).answers["zip_code"] == "60623"
