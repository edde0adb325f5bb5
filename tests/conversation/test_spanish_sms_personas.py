"""Spanish and Spanglish speakers in Chicago texting the signed Twilio webhook, as found by a probe
of new personas: a man without papers who asks whether he can get help, a young man who answers in
slang and shorthand, a laid-off hotel worker who gives her last day where the company was asked, a
Puerto Rican woman, and a first text about job fairs when there are none. Checked in the replies
(as the SMS channel sends them, folded to GSM-7) and in the database."""
from __future__ import annotations

import uuid

import pytest

from bot.sms import fold_to_gsm
from bot.store.campaign_store import CampaignStore
from bot.warn.roster import RosterMember
from tests.channels.people import SmsSeeker
from tests.conftest import assistant_of_its_own
from tests.conversation.test_rapid_response import _notice
from tests.events.upcoming import upcoming_event
from tests.waiting import wait_until


def _says(reply: str, *words: str) -> bool:
    return all(fold_to_gsm(word) in reply for word in words)


@pytest.fixture
def seeker(assistant, twilio_api):
    person = SmsSeeker(assistant, twilio_api)
    yield person
    print("\nTranscript:\n" + person.dump())


def _answers(seeker: SmsSeeker) -> dict:
    return seeker.assistant.store.latest_screening("twilio", seeker.number).answers


def test_a_man_without_papers_is_told_the_truth_and_his_answer_is_not_flipped_by_his_question(seeker):
    seeker.say("hola")
    seeker.say("Jose")
    seeker.say("60608")
    seeker.say("construccion")
    assert _says(seeker.say("tengo 40"), "permiso para trabajar")
    reply = seeker.say("no tengo papeles, puedo recibir ayuda?")
    # The question is answered (WIOA sec. 188(a)(5): work authorization), and his answer kept.
    assert _says(reply, "capacitación WIOA pide prueba", "DACA o TPS", "ferias de empleo y los talleres son para todos")
    assert _says(reply, "te describe")
    reply = seeker.say("necesito papeles?")
    # Asking about papers is not saying he has them.
    assert _says(reply, "capacitación WIOA pide prueba", "te describe") and "cambi" not in reply
    assert _says(seeker.say("trabajo por mi cuenta"), "nivel más alto")
    seeker.say("secundaria")
    seeker.say("no")
    summary = seeker.say("ninguno")

    assert _says(summary, "¡Gracias, Jose!", "ConstructionWorks: tal vez")
    assert "no calificas" not in summary.lower() and "unlikely" not in summary.lower()
    answers = _answers(seeker)
    assert answers["work_authorized"] is False
    assert answers["employment_status"] == "working"
    assert answers["education"] == "some_high_school"


def test_slang_and_shorthand_answer_the_questions(seeker):
    seeker.say("q onda busco jale")
    seeker.say("soy kevin")
    seeker.say("60629")
    # "lo q sea": any kind of work, not a misread.
    assert _says(seeker.say("lo q sea"), "Cuántos años")
    assert _says(seeker.say("19"), "permiso para trabajar")
    assert _says(seeker.say("simon"), "te describe")
    assert _says(seeker.say("nel no trabajo"), "desempleo")
    assert _says(seeker.say("si estoy en unemployment"), "terminaste")
    assert _says(seeker.say("deje la escuela en noveno grado"), "fuerzas armadas")
    answers = _answers(seeker)
    assert answers["sectors"] == ["healthcare", "hospitality", "transportation", "it", "construction", "clean_energy"]
    assert answers["work_authorized"] is True
    assert answers["employment_status"] == "unemployed"
    assert answers["ui_status"] == "receiving"
    assert answers["education"] == "some_high_school" and answers["in_school"] is False


def test_a_hotel_worker_let_go_politely_gives_her_last_day_before_the_company(seeker):
    seeker.say("hola")
    seeker.say("Teresa")
    seeker.say("60632")
    seeker.say("hoteles")
    seeker.say("50, si")
    # "Me dieron las gracias": a dismissal.
    assert _says(seeker.say("me dieron las gracias en el trabajo"), "compañía")
    # A date where the company was asked: kept as the last day, the company asked again.
    assert _says(seeker.say("el 20 de noviembre"), "compañía")
    assert _says(seeker.say("el marriott"), "desempleo")
    answers = _answers(seeker)
    assert answers["employment_status"] == "laid_off"
    assert answers["layoff_date"] == "2026-11-20"
    assert answers["layoff_employer"] == "marriott"


def test_a_puerto_rican_woman_finishes_cuarto_ano_and_answers_mujer(seeker):
    seeker.say("wepa, busco trabajo")
    seeker.say("Marisol")
    seeker.say("60647")
    seeker.say("salud y tmb hoteles")
    seeker.say("29, soy ciudadana")
    seeker.say("trabajo de housekeeping")
    assert _says(seeker.say("cuarto año"), "fuerzas armadas")
    seeker.say("no")
    seeker.say("ninguno")
    seeker.say("ninguno")
    reply = seeker.say("somos 2, 40 mil al año")
    if _says(reply, "Servicio Selectivo"):
        reply = seeker.say("mujer")
    assert _says(reply, "¡Gracias, Marisol!")
    # After the summary, "link y medicaid" is the LINK card too.
    seeker.say("link y medicaid")
    answers = _answers(seeker)
    assert answers["sectors"] == ["healthcare", "hospitality"]
    assert answers["employment_status"] == "working"
    assert answers["education"] == "diploma"
    assert answers["public_assistance"] == ["snap", "medicaid"]
    assert "selective_service" not in answers


