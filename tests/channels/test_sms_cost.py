"""What texting costs: every message as the SMS channel sends it (numbered choices included)
fits 3 segments, a full intake in English bills at most ENGLISH_INTAKE_SEGMENT_LIMIT segments, and the
same intake in Spanish at most 1.2x that."""
from __future__ import annotations

import re

import pytest

from bot.sms import sms_body
from bot.channel_replies import all_replies
from bot.sms import MAX_SEGMENTS, is_gsm7, segments
from tests.channels.people import SmsSeeker
from tests.flows.test_domain_responses import RESPONSES

SPANISH_TO_ENGLISH_COST_LIMIT = 1.2
# Issue 12's target: the consent notice rides with the first question, and age and work
# authorization, and schooling and being in school, are each asked in one message.
ENGLISH_INTAKE_SEGMENT_LIMIT = 15


def _language(variation: dict) -> str:
    conditions = variation.get("condition") or []
    return "es" if any(c.get("value") == "es" for c in conditions) else "en"


def _filled(text: str) -> str:
    """A template with its blanks filled by long but realistic values."""
    return re.sub(r"{(\w+)}", lambda m: {"name_part": ", Guadalupe"}.get(m.group(1), "x" * 30), text)


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_as_sent_by_sms_fits_three_segments(name):
    for variation in RESPONSES[name]:
        body = sms_body(_filled(variation["text"]), variation.get("buttons"), _language(variation))
        assert is_gsm7(body), f"{name}: {body!r} would be sent as UCS-2"
        assert segments(body) <= MAX_SEGMENTS, f"{name}: {segments(body)} segments:\n{body}"


@pytest.mark.parametrize("key", sorted(all_replies()))
def test_every_channel_reply_fits_one_segment_in_both_languages(key):
    for language, text in all_replies()[key].items():
        body = sms_body(text, None, language)
        assert is_gsm7(body) and segments(body) == 1, f"{key}/{language}: {segments(body)} segments"


# The same seeker (19, hotels, finished high school, SNAP) in both languages.
ENGLISH_INTAKE = [
    "looking for work in hotels", "Ana", "60629", "im 19, yes", "2", "i have not applied",
    "finished high school, no", "none", "food stamps", "7", "im not a man",
]
SPANISH_INTAKE = [
    "busco trabajo en hoteles", "Ana", "60629", "tengo 19, si", "2", "no he aplicado",
    "termine la prepa, no", "ninguno", "cupones de comida", "7", "no soy hombre",
]


def _billed_segments(assistant, twilio_api, texts: list[str]) -> tuple[int, int, SmsSeeker]:
    person = SmsSeeker(assistant, twilio_api)
    for text in texts:
        person.text(text)
    bodies = [message.body for message in twilio_api.messages_to(person.number)]
    return sum(segments(body) for body in bodies), len(bodies), person


def test_a_full_intake_fits_the_segment_budget_in_both_languages(assistant, twilio_api):
    english, english_count, english_person = _billed_segments(assistant, twilio_api, ENGLISH_INTAKE)
    spanish, spanish_count, spanish_person = _billed_segments(assistant, twilio_api, SPANISH_INTAKE)
    for person in (english_person, spanish_person):
        assert assistant.store.latest_screening("twilio", person.number).status == "complete", person.dump()
    print(
        f"\nBilled SMS segments of a full intake: English {english} ({english_count} messages), "
        f"Spanish {spanish} ({spanish_count} messages), ratio {spanish / english:.2f}"
    )
    assert english <= ENGLISH_INTAKE_SEGMENT_LIMIT
    assert spanish <= SPANISH_TO_ENGLISH_COST_LIMIT * english
