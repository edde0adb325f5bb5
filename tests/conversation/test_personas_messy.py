"""Messy intakes the way people really text from cheap phones, through the running servers.

ALL CAPS, no punctuation, emoji digits, ages in words, Spanglish, slang yes/no ("simon", "nel",
"k"), answers out of order or to another question, ZIP+4, employer names with punctuation, dates
like "the 3rd of last month", and seekers the form must treat right: a 16-year-old in high school,
a 62-year-old retiree, a military spouse after a PCS move, a man on SSI with a disability.
Each test checks what the bot says next and what it stored.
"""
from __future__ import annotations


def _programs(screening) -> dict[str, str]:
    return {name: outcome["determination"] for name, outcome in screening.results["programs"].items()}


def _answers(assistant, chat) -> dict:
    return assistant.store.latest_screening("rest", chat.sender).answers


def test_all_caps_plant_worker_with_age_in_words(chat, assistant):
    assert "first name" in chat.say("HELLO")
    assert "ZIP" in chat.say("MARCUS")
    assert "kind of work" in chat.say("MY ZIP IS 60644")
    assert "How old" in chat.say("CDL TRUCK DRIVING")
    assert "allowed to work" in chat.say("IM TWENTY TWO")
    assert "fits you best" in chat.say("YUP")
    assert "company" in chat.say("THE PLANT CLOSED")
    assert "last day" in chat.say("Jewel-Osco")
    assert "Unemployment benefits" in chat.say("THE 3RD OF LAST MONTH")
    assert "for credit now" in chat.say("NOP")
    assert "highest school" in chat.say("NO")
    assert "military" in chat.say("GED")
    assert "get any of these" in chat.say("NO")
    assert "Do any of these apply" in chat.say("NONE")
    assert "How many in your family" in chat.say("NONE")  # an adult whose priority group nothing settled yet
    assert "Selective Service" in chat.say("3, 48000")  # above the poverty guideline: still bounded
    summary = chat.say("K")

    assert "Thanks, Marcus!" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    answers = screening.answers
    assert answers["zip_code"] == "60644"
    assert answers["sectors"] == ["transportation"]
    assert answers["age"] == 22
    assert answers["employment_status"] == "laid_off"
    assert answers["layoff_employer"] == "Jewel-Osco"
    assert answers["layoff_date"] == "2026-10-03"
    assert answers["ui_status"] == "not_filed"
    assert answers["selective_service"] == "registered"
    # Never filed for unemployment: staff check it, so "possible", not "likely".
    assert _programs(screening)["wioa_dislocated_worker"] == "possible"


def test_spanglish_mom_with_zip_plus_four_and_kids(chat, assistant):
    assert "nombre" in chat.say("hola")
    assert "código postal" in chat.say("Yesenia")
    assert "tipo de trabajo" in chat.say("60623-1234")
    # Cleaning is none of the six sectors: the list is offered again.
    assert "número de la lista" in chat.say("tengo 2 kids y necesito trabajo de cleaning")
    assert "años" in chat.say("2")
    assert "permiso para trabajar" in chat.say("veintitres")
    assert "te describe" in chat.say("ya")
    assert "desempleo" in chat.say("sin trabajo")
    assert "con créditos" in chat.say("nel")
    assert "nivel más alto" in chat.say("nop")
    assert "fuerzas armadas" in chat.say("termine la prepa")
    assert "reciben alguno" in chat.say("nel")
    assert "Te aplica alguno" in chat.say("la link y medicaid")
    assert "Servicio Selectivo" in chat.say("tengo 2 kids")
    summary = chat.say("soy mujer")

    assert "¡Gracias, Yesenia!" in summary
    assert "WIOA Jóvenes" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    answers = screening.answers
    assert answers["zip_code"] == "60623"
    assert answers["sectors"] == ["hospitality"]
    assert answers["age"] == 23
    assert answers["work_authorized"] is True
    assert answers["employment_status"] == "unemployed"
    assert answers["ui_status"] == "not_filed"
    assert answers["education"] == "diploma"
    assert answers["public_assistance"] == ["snap", "medicaid"]
    assert answers["barriers"] == ["pregnant_or_parenting"]
    assert answers["sex"] == "female"
    assert "selective_service" not in answers
    assert assistant.store.find_seeker("rest", chat.sender).language == "es"


