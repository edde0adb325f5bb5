from __future__ import annotations

from datetime import date

import pytest

from bot.understanding.extract import extract

TODAY = date(2026, 11, 25)

# Read whatever was asked: (message, expected answers). Keys not listed must be absent.
ALWAYS = [
    ("my zip is 60623", {"zip_code": "60623"}),
    ("zip 60623", {"zip_code": "60623"}),
    ("60623", {"zip_code": "60623"}),
    ("codigo postal 60629", {"zip_code": "60629"}),
    ("mi código postal es 60629", {"zip_code": "60629"}),
    ("vivo en el 60632", {"zip_code": "60632"}),
    ("60623-1234", {"zip_code": "60623"}),
    ("60623 no perdon 60629", {"zip_code": "60629"}),
    ("I'm 24", {"age": 24}),
    ("im 24 years old", {"age": 24}),
    ("24 yrs", {"age": 24}),
    ("24 yrs old", {"age": 24}),
    ("tengo 24 años", {"age": 24}),
    ("tengo 24 anos", {"age": 24}),
    ("24 años", {"age": 24}),
    ("I am 101", {}),
    ("im 9", {}),
    ("born in 1990", {"birth_year": 1990}),
    ("naci en 1990", {"birth_year": 1990}),
    ("nací en el 1985", {"birth_year": 1985}),
    ("3/14/1990", {"birth_year": 1990, "age": 36}),
    ("14 de marzo de 1990", {"birth_year": 1990, "age": 36}),
    ("dob 12/30/2002", {"birth_year": 2002, "age": 23}),
    ("born in 1910", {}),
    ("im 24 and my zip is 60623", {"age": 24, "zip_code": "60623"}),
    ("soy maria, tengo 30 y vivo en 60629", {"age": 30, "zip_code": "60629"}),
    ("60629 and im 19", {"zip_code": "60629", "age": 19}),
    ("I want to be a CNA", {"sectors": ["healthcare"]}),
    # Looking for work is not a work situation: people with a job look too, so it is asked.
    ("busco trabajo en construccion", {"sectors": ["construction"]}),
    ("got laid off", {"employment_status": "laid_off"}),
    ("i got layed off", {"employment_status": "laid_off"}),
    ("me despidieron", {"employment_status": "laid_off"}),
    ("trabajo de limpieza", {}),  # opening a message: the job wanted as often as the job held
    ("yo trabajo de mesero", {"employment_status": "working", "sectors": ["hospitality"]}),
    ("perdí mi trabajo", {"employment_status": "laid_off"}),
    ("lost my job", {"employment_status": "laid_off"}),
    ("my job is closing next month", {"employment_status": "layoff_notice", "layoff_date": "2026-12-25"}),
    ("got a layoff notice", {"employment_status": "layoff_notice"}),
    ("me van a cortar", {"employment_status": "layoff_notice"}),
    ("la fabrica va a cerrar en enero", {"employment_status": "layoff_notice", "layoff_date": "2027-01-01"}),
    ("I work at Target", {"employment_status": "working"}),
    ("trabajo en una fabrica", {"employment_status": "working"}),
    ("estoy trabajando", {"employment_status": "working"}),
    ("never had a job", {"employment_status": "never_worked"}),
    ("nunca he trabajado", {"employment_status": "never_worked"}),
    ("my business closed", {"employment_status": "self_employed_lost_business"}),
    ("cerré mi negocio", {"employment_status": "self_employed_lost_business"}),
    # A displaced homemaker (WIOA 3(16)): lived on a family member's income and lost it.
    ("my husband left and I never worked", {"employment_status": "lost_family_support"}),
    ("i was a stay at home mom", {"employment_status": "lost_family_support"}),
    ("my wife used to support me", {"employment_status": "lost_family_support"}),
    ("soy ama de casa y mi esposo me dejó", {"employment_status": "lost_family_support"}),
    ("mi marido falleció", {"employment_status": "lost_family_support"}),
    ("im not a stay at home mom, i work at target", {"employment_status": "working"}),
    ("looking for work", {}),
    ("unemployed", {"employment_status": "unemployed"}),
    ("desempleado", {"employment_status": "unemployed"}),
    ("no tengo trabajo", {"employment_status": "unemployed"}),
    ("got fired", {"employment_status": "unemployed"}),
    ("I work at Target but got a layoff notice", {"employment_status": "layoff_notice", "layoff_employer": "Target"}),
    ("i get unemployment", {"ui_status": "receiving"}),
    ("recibo desempleo", {"ui_status": "receiving"}),
    ("my unemployment ran out", {"ui_status": "exhausted"}),
    ("se me acabó el desempleo", {"ui_status": "exhausted"}),
    ("I never applied for unemployment", {"ui_status": "not_filed"}),
    ("no recibo desempleo", {"ui_status": "not_filed"}),
    ("im a veteran", {"veteran": True}),
    ("soy veterano", {"veteran": True}),
    ("served in the army 4 years", {"veteran": True}),
    ("i was in the marines", {"veteran": True}),
    ("servi en el ejercito", {"veteran": True}),
    ("not a veteran", {"veteran": False}),
    ("my dad is a veteran", {}),
    ("military spouse", {"military_spouse": True}),
    ("soy esposa de militar", {"military_spouse": True}),
    ("my husband is in the army", {"military_spouse": True}),
    ("my wife is a veteran", {"military_spouse": True}),
    ("i get food stamps", {"public_assistance": ["snap"]}),
    ("SNAP", {"public_assistance": ["snap"]}),
    ("tengo la tarjeta link", {"public_assistance": ["snap"]}),
    ("recibo cupones", {"public_assistance": ["snap"]}),
    ("estampillas y medicaid", {"public_assistance": ["snap", "medicaid"]}),
    ("TANF and SSI", {"public_assistance": ["tanf", "ssi"]}),
    ("cash assistance", {"public_assistance": ["tanf"]}),
    ("i have a medical card", {"public_assistance": ["medicaid"]}),
    ("i dont get snap or medicaid", {}),
    ("no papers", {"work_authorized": False}),
    ("no tengo papeles", {"work_authorized": False}),
    ("soy indocumentado", {"work_authorized": False}),
    ("I have a work permit", {"work_authorized": True}),
    ("tengo permiso de trabajo", {"work_authorized": True}),
    ("soy residente", {"work_authorized": True}),
    ("us citizen", {"work_authorized": True}),
    ("I have a green card", {"work_authorized": True}),
    ("I have DACA", {"work_authorized": True}),
    ("im not a citizen", {}),
    ("soy residente de chicago", {}),
    ("I have my GED", {"education": "ged"}),
    ("high school diploma", {"education": "diploma"}),
    ("some college", {"education": "some_college"}),
    ("i have a bachelors degree", {"education": "degree"}),
    ("dropped out in 10th grade", {"education": "some_high_school", "in_school": False}),
    ("deje la escuela en 10mo", {"education": "some_high_school", "in_school": False}),
    ("no termine la prepa", {"education": "some_high_school"}),
    ("termine la prepa en mexico", {"education": "diploma"}),
    ("studying for my GED", {"education": "some_high_school", "in_school": False}),
    ("I'm a student", {"in_school": True}),
    ("estoy estudiando", {"in_school": True}),
    ("im in college", {"in_school": True, "education": "some_college"}),
    ("not in school", {"in_school": False}),
    ("i'm a woman", {"sex": "female"}),
    ("soy mujer", {"sex": "female"}),
    ("soy mamá soltera", {"sex": "female"}),
    ("im a single mom", {"sex": "female"}),
    ("my mom is sick", {}),
    ("my name is maria lopez", {"first_name": "Maria"}),
    ("me llamo Ana", {"first_name": "Ana"}),
    ("i was laid off from amazon last month and i get unemployment",
     {"employment_status": "laid_off", "layoff_employer": "amazon", "layoff_date": "2026-10-25", "ui_status": "receiving"}),
    ("me corrieron de la Target hace 2 semanas",
     {"employment_status": "laid_off", "layoff_employer": "Target", "layoff_date": "2026-11-11"}),
    ("i got laid off in march from Sears", {"employment_status": "laid_off", "layoff_employer": "Sears", "layoff_date": "2026-03-01"}),
    ("Im 19, no tengo trabajo, quiero algo en salud. Vivo en 60623",
     {"age": 19, "employment_status": "unemployed", "sectors": ["healthcare"], "zip_code": "60623"}),
    ("hi im looking for a warehouse job, im 45, zip 60644, and i get link",
     {"sectors": ["transportation"], "age": 45, "zip_code": "60644", "public_assistance": ["snap"]}),
    ("veterano, 52 años, desempleado", {"veteran": True, "age": 52, "employment_status": "unemployed"}),
    ("Me llamo José y soy albañil, tengo 45", {"first_name": "José", "sectors": ["construction"], "age": 45}),
    ("Hi I'm Kayla, 19, zip 60617, looking for healthcare jobs",
     {"first_name": "Kayla", "age": 19, "zip_code": "60617", "sectors": ["healthcare"]}),
    ("soy Maria, 30, vivo en el 60632", {"first_name": "Maria", "age": 30, "zip_code": "60632"}),
    ("got laid off from my warehouse job", {"employment_status": "laid_off", "sectors": ["transportation"]}),
    ("I was recently laid off from my job as a medical biller at Advocate after 12 years",
     {"employment_status": "laid_off", "layoff_employer": "Advocate"}),
    ("me despidieron de mi trabajo como cajera en Walmart", {"employment_status": "laid_off", "layoff_employer": "Walmart"}),
    # With no question open, the old job counts as the sector only when nothing else is named.
    ("I was laid off from the hotel", {"employment_status": "laid_off", "sectors": ["hospitality"]}),
    ("laid off from a hotel, now i want to be a cna", {"employment_status": "laid_off", "sectors": ["healthcare"]}),
    ("i was born in 58", {"birth_year": 1958}),
    ("I was laid off, im coming tomorrow to the office", {"employment_status": "laid_off"}),
    ("my job is closing tomorrow", {"employment_status": "layoff_notice", "layoff_date": "2026-11-26"}),
    ("me despidieron de mi trabajo", {"employment_status": "laid_off"}),
    # A layoff still ahead is a notice, and its date is in the future.
    ("got a letter saying im being laid off 1/15", {"employment_status": "layoff_notice", "layoff_date": "2027-01-15"}),
    ("recibi una carta de que cierran la planta en enero", {"employment_status": "layoff_notice", "layoff_date": "2027-01-01"}),
    ("my last day is dec 31", {"employment_status": "layoff_notice", "layoff_date": "2026-12-31"}),
    ("mi ultimo dia es el 15 de enero", {"employment_status": "layoff_notice", "layoff_date": "2027-01-15"}),
    ("we are all getting laid off at the end of the year", {"employment_status": "layoff_notice"}),
    ("i was let go from jewel osco 2 weeks ago",
     {"employment_status": "laid_off", "layoff_employer": "jewel osco", "layoff_date": "2026-11-11"}),
    ("Quiero trabajar en un almacen, tengo 40 anos", {"sectors": ["transportation"], "age": 40}),
    ("24 yrs.", {"age": 24}),
    ("my son is 12", {}),
    ("I need it", {}),
    ("no", {}),
    ("I make 35000 a year", {}),
    ("call me at 773-555-1234", {}),
    ("hello", {}),
    ("", {}),
]


