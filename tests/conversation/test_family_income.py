"""The family's size and income, asked by SMS through the running assistant's signed Twilio webhook
only while low income can still change the Adult priority group: at or under the HHS poverty
guideline settles it (WIOA 3(36)(A)(ii)); above it, or skipped, the group stays bounded for staff."""
from __future__ import annotations

import pytest

from tests.channels.people import SmsSeeker


@pytest.fixture
def texter(assistant, twilio_api):
    seeker = SmsSeeker(assistant, twilio_api)
    yield seeker
    print("\nTranscript:\n" + seeker.dump())


def _reach_the_family_question(texter: SmsSeeker, *, spanish: bool = False) -> str:
    if spanish:
        texts = ["hola busco trabajo", "Rosa", "60623", "salud", "35, si", "1", "3", "3", "5", "7"]
    else:
        texts = ["hi i need a better job", "Dana", "60623", "healthcare", "35, yes", "1", "3", "3", "5", "7"]
    reply = ""
    for text in texts:
        reply = texter.say(text)
    return reply


def test_a_family_under_the_poverty_guideline_is_told_it_is_served_first(texter, assistant):
    question = _reach_the_family_question(texter)
    assert "How many in your family" in question
    texter.say("me and 2 kids, 1500 a month")
    summary = texter.say("4")  # Selective Service: not a man
    assert "priority group 2" in summary
    screening = assistant.store.latest_screening("twilio", texter.number)
    assert screening.status == "complete"
    assert (screening.answers["family_size"], screening.answers["family_income"]) == (3, 18000)
    assert screening.results["programs"]["wioa_adult"]["priority_group"] == 2


def test_an_income_above_the_guideline_leaves_the_group_for_staff_in_spanish(texter, assistant):
    question = _reach_the_family_question(texter, spanish=True)
    assert "Cuantos son en tu familia" in question  # as sent: folded to GSM-7
    texter.say("somos 2, 60 mil al año")
    texter.say("4")
    screening = assistant.store.latest_screening("twilio", texter.number)
    assert screening.status == "complete"
    assert screening.answers["family_income"] == 60000
    assert screening.results["programs"]["wioa_adult"]["priority_group"] is None


def test_an_hourly_wage_gets_a_hint_and_skip_is_fine(texter, assistant):
    _reach_the_family_question(texter)
    assert "like 3, 25000" in texter.say("15 an hour")
    assert "Selective Service" in texter.say("skip")
    screening = assistant.store.latest_screening("twilio", texter.number)
    assert screening.answers["family_income"] == "unknown"


def test_someone_on_snap_is_never_asked(texter):
    for text in ["hi", "Lee", "60623", "healthcare", "35, yes", "1", "3", "3", "1"]:
        texter.say(text)
    reply = texter.say("7")
    assert "Selective Service" in reply and "family" not in reply


def test_a_reply_with_only_the_size_is_asked_for_the_income_alone(texter, assistant):
    _reach_the_family_question(texter)
    assert "your family of 3 earn" in texter.say("3 of us")
    assert "Selective Service" in texter.say("about 2000 a month")
    screening = assistant.store.latest_screening("twilio", texter.number)
    assert (screening.answers["family_size"], screening.answers["family_income"]) == (3, 24000)