def test_everything_first_then_slang_yes_and_no(chat, assistant):
    first = chat.say("soy de 60639 y busco algo en warehouse o fabrica")
    assert "tarifas de msj y datos" in first and "nombre" in first
    # ZIP and sectors came first: after the name, the age.
    assert "años" in chat.say("Jorge")
    assert "permiso para trabajar" in chat.say("1️⃣9️⃣")
    assert "te describe" in chat.say("simon")
    assert "compañía" in chat.say("me quede sin chamba")
    assert "último día" in chat.say("Mariano's")
    assert "desempleo" in chat.say("a principios de octubre")
    assert "con créditos" in chat.say("nel")
    assert "nivel más alto" in chat.say("nop")
    assert "fuerzas armadas" in chat.say("termine la prepa")
    assert "reciben alguno" in chat.say("nel")
    assert "Te aplica alguno" in chat.say("nel")
    assert "Cuántos son en tu familia" in chat.say("nel")  # an adult whose priority group nothing settled yet
    assert "Servicio Selectivo" in chat.say("somos 3, 48 mil al año")  # above the poverty guideline: still bounded
    summary = chat.say("simon")

    assert "¡Gracias, Jorge!" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    answers = screening.answers
    assert answers["zip_code"] == "60639"
    assert answers["sectors"] == ["transportation"]
    assert answers["age"] == 19
    assert answers["employment_status"] == "laid_off"
    assert answers["layoff_employer"] == "Mariano's"
    assert answers["layoff_date"] == "2026-10-01"
    assert answers["ui_status"] == "not_filed"
    assert answers["veteran"] is False and answers["military_spouse"] is False
    assert answers["public_assistance"] == [] and answers["barriers"] == []
    assert answers["selective_service"] == "registered"


def test_sixteen_year_old_still_in_high_school(chat, assistant):
    chat.say("hi")
    chat.say("Aaliyah")
    chat.say("60621")
    assert "How old" in chat.say("nursing")
    assert "allowed to work" in chat.say("im 16")
    assert "fits you best" in chat.say("yea")
    # Never worked: the benefits question is skipped.
    assert "for credit now" in chat.say("never had a job")
    assert "highest school" in chat.say("yea junior year")
    transcript_so_far = "\n".join(text for _, text in chat.transcript)
    reply = chat.say("10th grade")
    # Under 17: not asked about the military.
    assert "get any of these" in reply and "military" not in reply
    assert "Do any of these apply" in chat.say("medicaid")
    summary = chat.say("none")

    assert "Thanks, Aaliyah!" in summary
    transcript = "\n".join(text for _, text in chat.transcript)
    assert "Selective Service" not in transcript and "Did you serve" not in transcript_so_far
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    answers = screening.answers
    assert answers["age"] == 16
    assert answers["in_school"] is True
    assert answers["education"] == "some_high_school"
    assert answers["employment_status"] == "never_worked"
    assert answers["public_assistance"] == ["medicaid"]
    assert "veteran" not in answers and "selective_service" not in answers
    assert _programs(screening)["wioa_adult"] == "unlikely"


def test_retiree_of_62_wants_part_time_work(chat, assistant):
    first = chat.say("hello im retired and want part time work")
    assert "first name" in first
    chat.say("Linda")
    chat.say("60643")
    assert "How old" in chat.say("front desk at a hotel")
    assert "allowed to work" in chat.say("62")
    # "retired" in the first message answered the work question.
    assert "Unemployment benefits" in chat.say("yes i am a citizen")
    # 62: past Youth age, school is not asked.
    assert "highest school" in chat.say("no")
    assert "military" in chat.say("i have a bachelors")
    assert "get any of these" in chat.say("no never")
    # On SSI: her priority group is settled (2), so no barriers question; not clean energy either.
    assert "Selective Service" in chat.say("ssi")
    summary = chat.say("im a woman")

    assert "Thanks, Linda!" in summary
    assert "Do any of these apply" not in "\n".join(text for _, text in chat.transcript)
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    answers = screening.answers
    assert answers["age"] == 62
    assert answers["employment_status"] == "unemployed"
    assert answers["sectors"] == ["hospitality"]
    assert answers["education"] == "degree"
    assert answers["sex"] == "female"
    assert answers["public_assistance"] == ["ssi"]
    assert "barriers" not in answers
    assert _programs(screening)["wioa_youth"] == "unlikely"