@pytest.mark.parametrize("text, expected", ALWAYS)
def test_statements_read_with_no_question(text: str, expected: dict) -> None:
    result = extract(text, today=TODAY)
    assert result.answers == expected
    assert not result.dont_know and not result.unclear


@pytest.mark.parametrize(
    "requested",
    ["age", "zip_code", "first_name", "sectors", "employment_status", "education", "in_school", "military"],
)
@pytest.mark.parametrize(
    "text, expected",
    [
        ("actually my zip is 60623", {"zip_code": "60623"}),
        ("perdon mi codigo es 60629", {"zip_code": "60629"}),
        ("wait im 24", {"age": 24}),
        ("i also get food stamps", {"public_assistance": ["snap"]}),
        ("oh and im a veteran", {"veteran": True}),
    ],
)
def test_statements_beat_the_question_asked(requested: str, text: str, expected: dict) -> None:
    assert extract(text, requested, today=TODAY).answers == expected


# Read as the reply to the question asked: (requested, message, expected answers).
REPLIES = [
    ("age", "24", {"age": 24}),
    ("age", "24!", {"age": 24}),
    ("age", "like 24", {"age": 24}),
    ("age", "1990", {"birth_year": 1990}),
    ("age", "no, I am 24", {"age": 24}),
    ("age", "no, im 24", {"age": 24}),
    ("age", "60623", {"zip_code": "60623"}),
    ("age", "9", {}),
    ("age", "150", {}),
    ("birth_year", "1990", {"birth_year": 1990}),
    ("birth_year", "3/14/1990", {"birth_year": 1990, "age": 36}),
    ("zip_code", "60623", {"zip_code": "60623"}),
    ("zip_code", "my zip is 60623", {"zip_code": "60623"}),
    ("first_name", "Maria", {"first_name": "Maria"}),
    ("first_name", "maria lopez", {"first_name": "Maria"}),
    ("first_name", "MARIA", {"first_name": "Maria"}),
    ("first_name", "soy jose", {"first_name": "Jose"}),
    ("first_name", "José", {"first_name": "José"}),
    ("first_name", "its Luis", {"first_name": "Luis"}),
    ("first_name", "it's Luis", {"first_name": "Luis"}),
    ("first_name", "this is Kevin", {"first_name": "Kevin"}),
    ("first_name", "hi im Destiny", {"first_name": "Destiny"}),
    ("first_name", "hola soy ana", {"first_name": "Ana"}),
    ("first_name", "Ángel", {"first_name": "Ángel"}),
    ("first_name", "mary-jane", {"first_name": "Mary-Jane"}),
    ("first_name", "soy maria, tengo 30 y vivo en 60629", {"first_name": "Maria", "age": 30, "zip_code": "60629"}),
    ("first_name", "hi", {}),
    ("first_name", "hola", {}),
    ("first_name", "yes", {}),
    ("first_name", "ok", {}),
    ("first_name", "im good", {}),
    ("first_name", "I need a job", {}),
    # A sector turned down is not a wish; missing experience is no turning down.
    ("sectors", "no quiero construccion, mejor hoteles", {"sectors": ["hospitality"]}),
    ("sectors", "i dont want to work in construction but healthcare yes", {"sectors": ["healthcare"]}),
    ("sectors", "not healthcare, maybe IT", {"sectors": ["it"]}),
    # Nothing on the list, or no employer to give: like "idk", so the question does not loop.
    ("sectors", "none", {"sectors": "unknown"}),
    ("sectors", "other", {"sectors": "unknown"}),
    ("sectors", "ninguno", {"sectors": "unknown"}),
    ("sectors", "none, maybe hotels", {"sectors": ["hospitality"]}),
    ("layoff_employer", "no", {"layoff_employer": "unknown"}),
    ("layoff_employer", "n/a", {"layoff_employer": "unknown"}),
    ("layoff_employer", "No Frills", {"layoff_employer": "No Frills"}),
    # A five-digit amount to another question is not a new ZIP unless it is an Illinois one or said to be one.
    ("barriers", "4, 52000", {}),
    ("education", "actually my zip is 46320", {"zip_code": "46320"}),
    ("education", "actually it's 60629", {"zip_code": "60629"}),
    # Emoji decorate a reply, digits typed apart are one ZIP, "working part time" is working.
    ("sectors", "IT 💻", {"sectors": ["it"]}),
    ("first_name", "Keisha 😊", {"first_name": "Keisha"}),
    ("zip_code", "6 0 6 2 1", {"zip_code": "60621"}),
    ("zip_code", "606 23", {"zip_code": "60623"}),
    ("zip_code", "my zip is 60 623", {"zip_code": "60623"}),
    ("employment_status", "working part time", {"employment_status": "working"}),
    ("employment_status", "im working full time now", {"employment_status": "working"}),
    ("employment_status", "i drive for doordash", {"employment_status": "working"}),
    ("age", "45 and yes i can work", {"age": 45}),
    ("age", "45 but no papers", {"age": 45, "work_authorized": False}),
    ("employment_status", "hago uber", {"employment_status": "working"}),
    ("employment_status", "quit my job last month", {"employment_status": "unemployed"}),
    ("employment_status", "disabled, cant work", {"employment_status": "unemployed"}),
    ("first_name", "why", {}),
    # Open to anything, said the way people text it; or anything but what they name.
    ("sectors", "anything tbh", {"sectors": ['healthcare', 'hospitality', 'transportation', 'it', 'construction', 'clean_energy']}),
    ("sectors", "ill take any job", {"sectors": ['healthcare', 'hospitality', 'transportation', 'it', 'construction', 'clean_energy']}),
    ("sectors", "cualquier trabajo la verdad", {"sectors": ['healthcare', 'hospitality', 'transportation', 'it', 'construction', 'clean_energy']}),
    ("sectors", "anything but healthcare", {"sectors": ['hospitality', 'transportation', 'it', 'construction', 'clean_energy']}),
    ("sectors", "todo menos construccion", {"sectors": ['healthcare', 'hospitality', 'transportation', 'it', 'clean_energy']}),
    # "hospital" and "clinic" are work where work is the subject, never "my mom is in the hospital".
    ("sectors", "hospital", {"sectors": ["healthcare"]}),
    ("sectors", "quiero trabajar en warehouse o hospital", {"sectors": ["healthcare", "transportation"]}),
    ("sectors", "a job at a clinic", {"sectors": ["healthcare"]}),
    ("sectors", "no experience in construction", {"sectors": ["construction"]}),
    ("sectors", "no tengo experiencia en construccion", {"sectors": ["construction"]}),
    ("sectors", "i have no cdl but want to drive trucks", {"sectors": ["transportation"]}),
    ("ui_status", "no he aplicado", {"ui_status": "not_filed"}),
    ("ui_status", "never applied", {"ui_status": "not_filed"}),
    # Filed and waiting, or denied: staff check it.
    ("ui_status", "i applied but havent gotten anything", {"ui_status": "unknown"}),
    ("ui_status", "denied", {"ui_status": "unknown"}),
    ("ui_status", "me lo negaron", {"ui_status": "unknown"}),
    ("ui_status", "todavia no", {"ui_status": "not_filed"}),
    ("ui_status", "not yet", {"ui_status": "not_filed"}),
    ("ui_status", "nah not yet", {"ui_status": "not_filed"}),
    ("ui_status", "they ran out", {"ui_status": "exhausted"}),
    ("ui_status", "se me acabaron", {"ui_status": "exhausted"}),
    ("ui_status", "si los recibo", {"ui_status": "receiving"}),
    ("first_name", "soy de mexico", {}),
    ("first_name", "12345", {}),  # not an Illinois ZIP and not asked for one: nothing taken
    ("first_name", "60623", {"zip_code": "60623"}),
    ("first_name", "Maria123", {}),
    ("first_name", "why do you need my name", {}),
    ("first_name", "construction", {"sectors": ["construction"]}),
    ("work_authorized", "yes", {"work_authorized": True}),
    ("work_authorized", "si", {"work_authorized": True}),
    ("work_authorized", "claro", {"work_authorized": True}),
    ("work_authorized", "no", {"work_authorized": False}),
    ("work_authorized", "nel", {"work_authorized": False}),
    ("work_authorized", "no tengo papeles", {"work_authorized": False}),
    ("work_authorized", "yes I'm a citizen", {"work_authorized": True}),
    ("work_authorized", "si, soy residente", {"work_authorized": True}),
    ("in_school", "no", {"in_school": False}),
    ("in_school", "yes", {"in_school": True}),
    # A leading "no," before a statement about something else corrects an earlier answer: it
    # does not answer the question asked (which the form then asks again).
    ("in_school", "no, I am 24", {"age": 24}),
    ("work_authorized", "no, I am 24", {"age": 24}),
    ("public_assistance", "no, my zip is 60623", {"zip_code": "60623"}),
    ("work_authorized", "yes, im 24", {"work_authorized": True, "age": 24}),
    # A plain yes opening a longer reply to a yes/no question.
    ("in_school", "yes community college", {"in_school": True, "education": "some_college"}),
    ("in_school", "i go to city colleges", {"in_school": True, "education": "some_college"}),
    ("in_school", "ya termine", {}),
    ("work_authorized", "si pero no tengo papeles", {"work_authorized": False}),
    # Two-digit birth years; a birthday without a year is not an age.
    ("age", "born in 58", {"birth_year": 1958}),
    ("age", "naci en el 58", {"birth_year": 1958}),
    ("age", "naci el 15 de marzo", {}),
    ("age", "31, and I'm a woman", {"age": 31, "sex": "female"}),
    ("age", "24 y soy mujer", {"age": 24, "sex": "female"}),
    ("age", "1990, and im a veteran", {"birth_year": 1990, "veteran": True}),
    ("age", "i have 2 kids and im a woman", {"sex": "female"}),
    ("age", "born on the 15th", {}),
    # Selective Service in the seeker's words.
    ("selective_service", "no i didnt register", {"selective_service": "not_registered"}),
    ("selective_service", "i didnt", {"selective_service": "not_registered"}),
    ("selective_service", "i did", {"selective_service": "registered"}),
    ("selective_service", "not registered", {"selective_service": "not_registered"}),
    # Education and military replies.
    ("education", "degree", {"education": "degree"}),
    ("education", "a bachelors", {"education": "degree"}),
    ("education", "la prepa", {"education": "diploma"}),
    ("education", "hig school", {"education": "diploma"}),
    ("education", "some high school", {"education": "some_high_school"}),
    ("education", "parte de la prepa", {"education": "some_high_school"}),
    ("military", "army", {"veteran": True, "military_spouse": False}),
    ("military", "yes, marines", {"veteran": True, "military_spouse": False}),
    ("military", "i served 4 years", {"veteran": True, "military_spouse": False}),
    ("military", "my dad was army", {}),
    # The sector of a job held is not a wish once the sectors were asked.
    ("employment_status", "I was laid off from the hotel", {"employment_status": "laid_off"}),
    ("employment_status", "I work at a warehouse", {"employment_status": "working"}),
    ("employment_status", "me corrieron del restaurante", {"employment_status": "laid_off"}),
    ("employment_status", "I work at a hotel but I want healthcare", {"employment_status": "working", "sectors": ["healthcare"]}),
    ("barriers", "i have a record, i used to work construction", {"barriers": ["justice_involved"]}),
    ("in_school", "no tengo papeles", {"work_authorized": False}),
    ("in_school", "si estoy estudiando", {"in_school": True}),
    ("veteran", "yes", {"veteran": True}),
    ("veteran", "nope", {"veteran": False}),
    ("military", "no", {"veteran": False, "military_spouse": False}),
    ("military", "neither", {"veteran": False, "military_spouse": False}),
    ("military", "ninguno", {"veteran": False, "military_spouse": False}),
    ("military", "1", {"veteran": True, "military_spouse": False}),
    ("military", "im a veteran", {"veteran": True}),
    ("military", "both", {"veteran": True, "military_spouse": True}),
    ("military", "yes", {}),
    ("sectors", "2", {"sectors": ["hospitality"]}),
    ("sectors", "#2", {"sectors": ["hospitality"]}),
    ("sectors", "opcion 2", {"sectors": ["hospitality"]}),
    ("sectors", "1 and 3", {"sectors": ["healthcare", "transportation"]}),
    ("sectors", "1,3", {"sectors": ["healthcare", "transportation"]}),
    ("sectors", "1 3", {"sectors": ["healthcare", "transportation"]}),
    ("sectors", "the second one", {"sectors": ["hospitality"]}),
    ("sectors", "cna", {"sectors": ["healthcare"]}),
    ("sectors", "forklif or contruccion", {"sectors": ["transportation", "construction"]}),
    ("sectors", "any", {"sectors": ["healthcare", "hospitality", "transportation", "it", "construction", "clean_energy"]}),
    ("sectors", "7", {}),
    ("sectors", "yes", {}),
    ("employment_status", "3", {"employment_status": "laid_off"}),
    ("employment_status", "working", {"employment_status": "working"}),
    ("employment_status", "me despidieron", {"employment_status": "laid_off"}),
    ("employment_status", "unemployd", {"employment_status": "unemployed"}),
    ("employment_status", "unemployeed", {"employment_status": "unemployed"}),
    ("employment_status", "desenpleado", {"employment_status": "unemployed"}),
    ("employment_status", "got laid of", {"employment_status": "laid_off"}),
    # Not knowing or not saying the company, whatever follows, names none.
    ("layoff_employer", "idk the name", {"layoff_employer": "unknown"}),
    ("layoff_employer", "no se el nombre", {"layoff_employer": "unknown"}),
    ("layoff_employer", "i rather not say", {"layoff_employer": "unknown"}),
    ("layoff_employer", "Nosotros Inc", {"layoff_employer": "Nosotros Inc"}),
    # Work found again, said to another question: kept (the intake says it changed the answer).
    ("zip_code", "im already working at another place", {"employment_status": "working"}),
    ("zip_code", "i already got a new job", {"employment_status": "working"}),
    ("zip_code", "ya encontre trabajo", {"employment_status": "working"}),
    ("employment_status", "no trabajo, cuido a mis hijos", {"employment_status": "unemployed"}),
    # Asked which aid, "el link" is the LINK card (SNAP); unasked, a link is a web link.
    ("public_assistance", "el link y medicaid", {"public_assistance": ["snap", "medicaid"]}),
    ("public_assistance", "link", {"public_assistance": ["snap"]}),
    ("zip_code", "send me the link", {}),
    ("education", "senior in hs", {"education": "some_high_school", "in_school": True}),
    ("selective_service", "not yet", {"selective_service": "not_registered"}),
    ("ui_status", "todavia no", {"ui_status": "not_filed"}),
    ("education", "finished hs", {"education": "diploma"}),
    ("education", "graduated hs", {"education": "diploma"}),
    # Still in high school: the highest school finished is below a diploma.
    ("education", "still in high school", {"education": "some_high_school", "in_school": True}),
    ("education", "sigo en la prepa", {"education": "some_high_school", "in_school": True}),
    ("education", "im a hs senior", {"education": "some_high_school", "in_school": True}),
    ("employment_status", "laid of last month from walmart",
     {"employment_status": "laid_off", "layoff_date": "2026-10-25", "layoff_employer": "walmart"}),
    ("employment_status", "layed of", {"employment_status": "laid_off"}),
    ("employment_status", "they laid me off in june", {"employment_status": "laid_off", "layoff_date": "2026-06-01"}),
    ("employment_status", "let go in october", {"employment_status": "laid_off", "layoff_date": "2026-10-01"}),
    ("employment_status", "i get unemployment", {"ui_status": "receiving"}),
    ("ui_status", "1", {"ui_status": "receiving"}),
    ("ui_status", "yes", {"ui_status": "receiving"}),
    ("ui_status", "no", {"ui_status": "not_filed"}),
    ("education", "3", {"education": "diploma"}),
    ("education", "high school", {"education": "diploma"}),
    ("education", "prepa", {"education": "diploma"}),
    ("education", "GED", {"education": "ged"}),
    ("education", "college", {"education": "some_college"}),
    ("public_assistance", "none", {"public_assistance": []}),
    ("public_assistance", "ninguno", {"public_assistance": []}),
    ("public_assistance", "no", {"public_assistance": []}),
    ("public_assistance", "nada", {"public_assistance": []}),
    ("public_assistance", "1 and 4", {"public_assistance": ["snap", "medicaid"]}),
    ("public_assistance", "food stamps", {"public_assistance": ["snap"]}),
    ("public_assistance", "yes", {}),
    ("selective_service", "yes", {"selective_service": "registered"}),
    ("selective_service", "no", {"selective_service": "not_registered"}),
    ("selective_service", "i registered", {"selective_service": "registered"}),
    ("selective_service", "no me registre", {"selective_service": "not_registered"}),
    ("selective_service", "4", {"sex": "other"}),
    ("selective_service", "im a woman", {"sex": "female"}),
    ("selective_service", "soy mujer", {"sex": "female"}),
    # Sharing a friend's home after losing one's own is homeless (McKinney-Vento 11434a(2)(B)(i)).
    ("barriers", "staying with friends", {"barriers": ["homeless"]}),
    ("barriers", "me estoy quedando con unos amigos", {"barriers": ["homeless"]}),
    ("barriers", "i dont read english well", {"barriers": ["english_learner"]}),
    ("barriers", "mom of 3", {"barriers": ["pregnant_or_parenting"]}),
    ("barriers", "living with my mom", {}),  # a mother named is not a parent's disclosure
    ("barriers", "none", {"barriers": []}),
    ("barriers", "no", {"barriers": []}),
    ("barriers", "ninguno", {"barriers": []}),
    ("barriers", "2", {"barriers": ["justice_involved"]}),
    ("barriers", "4 y 6", {"barriers": ["pregnant_or_parenting", "english_learner"]}),
    ("barriers", "im a single mom and i have a record", {"barriers": ["justice_involved", "pregnant_or_parenting"], "sex": "female"}),
    ("barriers", "I'm homeless", {"barriers": ["homeless"]}),
    ("barriers", "tengo 2 hijos", {"barriers": ["pregnant_or_parenting"]}),
    ("barriers", "estoy embarazada", {"barriers": ["pregnant_or_parenting"]}),
    ("barriers", "no hablo mucho ingles", {"barriers": ["english_learner"]}),
    ("barriers", "I was in foster care", {"barriers": ["foster_care"]}),
    ("barriers", "tengo una discapacidad", {"barriers": ["disability"]}),
    ("barriers", "no record", {}),
    ("layoff_employer", "at Amazon", {"layoff_employer": "Amazon"}),
    ("layoff_employer", "Amazon", {"layoff_employer": "Amazon"}),
    ("layoff_employer", "en walmart", {"layoff_employer": "walmart"}),
    ("layoff_employer", "en la Target", {"layoff_employer": "Target"}),
    ("layoff_employer", "from UPS.", {"layoff_employer": "UPS"}),
    ("layoff_employer", "I worked at Mariano's for 5 years", {"layoff_employer": "Mariano's"}),
    ("layoff_employer", "Hilton hotel", {"layoff_employer": "Hilton hotel"}),
    ("layoff_employer", "actually my zip is 60623", {"zip_code": "60623"}),
    ("layoff_date", "last week", {"layoff_date": "2026-11-18"}),
    ("layoff_date", "2 weeks ago", {"layoff_date": "2026-11-11"}),
    ("layoff_date", "in march", {"layoff_date": "2026-03-01"}),
    ("layoff_date", "en diciembre", {"layoff_date": "2025-12-01"}),
    ("layoff_date", "hace un mes", {"layoff_date": "2026-10-25"}),
    ("layoff_date", "el 15 de marzo", {"layoff_date": "2026-03-15"}),
    ("layoff_date", "3/15", {"layoff_date": "2026-03-15"}),
    ("layoff_date", "3/15/2024", {"layoff_date": "2024-03-15"}),
    ("layoff_date", "ayer", {"layoff_date": "2026-11-24"}),
    ("layoff_date", "around thanksgiving", {"layoff_date": "around thanksgiving"}),
    # Asked the birth year (a man of 66: 1959 or 1960?), a two-digit reply is a year, not an age.
    ("birth_year", "59", {"birth_year": 1959}),
    ("birth_year", "1960", {"birth_year": 1960}),
    ("birth_year", "naci en 1959", {"birth_year": 1959}),
    ("age", "59", {"age": 59}),
]


