"""Naming a hiring event in one's own words goes straight to it, through the running assistant's
Twilio and Telegram webhooks: by name (misspelt too) in English and Spanish, several matches ask
among those only, a list answered in words, and answers to other questions kept on the way.

The events are made here, starting days after now, with a made-up word in their names that no
other test's event has, so the shared test database cannot add matches."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.hiring_events.model import Event
from tests.channels.people import SmsSeeker, TelegramSeeker
from tests.events.upcoming import upcoming_event



def _event(assistant, name_en: str, name_es: str, sectors: tuple[str, ...], days_ahead: int = 8) -> Event:
    return upcoming_event(assistant.catalog, name_en, name_es, sectors, days_ahead=days_ahead)


def _registered_codes(assistant, channel: str, address: str) -> list[str]:
    held = assistant.registrations.registrations_of(channel, address, datetime.now(timezone.utc))
    return [item.event.code for item in held if item.registration.status == "registered"]


@pytest.fixture
def texter(assistant, twilio_api):
    seeker = SmsSeeker(assistant, twilio_api)
    yield seeker
    print("\nTranscript:\n" + seeker.dump())


@pytest.fixture(scope="module")
def zephyr(assistant) -> Event:
    """A hotel hiring event known by a word of its own."""
    return _event(assistant, "Zephyr Hotel Hires", "Feria de empleo de hoteles Zephyr", ("hospitality",))


def test_naming_an_event_in_a_first_text_goes_straight_to_it(assistant, texter, zephyr):
    reply = texter.say("I want to register for zephyr hotel hires")
    assert "Msg & data rates may apply" in reply  # the consent notice still comes first
    assert "Hiring events you can sign up for" not in reply  # no list of everything
    assert "What name" in reply and "Zephyr Hotel Hires" in reply
    assert "Sign up Jordan for Zephyr Hotel Hires" in texter.say("Jordan")
    assert "You're signed up for Zephyr Hotel Hires" in texter.say("yes")
    assert _registered_codes(assistant, "twilio", texter.number) == [zephyr.code]


def test_naming_an_event_in_spanish_misspelt_goes_straight_to_it(assistant, texter, zephyr):
    reply = texter.say("quiero registrarme para la feria de empleo de hoteles zephir")
    assert "ALTO" in reply  # the consent notice, in Spanish
    assert "Ferias de empleo abiertas" not in reply
    assert "Feria de empleo de hoteles Zephyr" in reply
    assert "Inscribimos a Marisol" in texter.say("Marisol")
    texter.say("si")
    assert _registered_codes(assistant, "twilio", texter.number) == [zephyr.code]


def test_several_events_that_fit_are_listed_alone_and_picked_in_words_by_telegram(assistant, telegram_api):
    hotel = _event(assistant, "Quillon Hotel Night", "Noche de hoteles Quillon", ("hospitality",), days_ahead=10)
    warehouse = _event(assistant, "Quillon Warehouse Day", "Dia de almacenes Quillon", ("transportation",), days_ahead=11)
    seeker = TelegramSeeker(assistant, telegram_api)
    texts = [reply["text"] for reply in seeker.text("any quillon events?")]
    listing = texts[-1]
    assert "Hiring events you can sign up for" in listing
    listed = [line for line in listing.splitlines() if line[:1].isdigit()]
    assert [line.split(" ", 1)[1].split(",")[0] for line in listed] == ["Quillon Hotel Night", "Quillon Warehouse Day"]
    asked = seeker.text("the warehouse one")[-1]["text"]
    assert "What name" in asked and "Quillon Warehouse Day" in asked
    assert seeker.text("Tomas")[-1]["text"].startswith("Sign up Tomas for Quillon Warehouse Day")
    assert "signed up" in seeker.text("yes")[-1]["text"]
    assert _registered_codes(assistant, "telegram", seeker.chat_id) == [warehouse.code]
    assert hotel.code not in _registered_codes(assistant, "telegram", seeker.chat_id)


def test_answers_to_other_questions_are_kept_while_the_list_is_up(assistant, texter):
    _event(assistant, "Ostrava Health Day", "Dia de salud Ostrava", ("healthcare",), days_ahead=12)
    clinic = _event(assistant, "Ostrava Clinic Careers", "Empleos en clinicas Ostrava", ("healthcare",), days_ahead=13)
    listing = texter.say("are there any ostrava job fairs coming up")
    assert "Ostrava Health Day" in listing and "Ostrava Clinic Careers" in listing
    assert "noted" in texter.say("Jordan")  # a name: kept, not a misunderstanding
    noted = texter.say("60616")  # a ZIP: kept too
    assert "noted" in noted and "AGENT" not in noted
    assert "Sign up Jordan for Ostrava Clinic Careers" in texter.say("the clinic one")
    texter.say("yes")
    assert _registered_codes(assistant, "twilio", texter.number) == [clinic.code]
    assert assistant.handoffs.open_for("twilio", texter.number) is None
    answers = assistant.store.latest_screening("twilio", texter.number).answers
    assert (answers.get("first_name"), answers.get("zip_code")) == ("Jordan", "60616")


def test_a_spanish_list_answered_in_words_by_telegram(assistant, telegram_api):
    _event(assistant, "Pulaski Warehouse Day", "Día de almacenes Pulaski", ("transportation",), days_ahead=14)
    health = _event(assistant, "Pulaski Health Day", "Día de salud Pulaski", ("healthcare",), days_ahead=15)
    seeker = TelegramSeeker(assistant, telegram_api)
    listing = seeker.text("hola, hay ferias de empleo de pulaski?")[-1]["text"]
    assert "Ferias de empleo abiertas" in listing
    assert "Día de almacenes Pulaski" in listing and "Día de salud Pulaski" in listing
    asked = seeker.text("el de salud")[-1]["text"]
    assert "Día de salud Pulaski" in asked  # straight to it: its name is asked for
    assert "Inscribimos a Lucía" in seeker.text("Lucía")[-1]["text"]
    seeker.text("sí")
    assert _registered_codes(assistant, "telegram", seeker.chat_id) == [health.code]
