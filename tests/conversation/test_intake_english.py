"""Full intake conversations in English through the running servers, checked in the database."""
from __future__ import annotations

from bot.sms import MAX_SEGMENTS, fold_to_gsm, segments


def test_laid_off_worker_is_screened_and_told_what_to_bring(chat, assistant):
    first = chat.say("got laid off from my warehouse job")
    assert "Msg & data rates may apply" in first and "STOP" in first and "HELP" in first
    assert "first name" in first

    assert "ZIP" in chat.say("Marcus")
    # The first message named the sector and the layoff: neither is asked again.
    assert "How old" in chat.say("60644")
    assert "allowed to work" in chat.say("im 41")
    assert "company" in chat.say("yea")
    assert "last day" in chat.say("amazon")
    assert "Unemployment benefits" in chat.say("2 weeks ago")
    # 41 is past Youth age: being in school changes nothing, so it is not asked.
    assert "highest school" in chat.say("1")
    assert "military" in chat.say("3")
    assert "get any of these" in chat.say("3")
    # No aid named: homelessness or a skill need could still settle his priority group (2 or 4).
    assert "Do any of these apply" in chat.say("none")
    # A man born 1985 is asked about Selective Service, so the reply before the summary asks it.
    assert "How many in your family" in chat.say("none")  # an adult whose priority group nothing settled yet
    assert "Selective Service" in chat.say("3, 48000")  # above the poverty guideline: still bounded
    summary = chat.say("yes")

    assert "Thanks, Marcus!" in summary
    assert "Transportation" in summary
    assert "WIOA Dislocated Worker: likely a fit" in summary
    assert "WIOA Adult" in summary
    assert "Photo ID" in summary and "Layoff notice" in summary
    assert "Next step: American Job Center, City of Chicago" in summary

    # Every message of the whole intake fits the SMS budget as the SMS channel sends it.
    billed = [segments(fold_to_gsm(text)) for text in chat.bot_texts()]
    assert max(billed) <= MAX_SEGMENTS, chat.dump()
    print(f"\nEnglish intake: {len(billed)} messages, {sum(billed)} billed segments")

    seeker = assistant.store.find_seeker("rest", chat.sender)
    assert seeker.language == "en"
    assert seeker.consent_notice_at is not None
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["zip_code"] == "60644"
    assert screening.answers["age"] == 41
    assert screening.answers["employment_status"] == "laid_off"
    assert screening.answers["sectors"] == ["transportation"]
    assert screening.answers["ui_status"] == "receiving"
    assert screening.answers["layoff_date"] == "2026-11-11"
    assert screening.results["programs"]["wioa_dislocated_worker"]["determination"] == "likely"
    assert screening.rules_version


def test_answers_given_all_at_once_and_corrected_later(chat, assistant):
    chat.say("hi")
    reply = chat.say("my name is jasmine, im 22 and my zip is 60621")
    assert "kind of work" in reply  # name, age and ZIP were all taken from one message
    assert "How old" not in chat.say("CNA and hotels")
    reply = chat.say("actually my zip is 60623")
    assert "changed that" in reply
    assert "allowed to work" in reply  # the pending question is asked again
    answers = assistant.store.latest_screening("rest", chat.sender).answers
    assert answers["zip_code"] == "60623"
    assert answers["first_name"] == "Jasmine"
    assert answers["age"] == 22
    assert answers["sectors"] == ["healthcare", "hospitality"]


def test_a_question_gets_an_answer_and_the_form_resumes(chat):
    chat.say("hello")
    chat.say("Luis")
    reply = chat.say("is it free?")
    assert "free" in reply
    assert "ZIP" in reply  # the pending question comes back
    reply = chat.say("what is wioa")
    assert "federal program" in reply and "ZIP" in reply
    reply = chat.say("how long does training take")
    assert "few weeks to a few months" in reply and "ZIP" in reply


def test_how_long_training_takes_in_spanish_as_a_first_message(chat):
    reply = chat.say("cuanto dura la capacitacion?")
    assert "unas semanas a unos meses" in reply
    assert "nombre" in reply  # then the intake starts


def test_a_reply_that_is_not_an_answer_gets_a_hint(chat):
    chat.say("hi")
    chat.say("Ana")
    reply = chat.say("6062")
    assert "5 numbers" in reply
    assert "ZIP" in reply
    assert "What kind of work" in chat.say("60608")


def test_stop_opts_out_once_and_records_it(chat, assistant):
    chat.say("hi")
    chat.say("Rosa")
    assert "not get more texts" in chat.say("stop texting me")
    assert chat.slots()["opted_out"] is True
    history = assistant.store.consent_history("rest", chat.sender)
    assert [event.event for event in history][-1] == "opt_out"
    assert assistant.store.find_seeker("rest", chat.sender).consent_status == "opted_out"