@pytest.mark.parametrize("requested, text, expected", REPLIES)
def test_replies_to_the_question_asked(requested: str, text: str, expected: dict) -> None:
    result = extract(text, requested, today=TODAY)
    assert result.answers == expected
    assert result.unclear == (not expected)


@pytest.mark.parametrize("requested", ["age", "zip_code", "first_name", "sectors", "education", "in_school", "work_authorized", "layoff_date"])
@pytest.mark.parametrize("text", ["idk", "I don't know", "no se", "no sé", "skip", "prefiero no decir", "not sure", "ni idea"])
def test_dont_know_on_the_question_asked(requested: str, text: str) -> None:
    result = extract(text, requested, today=TODAY)
    assert result.answers == {requested: "unknown"}
    assert result.dont_know and not result.unclear


def test_dont_know_on_the_military_question_fills_both() -> None:
    result = extract("no se", "military", today=TODAY)
    assert result.answers == {"veteran": "unknown", "military_spouse": "unknown"}
    assert result.dont_know


def test_dont_know_with_no_question_is_nothing() -> None:
    assert extract("idk", today=TODAY).answers == {}


def test_a_notice_date_may_be_in_the_future() -> None:
    result = extract("they gave us a layoff notice, closing in march", "employment_status", today=TODAY)
    assert result.answers["layoff_date"] == "2027-03-01"


