"""Someone who never had a paid job and lost the family income they lived on is a displaced
homemaker (WIOA 3(16)(A)(i)), a route into Dislocated Worker: asked by SMS through the running
assistant's signed Twilio webhook, in English and Spanish, only after "never had a job"."""
from __future__ import annotations

import pytest

from tests.channels.people import SmsSeeker


@pytest.fixture
def texter(assistant, twilio_api):
    seeker = SmsSeeker(assistant, twilio_api)
    yield seeker
    print("\nTranscript:\n" + seeker.dump())


def _answer_until_summary(texter: SmsSeeker, answers: list[tuple[str, str]], last: str) -> str:
    """Answers each question by the words it contains until the summary arrives."""
    reply = last
    for _ in range(20):
        if "qualify" in reply or "calificar" in reply:
            return reply
        text = next((answer for words, answer in answers if words in reply), None)
        assert text is not None, f"no answer for: {reply}"
        reply = texter.say(text)
    raise AssertionError("no summary after 20 messages")


def test_a_homemaker_who_lost_her_husbands_income_may_qualify_as_a_dislocated_worker(texter, assistant):
    texter.say("hi i need work")
    texter.say("Maria")
    texter.say("60623")
    texter.say("healthcare")
    assert "fits you best" in texter.say("44, yes")
    question = texter.say("6")  # never had a job
    assert "family member's income" in question
    summary = _answer_until_summary(
        texter,
        [("highest school", "3"), ("armed forces", "3"), ("military", "3"), ("get any of these", "5"),
         ("apply", "7"), ("How many in your family", "2, 9000"), ("Selective Service", "4")],
        texter.say("yes"),
    )
    assert "Dislocated Worker" in summary
    screening = assistant.store.latest_screening("twilio", texter.number)
    assert screening.answers["employment_status"] == "never_worked"
    assert screening.answers["family_support_lost"] is True
    worker = screening.results["programs"]["wioa_dislocated_worker"]
    assert worker["determination"] == "possible"


def test_a_no_leaves_dislocated_worker_unlikely_and_spanish_is_asked_in_spanish(texter, assistant):
    texter.say("hola busco trabajo")
    texter.say("Rosa")
    texter.say("60623")
    texter.say("salud")
    texter.say("44, si")
    question = texter.say("6")
    assert "ingreso de un familiar" in question
    _answer_until_summary(
        texter,
        [("escuela", "3"), ("fuerzas armadas", "3"), ("alguno", "5"), ("aplica", "7"), ("familia", "2, 9000"),
         ("Selectivo", "4")],
        texter.say("no"),
    )
    screening = assistant.store.latest_screening("twilio", texter.number)
    assert screening.answers["family_support_lost"] is False
    assert screening.results["programs"]["wioa_dislocated_worker"]["determination"] == "unlikely"


def test_someone_laid_off_is_never_asked(texter, assistant):
    texter.say("hi")
    texter.say("Tom")
    texter.say("60623")
    texter.say("warehouse")
    texter.say("44, yes")
    assert "company" in texter.say("3")  # laid off: the employer, not the family-income question
    transcript = texter.dump()
    assert "family member's income" not in transcript
