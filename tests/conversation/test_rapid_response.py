"""Laid-off workers through the signed Twilio webhook of the running assistant: a worker on a
WARN campaign's roster writes back and is greeted about that layoff, asked only what the notice
does not say, found likely for Dislocated Worker (route 2) and offered the campaign's session; a
worker on no roster who names a recent notice's employer gets the same route."""
from __future__ import annotations

import time
import unicodedata
import uuid
from datetime import date, timedelta

from bot.cli.harness import TEST_TODAY
from bot.store.campaign_store import CampaignStore
from bot.store.warn_store import WarnStore
from bot.warn.notices import WarnNotice
from bot.warn.roster import RosterMember
from tests.channels.people import SmsSeeker
from tests.events.upcoming import upcoming_event

# The assistant judges on INTAKE_TODAY (bot/cli/harness.py): the layoff is still ahead of it, and
# the notice recent enough to match a named employer.
JUDGED_ON = date.fromisoformat(TEST_TODAY)
LAYOFF_DAY = date(2027, 1, 15)

# Answers to whatever the intake asks next, the more specific words first.
ANSWERS_EN = [
    ("ZIP", "60609"), ("kind of work", "3"), ("How old", "41"), ("allowed to work", "yes"),
    ("Unemployment benefits", "3"), ("highest school", "3"), ("school", "no"), ("armed forces", "3"),
    ("get any of these", "5"), ("Do any of these apply", "7"), ("I am not a man", "4"), ("first name", "Dana"),
]
ANSWERS_ES = [
    ("código postal", "60609"), ("tipo de trabajo", "3"), ("años", "41"), ("permiso para trabajar", "si"),
    ("desempleo", "3"), ("nivel más alto", "3"), ("escuela", "no"), ("fuerzas armadas", "3"),
    ("reciben alguno", "5"), ("Te aplica alguno", "7"), ("no eres hombre", "4"), ("nombre", "Dana"),
]


def _notice(assistant, employer: str, reason: str = "Plant Closure") -> int:
    store = WarnStore(assistant.store.engine)
    notice = WarnNotice(
        employer=employer, iebs_id=uuid.uuid4().hex[:11], city="Chicago", zip_code="60609", lwia="7",
        reason=reason, impact_on=LAYOFF_DAY, reported_on=JUDGED_ON - timedelta(days=20),
    )
    store.import_notices([notice])
    return next(r.id for r in store.list_notices(limit=500) if r.notice.employer == employer)