def test_a_full_date_is_a_layoff_date_when_that_was_asked() -> None:
    assert extract("1/5/2024", "layoff_date", today=TODAY).answers == {"layoff_date": "2024-01-05"}
    assert extract("1/5/2004", None, today=TODAY).answers == {"birth_year": 2004, "age": 22}


@pytest.mark.parametrize("text", ["60623", "im 60623", "tengo 60629", "60623 years"])
def test_five_digits_are_never_an_age_or_year(text: str) -> None:
    answers = extract(text, "age", today=TODAY).answers
    assert "age" not in answers and "birth_year" not in answers
    assert answers["zip_code"] in text


def test_unknown_requested_key_is_an_error() -> None:
    with pytest.raises(ValueError):
        extract("hi", "favorite_color", today=TODAY)


# The age question asked with "are you allowed to work in the US?" (bot/questions.py ASKED_ALONGSIDE).
@pytest.mark.parametrize(
    "text, expected",
    [
        ("19, yes", {"age": 19, "work_authorized": True}),
        ("im 19 and yes i can", {"age": 19, "work_authorized": True}),
        ("45, yes i can work", {"age": 45, "work_authorized": True}),
        ("tengo 19 años y si", {"age": 19, "work_authorized": True}),
        ("si, 19", {"age": 19, "work_authorized": True}),
        ("1990 yes", {"birth_year": 1990, "work_authorized": True}),
        ("19 no", {"age": 19, "work_authorized": False}),
        ("25 no tengo papeles", {"age": 25, "work_authorized": False}),
        ("25 si tengo permiso", {"age": 25, "work_authorized": True}),
        ("19", {"age": 19}),  # the other question is asked on its own next
        ("yes", {"work_authorized": True}),  # and here the age
        ("19 no se", {"age": 19}),  # not sure about the papers: asked on its own
        ("yes but not now", {}),
        ("cuarenta y cinco, si", {"age": 45, "work_authorized": True}),  # the age spelled out
        ("30 green card", {"age": 30, "work_authorized": True}),  # the age, then what says the yes
        ("30 im a citizen", {"age": 30, "work_authorized": True}),
        ("born 1998, yes", {"birth_year": 1998, "work_authorized": True}),  # the birth year said as such
        ("naci en 1998, si", {"birth_year": 1998, "work_authorized": True}),
    ],
)
def test_a_reply_to_the_age_and_work_question_answers_both(text: str, expected: dict) -> None:
    assert extract(text, "age", today=TODAY, alongside="work_authorized").answers == expected