def test_military_spouse_after_a_pcs_move(chat, assistant):
    chat.say("hi")
    chat.say("Brittany")
    chat.say("60652")
    assert "How old" in chat.say("4")
    assert "allowed to work" in chat.say("thirty")
    chat.say("yes")
    assert "Unemployment benefits" in chat.say("unemployed")
    assert "highest school" in chat.say("idk lol")
    assert "military" in chat.say("some college")
    assert "get any of these" in chat.say("my husband is active duty we just did a PCS move")
    # Medicaid alone does not settle the priority group: barriers can.
    assert "Do any of these apply" in chat.say("medicaid")
    assert "How many in your family" in chat.say("none")  # an adult whose priority group nothing settled yet
    assert "Selective Service" in chat.say("3, 48000")  # above the poverty guideline: still bounded
    chat.say("4")

    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    answers = screening.answers
    assert answers["sectors"] == ["it"]
    assert answers["age"] == 30
    assert answers["ui_status"] == "unknown"
    assert answers["military_spouse"] is True
    assert answers["veteran"] is False
    assert answers["public_assistance"] == ["medicaid"]


def test_man_on_ssi_with_a_disability_wants_solar(chat, assistant):
    chat.say("hi")
    chat.say("Darnell")
    chat.say("60624")
    assert "How old" in chat.say("solar panels")
    assert "allowed to work" in chat.say("born in 1990")
    chat.say("yes")
    # Never worked, an adult: whether a family income he lived on was lost (a displaced homemaker).
    assert "family member's income" in chat.say("never worked")
    assert "highest school" in chat.say("no")
    assert "military" in chat.say("diploma")
    assert "get any of these" in chat.say("no")
    # Clean energy keeps the barriers question open past 24.
    assert "Do any of these apply" in chat.say("i get ssi cuz of my disability")
    assert "Selective Service" in chat.say("im in a wheelchair")
    summary = chat.say("yes")

    assert "Clean energy training (CEJA)" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    answers = screening.answers
    assert answers["birth_year"] == 1990
    assert answers["public_assistance"] == ["ssi"]
    assert answers["barriers"] == ["disability"]
    assert answers["selective_service"] == "registered"
    assert _programs(screening)["wioa_adult"] == "likely"


def test_answers_the_wrong_question_and_asks_while_answering(chat, assistant):
    chat.say("hey")
    chat.say("Tony")
    # An age instead of the ZIP: kept, and the ZIP is asked again.
    assert "ZIP" in chat.say("im 45")
    reply = chat.say("60629 is that close to you?")
    assert "kind of work" in reply
    assert "allowed to work" in chat.say("construction")
    # The job story instead of yes/no: the layoff is kept, the question is asked again.
    reply = chat.say("i was let go from McDonald's last friday")
    assert "allowed to work" in reply
    assert "Unemployment benefits" in chat.say("yes")
    assert "highest school" in chat.say("1")  # 45: past Youth age, school is not asked
    answers = _answers(assistant, chat)
    assert answers["age"] == 45
    assert answers["zip_code"] == "60629"
    assert answers["employment_status"] == "laid_off"
    assert answers["layoff_employer"] == "McDonald's"
    assert answers["layoff_date"] == "2026-11-20"


def test_all_of_them_and_a_spaced_zip(chat, assistant):
    chat.say("hi")
    chat.say("Keyla")
    # Asked for the ZIP, five digits typed with a space are the ZIP; four are not.
    assert "5 numbers" in chat.say("606 2")
    assert "kind of work" in chat.say("606 23")
    assert "How old" in chat.say("all of them")
    chat.say("I'm twenty four")
    chat.say("yes")
    chat.say("working")
    chat.say("no")
    chat.say("3")
    chat.say("3")
    assert "Do any of these apply" in chat.say("all of them")
    answers = _answers(assistant, chat)
    assert answers["sectors"] == ["healthcare", "hospitality", "transportation", "it", "construction", "clean_energy"]
    assert answers["age"] == 24
    assert answers["public_assistance"] == ["snap", "tanf", "ssi", "medicaid"]