def test_answers_with_a_question_in_the_same_text_keep_both(seeker):
    seeker.say("hola")
    seeker.say("Carla")
    # Why the ZIP: explained, then asked again.
    reply = seeker.say("pq necesitan mi zip?")
    assert _says(reply, "centro de empleo te queda más cerca", "código postal") and "no parece" not in reply
    reply = seeker.say("60623, es gratis?")
    assert _says(reply, "Es gratis", "tipo de trabajo"), seeker.dump()
    seeker.say("salud")
    reply = seeker.say("cumplo 25 el mes que viene y si, cuanto dura la capacitacion?")
    assert _says(reply, "Depende del programa", "te describe"), seeker.dump()
    answers = _answers(seeker)
    assert answers["zip_code"] == "60623"
    # Turning 25 next month: 24 today, still in Youth's ages.
    assert answers["age"] == 24 and answers["work_authorized"] is True


def test_a_17_year_old_in_high_school_answers_the_grade_with_a_number(seeker):
    seeker.say("hola tengo 17 años y quiero trabajar")
    seeker.say("Diego")
    seeker.say("60629")
    assert _says(seeker.say("lo q sea"), "permiso para trabajar")
    seeker.say("si")
    assert _says(seeker.say("nunca he trabajado"), "Qué terminaste")
    # "voy en la prepa" answers both; "11" to the list would be the grade, never a new age.
    assert _says(seeker.say("voy en la prepa, en 11"), "fuerzas armadas"), seeker.dump()
    answers = _answers(seeker)
    assert answers["age"] == 17
    assert answers["education"] == "some_high_school" and answers["in_school"] is True


def test_a_puerto_rican_worker_and_a_reply_that_only_repeats_what_is_known(seeker):
    seeker.say("saludos, me interesa construccion")
    seeker.say("Jomar")
    seeker.say("60647")
    seeker.say("26, soy ciudadano americano de PR")
    assert _says(seeker.say("trabajo part time en un colmado"), "nivel más alto")
    # Repeating the age while the schooling is asked answers nothing new: after the hint and the
    # offer of a person, the question is left for staff instead of being asked for ever.
    assert _says(seeker.say("tengo 26"), "no entendí", "nivel más alto")
    assert _says(seeker.say("tengo 26"), "AGENTE")
    assert _says(seeker.say("tengo 26"), "fuerzas armadas"), seeker.dump()
    assert _says(seeker.say("no"), "reciben alguno")
    answers = _answers(seeker)
    assert answers["employment_status"] == "working" and answers["education"] == "unknown"


def test_the_schooling_said_before_more_words_and_never_asked_for_is_read(seeker):
    seeker.say("hola")
    seeker.say("el brayan")
    assert _says(seeker.say("60632"), "tipo de trabajo")
    assert _says(seeker.say("limpieza de oficinas o lo q sea"), "Cuántos años")
    seeker.say("30, si")
    assert _says(seeker.say("me corrieron de la limpieza hace 3 meses"), "compañía")
    seeker.say("saltar")
    assert _says(seeker.say("nunca lo pedi"), "nivel más alto")
    assert _says(seeker.say("cuarto año, no estudio ahora"), "fuerzas armadas"), seeker.dump()
    answers = _answers(seeker)
    assert answers["first_name"] == "Brayan"
    assert len(answers["sectors"]) == 6
    assert answers["ui_status"] == "not_filed" and answers["education"] == "diploma"


@pytest.fixture(scope="module")
def assistant_without_events(tmp_path_factory, twilio_api, telegram_api):
    with assistant_of_its_own(tmp_path_factory, twilio_api, telegram_api) as running:
        yield running


def test_asking_about_job_fairs_when_there_are_none_goes_on_to_the_intake(assistant_without_events, twilio_api):
    seeker = SmsSeeker(assistant_without_events, twilio_api)
    first = seeker.say("hay ferias de empleo?")
    assert _says(first, "tarifas de msj", "No hay ferias de empleo abiertas ahora", "nombre"), seeker.dump()
    assert _says(seeker.say("Sandra"), "código postal"), seeker.dump()
    # Asked again in the middle, the question waiting is asked again.
    reply = seeker.say("y ferias de empleo?")
    assert _says(reply, "No hay ferias", "código postal"), seeker.dump()
    assert _says(seeker.say("60638"), "tipo de trabajo"), seeker.dump()
    answers = seeker.assistant.store.latest_screening("twilio", seeker.number).answers
    assert answers["first_name"] == "Sandra" and answers["zip_code"] == "60638"


def test_a_worker_whose_first_reply_to_outreach_asks_about_job_fairs_is_greeted_about_the_layoff(assistant, twilio_api):
    employer = f"Dulces Chicago {uuid.uuid4().hex[:4]}"
    notice_id = _notice(assistant, employer)
    code = upcoming_event(assistant.catalog, "Candy rapid response", "Respuesta rápida dulces", ("transportation",), days_ahead=10).code
    seeker = SmsSeeker(assistant, twilio_api)
    campaigns = CampaignStore(assistant.store.engine)
    campaign = campaigns.create(notice_id, "Dulces", f"{employer} is closing.", f"{employer} cierra. Le ayudamos, gratis.", [code], None)
    campaigns.add_roster(campaign.id, [RosterMember(2, "Marisol", seeker.number, "es")])
    campaigns.set_status(campaign.id, "sending")
    wait_until(lambda: twilio_api.messages_to(seeker.number), 30, "the outreach text")

    reply = seeker.say("hay ferias de empleo?")
    # The outreach text carried the notice: the worker is greeted about the layoff, not sent it again.
    assert _says(reply, "Gracias por responder, Marisol", employer, "Ferias de empleo abiertas"), seeker.dump()
    assert "tarifas de msj" not in reply
    answers = seeker.assistant.store.latest_screening("twilio", seeker.number).answers
    assert answers["first_name"] == "Marisol" and answers["employment_status"] == "layoff_notice"
