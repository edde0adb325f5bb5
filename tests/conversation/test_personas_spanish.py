"""Realistic Spanish and Spanglish intakes, one seeker each, through the running servers and checked
in the database: questions in the middle of the form, switching languages, no work papers, a
closed business, and a mother who is never asked about Selective Service.
"""
from __future__ import annotations


def _programs(screening) -> dict[str, str]:
    return {name: outcome["determination"] for name, outcome in screening.results["programs"].items()}


def test_spanglish_youth_asks_questions_midway_and_the_form_resumes(chat, assistant):
    first = chat.say("hola, busco jale en warehouse o de forklift")
    assert "tarifas de msj y datos" in first and "nombre" in first
    assert "código postal" in chat.say("Brenda")
    reply = chat.say("es gratis?")
    assert "Es gratis" in reply and "código postal" in reply
    # The sectors were in the first message: age comes next.
    assert "años" in chat.say("60632")
    reply = chat.say("que es wioa")
    assert "programa federal gratis" in reply and "años" in reply
    reply = chat.say("donde estan?")
    assert "Para el código 60632" in reply and "Ciudad de Chicago" in reply
    assert "años" in reply
    assert "permiso para trabajar" in chat.say("tengo 20")
    assert "te describe" in chat.say("sip")
    assert "desempleo" in chat.say("estoy unemployed")
    assert "con créditos" in chat.say("nop")
    # Dropping out answers both school questions.
    assert "fuerzas armadas" in chat.say("no, deje la escuela en 11")
    assert "reciben alguno" in chat.say("no")
    assert "Te aplica alguno" in chat.say("ninguno")
    # A single mother: a woman, so Selective Service is not asked; her family's income is.
    assert "Cuántos son en tu familia" in chat.say("soy mamá soltera")
    summary = chat.say("somos 2, 14 mil al año")

    assert "¡Gracias, Brenda!" in summary
    assert "WIOA Jóvenes" in summary
    assert "Servicio Selectivo" not in "\n".join(text for _, text in chat.transcript)
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    answers = screening.answers
    assert answers["sectors"] == ["transportation"]
    assert answers["age"] == 20
    assert answers["employment_status"] == "unemployed"
    assert answers["in_school"] is False
    assert answers["education"] == "some_high_school"
    assert answers["barriers"] == ["pregnant_or_parenting"]
    assert answers["sex"] == "female"
    assert "selective_service" not in answers
    assert _programs(screening)["wioa_youth"] == "likely"
    assert assistant.store.find_seeker("rest", chat.sender).language == "es"


def test_self_employed_cook_whose_business_closed(chat, assistant):
    chat.say("hola")
    chat.say("Rosa")
    chat.say("60632")
    assert "años" in chat.say("cocinera")
    chat.say("tengo 39")
    assert "te describe" in chat.say("si")
    assert "desempleo" in chat.say("mi negocio cerró, tenía una taquería")
    # 39: past Youth age, school is not asked.
    assert "nivel más alto" in chat.say("no se")
    assert "fuerzas armadas" in chat.say("la prepa")
    chat.say("no")
    # No aid named: the barriers question can still settle her priority group.
    assert "Te aplica alguno" in chat.say("no")
    assert "Cuántos son en tu familia" in chat.say("ninguno")  # an adult whose priority group nothing settled yet
    assert "Servicio Selectivo" in chat.say("somos 3, 48 mil al año")  # above the poverty guideline: still bounded
    summary = chat.say("no soy hombre")

    assert "¡Gracias, Rosa!" in summary
    assert "Hoteles" in summary
    assert "WIOA Trabajador Desplazado" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    answers = screening.answers
    assert answers["employment_status"] == "self_employed_lost_business"
    assert answers["sectors"] == ["hospitality"]  # the taqueria is not read as a new wish
    assert answers["ui_status"] == "unknown"
    assert answers["education"] == "diploma"
    assert answers["sex"] == "other"
    assert "selective_service" not in answers
    assert _programs(screening)["wioa_dislocated_worker"] in ("likely", "possible")


def test_spanish_speaker_switches_to_english_and_back(chat, assistant):
    first = chat.say("hola buenas tardes")
    assert "nombre" in first
    chat.say("me llamo Guadalupe")
    # "buenas tardes" is a greeting, not a sector: the sector question is asked.
    assert "tipo de trabajo" in chat.say("60608")
    assert "años" in chat.say("quiero trabajar en un almacén o de montacargas")
    reply = chat.say("english please")
    assert "continue in English" in reply and "How old" in reply
    assert "allowed to work" in chat.say("32")
    assert "fits you best" in chat.say("yes")
    reply = chat.say("en español")
    assert "seguimos en español" in reply and "te describe" in reply
    assert "compañía" in chat.say("me corrieron del trabajo hace un mes")
    assert "desempleo" in chat.say("de la fabrica de dulces")
    chat.say("si recibo desempleo")
    chat.say("no")
    chat.say("GED")
    chat.say("no")
    assert "Servicio Selectivo" in chat.say("SNAP")
    summary = chat.say("no soy hombre")

    assert "¡Gracias, Guadalupe!" in summary
    assert "Siguiente paso" in summary
    seeker = assistant.store.find_seeker("rest", chat.sender)
    assert seeker.language == "es"
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    answers = screening.answers
    assert answers["sectors"] == ["transportation"]
    assert answers["age"] == 32
    assert answers["employment_status"] == "laid_off"
    assert answers["layoff_date"] == "2026-10-25"
    assert answers["layoff_employer"] == "fabrica de dulces"
    assert answers["ui_status"] == "receiving"
    assert answers["public_assistance"] == ["snap"]
    assert _programs(screening)["wioa_dislocated_worker"] == "likely"


def test_seeker_without_work_papers_gets_a_kind_answer_and_free_services(chat, assistant):
    chat.say("hola")
    chat.say("Miguel")
    chat.say("60623")
    assert "años" in chat.say("contruccion")
    assert "permiso para trabajar" in chat.say("tengo 30")
    assert "te describe" in chat.say("no tengo papeles")
    assert "nivel más alto" in chat.say("trabajo en construccion pero por mi cuenta")
    assert "fuerzas armadas" in chat.say("termine la secundaria en mexico")
    chat.say("no")
    summary = chat.say("ninguno")

    transcript = "\n".join(text for _, text in chat.transcript)
    # Not asked about Selective Service nor barriers: they cannot change anything without work papers.
    assert "Servicio Selectivo" not in transcript and "Te aplica alguno" not in transcript
    # ConstructionWorks' entry rules are unverified: no work papers sends the case to staff, not a no.
    assert "ConstructionWorks: tal vez" in summary
    assert "Una persona del equipo revisará" in summary
    assert "Siguiente paso" in summary and "chicookworks.org" in summary
    assert "no calificas" not in summary.lower() and "not eligible" not in summary.lower()
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["work_authorized"] is False
    assert screening.answers["sectors"] == ["construction"]
    programs = _programs(screening)
    assert programs["wioa_adult"] == "unlikely"
    assert programs["wioa_dislocated_worker"] == "unlikely"
    reasons = screening.results["programs"]["wioa_adult"]["reason_codes"]
    assert reasons == ["not_work_authorized"]