def _plain(text: str) -> str:
    """Lower case without accents: the SMS channel writes "más" as "mas"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _finish_intake(seeker: SmsSeeker, reply: str, answers) -> str:
    for _ in range(16):
        if "AGENT" in reply and ("Sessions for you" in reply or "Sesiones para ti" in reply or "EVENTS" in reply):
            return reply
        answer = next((text for words, text in answers if _plain(words) in _plain(reply)), "skip")
        reply = seeker.say(answer)
    return reply


def test_a_worker_on_a_campaign_roster_writes_back_about_the_layoff(assistant, twilio_api):
    employer = f"Acme Foods {uuid.uuid4().hex[:4]}"
    notice_id = _notice(assistant, employer)
    code = upcoming_event(
        assistant.catalog, "Acme rapid response", "Respuesta rápida Acme", ("transportation",), days_ahead=10, capacity=80
    ).code
    seeker = SmsSeeker(assistant, twilio_api)
    campaigns = CampaignStore(assistant.store.engine)
    campaign = campaigns.create(notice_id, "Acme", f"{employer} is closing. We can help.", f"{employer} cierra. Le ayudamos.", [code], None)
    campaigns.add_roster(campaign.id, [RosterMember(2, "Marisol", seeker.number, "es")])
    campaigns.set_status(campaign.id, "sending")
    deadline = time.monotonic() + 30
    while not twilio_api.messages_to(seeker.number) and time.monotonic() < deadline:
        time.sleep(0.1)
    (outreach,) = twilio_api.messages_to(seeker.number)
    assert "cierra" in outreach.body and "STOP" in outreach.body

    first = seeker.say("hola, que hago?")
    assert "Gracias por responder, Marisol" in first and employer in first
    assert "tarifas de msj" not in first  # the outreach text carried the notice already
    assert "nombre" not in first.lower().split("?")[0]  # the roster gave the first name
    summary = _finish_intake(seeker, first, ANSWERS_ES)
    print("\nTranscript:\n" + seeker.dump())
    asked = "\n".join(text for who, text in seeker.transcript if who == "bot")
    assert "qué empresa" not in asked.lower() and "Which company" not in asked  # the notice says it
    assert "Sesiones para ti" in summary and code in summary
    screening = assistant.store.latest_screening("twilio", seeker.number)
    assert screening.status == "complete"
    assert screening.answers["employment_status"] == "layoff_notice"
    assert screening.answers["warn_notice"]["reason"] == "Plant Closure"
    assert screening.results["programs"]["wioa_dislocated_worker"]["determination"] == "likely"


def test_a_worker_on_no_roster_who_names_a_recent_notices_employer_gets_route_2(assistant, twilio_api):
    employer = f"Zenith Widgets {uuid.uuid4().hex[:4]}"
    _notice(assistant, employer, reason="Mass Layoff")
    seeker = SmsSeeker(assistant, twilio_api)
    reply = seeker.say("hi")
    for words, text in [("first name", "Dana"), ("ZIP", "60609"), ("kind of work", "3"), ("How old", "41"),
                        ("allowed to work", "yes"), ("fits you best", "3")]:
        assert words.lower() in reply.lower(), seeker.dump()
        reply = seeker.say(text)
    assert "Which company" in reply, seeker.dump()
    reply = seeker.say(f"i worked at {employer.split()[0].lower()} widgets")
    assert "reported this layoff to the state" in reply
    _finish_intake(seeker, reply, ANSWERS_EN)
    screening = assistant.store.latest_screening("twilio", seeker.number)
    assert screening.answers["warn_notice"]["reason"] == "Mass Layoff"
    assert screening.results["programs"]["wioa_dislocated_worker"]["determination"] == "likely"


def test_a_name_that_fits_several_employers_asks_which_in_a_numbered_list(assistant, twilio_api):
    brand = f"Orion{uuid.uuid4().hex[:4]}"
    _notice(assistant, f"{brand} Foods", reason="Plant Closure")
    _notice(assistant, f"{brand} Metals", reason="Mass Layoff")
    seeker = SmsSeeker(assistant, twilio_api)
    reply = seeker.say("hi")
    for words, text in [("first name", "Dana"), ("ZIP", "60609"), ("kind of work", "3"), ("How old", "41"),
                        ("allowed to work", "yes"), ("fits you best", "3")]:
        reply = seeker.say(text)
    assert "Which company" in reply, seeker.dump()
    reply = seeker.say(f"{brand.lower()}")
    assert "Which one was it?" in reply and f"{brand} Foods" in reply and f"{brand} Metals" in reply
    assert "3 None of these" in reply
    reply = seeker.say("the metals one")
    assert "Which one" not in reply  # the intake goes on with its next question
    screening = assistant.store.latest_screening("twilio", seeker.number)
    assert screening.answers["warn_notice"]["reason"] == "Mass Layoff"


def test_a_spanish_speaker_names_the_employer_in_a_sentence(assistant, twilio_api):
    employer = f"Vega{uuid.uuid4().hex[:4]} Logistics LLC"
    _notice(assistant, employer, reason="Plant Closure")
    seeker = SmsSeeker(assistant, twilio_api)
    reply = seeker.say("hola")
    for words, text in [("nombre", "Rosa"), ("postal", "60609"), ("tipo de trabajo", "3"), ("años", "41"),
                        ("permiso para trabajar", "si"), ("describe", "3")]:
        assert _plain(words) in _plain(reply), seeker.dump()
        reply = seeker.say(text)
    assert "compania" in _plain(reply), seeker.dump()
    reply = seeker.say(f"trabajaba en {employer.split()[0].lower()} logistic en bedford park")  # misspelt, with the town
    assert "aviso de este despido al estado" in _plain(reply)
    screening = assistant.store.latest_screening("twilio", seeker.number)
    assert screening.answers["warn_notice"]["reason"] == "Plant Closure"


def test_a_worker_asking_how_we_got_the_number_is_told_and_the_intake_goes_on(assistant, twilio_api):
    employer = f"Borealis Foods {uuid.uuid4().hex[:4]}"
    notice_id = _notice(assistant, employer)
    seeker = SmsSeeker(assistant, twilio_api)
    campaigns = CampaignStore(assistant.store.engine)
    campaign = campaigns.create(notice_id, "Borealis", f"{employer} is closing. We can help.", f"{employer} cierra.", [], None)
    campaigns.add_roster(campaign.id, [RosterMember(2, "Dana", seeker.number, "en")])
    campaigns.set_status(campaign.id, "sending")
    deadline = time.monotonic() + 30
    while not twilio_api.messages_to(seeker.number) and time.monotonic() < deadline:
        time.sleep(0.1)

    reply = seeker.say("how did u get my number")
    assert "Thanks for writing back, Dana" in reply, seeker.dump()
    assert "reported a layoff to the state" in reply and "ZIP" in reply  # then the first question
    reply = seeker.say("who gave you my number??")
    assert "reported a layoff to the state" in reply and "ZIP" in reply, seeker.dump()
    assert "Thanks" not in reply  # greeted once