def test_without_the_question_alongside_a_yes_after_the_age_answers_nothing_more() -> None:
    assert extract("19, yes", "age", today=TODAY).answers == {"age": 19}


@pytest.mark.parametrize(
    "requested, alongside", [("zip_code", "work_authorized"), ("age", "zip_code"), ("first_name", "in_school")]
)
def test_only_a_yes_no_question_goes_alongside_the_age_or_a_list(requested: str, alongside: str) -> None:
    with pytest.raises(ValueError):
        extract("19, yes", requested, today=TODAY, alongside=alongside)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3, no", {"education": "diploma", "in_school": False}),
        ("no, 3", {"education": "diploma", "in_school": False}),
        ("3 no", {"education": "diploma", "in_school": False}),
        ("5, nope", {"education": "degree", "in_school": False}),
        ("some college yes", {"education": "some_college", "in_school": True}),
        ("1 and yes", {"education": "some_high_school", "in_school": True}),
        ("termine la prepa, si", {"education": "diploma", "in_school": True}),
        ("diploma y no", {"education": "diploma", "in_school": False}),
        ("2 GED, yes taking college classes", {"education": "ged", "in_school": True}),
        # One of the two: the other is asked on its own next.
        ("no", {"in_school": False}),
        ("yes", {"in_school": True}),
        ("3", {"education": "diploma"}),
        ("finished high school", {"education": "diploma"}),
        ("im in 11th grade", {"education": "some_high_school", "in_school": True}),
        ("yea junior year", {"in_school": True}),
        # Statements, not two answers.
        ("not in school", {"in_school": False}),
        ("no school", {"education": "some_high_school"}),
    ],
)
def test_a_reply_to_the_schooling_and_in_school_question_answers_both(text: str, expected: dict) -> None:
    assert extract(text, "education", today=TODAY, alongside="in_school").answers == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # The ZIP said not to be theirs is the wrong one, wherever it stands.
        ("wait my zip is 60632 not 60629", {"zip_code": "60632"}),
        ("not 60629, its 60632", {"zip_code": "60632"}),
        ("60632 instead of 60629", {"zip_code": "60632"}),
        ("no es 60629, es 60632", {"zip_code": "60632"}),
        # A bare "no" between two ZIPs corrects with the last one.
        ("60623 no perdon 60629", {"zip_code": "60629"}),
    ],
)
def test_a_zip_said_not_to_be_theirs_is_not_taken(text: str, expected: dict) -> None:
    for requested in ("zip_code", "employment_status", None):
        assert extract(text, requested, today=TODAY).answers == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # Someone else's age is not the seeker's: "mom of a 17 year old", "my 16 yo".
        ("im a single mom of a 17 year old", {"sex": "female"}),
        ("my 16 yo needs a summer job", {}),
        ("i have a 3 year old and need work im 22", {"age": 22}),
        ("my 17 year old son wants to work", {}),
        # The seeker's own, said the same way.
        ("im a 24 year old looking for work", {"age": 24}),
        ("30 yr old here", {"age": 30}),
    ],
)
def test_an_age_that_is_someone_elses_is_not_the_seekers(text: str, expected: dict) -> None:
    assert extract(text, today=TODAY).answers == expected


@pytest.mark.parametrize(
    "requested, text, expected",
    [
        # Schooling asked about as a requirement is not schooling had.
        ("age", "do i need a diploma for this", {}),
        ("age", "is a GED required?", {}),
        ("age", "i need to get my ged", {"education": "some_high_school"}),
        ("age", "i have my diploma", {"education": "diploma"}),
        # "call me" and a word that is no name: a request, not a name.
        ("zip_code", "can u call me instead", {}),
        ("first_name", "call me back", {}),
        ("zip_code", "call me Dee", {"first_name": "Dee"}),
        # Conditions named instead of the word "disability".
        ("barriers", "im deaf", {"barriers": ["disability"]}),
        ("barriers", "legally blind", {"barriers": ["disability"]}),
        ("barriers", "i have autism", {"barriers": ["disability"]}),
        ("barriers", "im not blind", {}),
    ],
)
def test_questions_and_requests_are_not_read_as_answers(requested: str, text: str, expected: dict) -> None:
    assert extract(text, requested, today=TODAY).answers == expected
