"""Rows for the parser fixes found by texting the assistant as Spanish and Spanglish speakers in
Chicago (Mexican, Puerto Rican, Central American): texting shorthand ("lo q sea", "tmb"), papers
asked about rather than had, TPS, "me dieron las gracias", the job held given as the work
situation, grades and "cuarto año", a bare "mujer" to the Selective Service question, "link" beside
another aid, and a date given where the company was asked."""
from __future__ import annotations

from datetime import date

import pytest

from bot.understanding.asking import answer_before_question, asks_what_it_means
from bot.understanding.extract import extract
from bot.understanding.text import fold

TODAY = date(2026, 12, 5)  # a Saturday

ROWS = [
    # Texting shorthand reads as the words it stands for.
    ("sectors", "lo q sea", {"sectors": ["healthcare", "hospitality", "transportation", "it", "construction", "clean_energy"]}),
    ("sectors", "salud y tmb hoteles", {"sectors": ["healthcare", "hospitality"]}),
    # Papers asked about state nothing; papers had or lacked still do.
    ("work_authorized", "necesito papeles?", {}),
    ("employment_status", "necesito papeles?", {}),
    ("work_authorized", "que es permiso para trabajar?", {}),
    ("work_authorized", "que papeles necesito?", {}),
    ("work_authorized", "tengo que tener papeles?", {}),
    ("work_authorized", "do i need to have papers?", {}),
    ("work_authorized", "what documents do i need?", {}),
    ("work_authorized", "what counts as a work permit?", {}),
    ("work_authorized", "que cuenta como permiso de trabajo?", {}),
    ("work_authorized", "ocupo trabajo, tengo papeles", {"work_authorized": True}),
    ("work_authorized", "necesito trabajo, tengo daca", {"work_authorized": True}),
    ("work_authorized", "no tengo papeles, puedo recibir ayuda?", {"work_authorized": False}),
    # TPS and refugee status come with a work permit (an EAD).
    ("work_authorized", "si tengo TPS", {"work_authorized": True}),
    ("work_authorized", "soy refugiado", {"work_authorized": True}),
    (None, "buenas, tengo TPS puedo aplicar?", {"work_authorized": True}),
    # Ways a job ends, and the job held given as the situation.
    ("employment_status", "me dieron las gracias en el trabajo", {"employment_status": "laid_off"}),
    ("employment_status", "me dieron las gracias por todo", {}),
    ("employment_status", "me botaron del trabajo", {"employment_status": "laid_off"}),
    ("employment_status", "me cortaron las horas", {"employment_status": "working"}),
    ("employment_status", "they cut my hours", {"employment_status": "working"}),
    ("employment_status", "me cortaron del trabajo", {"employment_status": "laid_off"}),
    ("sectors", "nel no trabajo", {"employment_status": "unemployed"}),
    ("employment_status", "trabajo de housekeeping", {"employment_status": "working"}),
    ("employment_status", "trabajo por mi cuenta", {"employment_status": "working"}),
    ("employment_status", "i work as a cook", {"employment_status": "working"}),
    ("employment_status", "trabajo part time en un colmado", {"employment_status": "working"}),
    ("employment_status", "me corrieron de la limpieza hace 3 meses", {"employment_status": "laid_off", "layoff_date": "2026-09-05"}),
    ("education", "cuarto año, no estudio ahora", {"education": "diploma", "in_school": False}),
    ("sectors", "limpieza de oficinas o lo q sea", {"sectors": ["healthcare", "hospitality", "transportation", "it", "construction", "clean_energy"]}),
    ("ui_status", "nunca lo pedi", {"ui_status": "not_filed"}),
    ("ui_status", "no aplica", {"ui_status": "not_filed"}),
    ("sectors", "seguridad o manejar", {"sectors": ["transportation"]}),
    (None, "manejo de alimentos", {}),  # food handling, not driving
    ("first_name", "el brayan", {"first_name": "Brayan"}),
    ("first_name", "la prepa", {}),
    # Benefits: "si ..." to the benefits question, and "estoy en unemployment".
    ("ui_status", "si estoy en unemployment", {"ui_status": "receiving"}),
    ("ui_status", "si los cobro cada semana", {"ui_status": "receiving"}),
    ("ui_status", "si pero se me acabaron", {"ui_status": "exhausted"}),
    ("ui_status", "ninguno", {"ui_status": "not_filed"}),
    # "no" to the family question (which says it can be skipped) is a skip.
    ("family_income", "no", {"family_income": "unknown"}),
    ("family_income", "no ganamos nada", {"family_income": 0}),
    # Schooling.
    ("education", "noveno grado", {"education": "some_high_school"}),
    ("education", "octavo grado", {"education": "some_high_school"}),
    ("education", "cuarto año", {"education": "diploma"}),
    (None, "termine cuarto año en PR", {"education": "diploma"}),
    (None, "cuarto año de primaria", {"education": "some_high_school"}),
    ("education", "prepa en mexico", {"education": "diploma"}),
    ("education", "algo de colegio", {"education": "some_college"}),
    # "mujer" to the Selective Service question (for men only).
    ("selective_service", "mujer", {"sex": "female"}),
    ("selective_service", "Hombre", {"sex": "male"}),
    ("selective_service", "si", {"selective_service": "registered"}),
    # LINK beside another aid is the LINK card, asked or not.
    (None, "link y medicaid", {"public_assistance": ["snap", "medicaid"]}),
    (None, "mandame el link", {}),
    (None, "send me the link and medicaid info", {"public_assistance": ["medicaid"]}),
    (None, "tengo medicaid y la link", {"public_assistance": ["snap", "medicaid"]}),
    # Fillers before a yes or no, and before "no trabajo".
    ("work_authorized", "pos si", {"work_authorized": True}),
    ("in_school", "pues no", {"in_school": False}),
    ("employment_status", "pos no trabajo", {"employment_status": "unemployed"}),
    # A home kept with the children, as "stay at home mom".
    ("age", "estoy en la casa con mis hijos", {"employment_status": "lost_family_support"}),
    # No schooling, "la secu", a full-time student, "la medical".
    ("education", "no fui a la escuela", {"education": "some_high_school"}),
    ("education", "la secu", {"education": "some_high_school"}),
    ("in_school", "soy full time student en city colleges", {"education": "some_college", "in_school": True}),
    ("public_assistance", "la medical", {"public_assistance": ["medicaid"]}),
    (None, "soy medical assistant", {"sectors": ["healthcare"]}),
    # An age still ahead is the age before it: Youth serves up to 24.
    ("age", "cumplo 25 el mes que viene", {"age": 24}),
    ("age", "voy a cumplir 25", {"age": 24}),
    ("age", "turning 25 next month", {"age": 24}),
    ("age", "acabo de cumplir 25", {"age": 25}),
    # An age given to a numbered list where no option, nor options typed together, has that number.
    ("sectors", "55", {"age": 55}),
    ("sectors", "40", {"age": 40}),
    ("sectors", "12", {}),
    # Other lists come after the age: a number there is never read as one.
    ("education", "11", {"education": "some_high_school"}),
    ("education", "9", {"education": "some_high_school"}),
    ("education", "3", {"education": "diploma"}),
    ("public_assistance", "40", {}),
    ("in_school", "voy en la prepa", {"education": "some_high_school", "in_school": True}),
    ("military", "3", {"veteran": False, "military_spouse": False}),
    # "de 45 años" is an age, after a name too; "mas de 20 años" is time.
    (None, "Soy Pedro de 45 años, me corrieron de la fabrica", {"first_name": "Pedro", "age": 45, "employment_status": "laid_off"}),
    (None, "Soy Luis y tengo 30", {"first_name": "Luis", "age": 30}),
    ("age", "trabaje ahi mas de 20 años", {}),
    # Informal work is work.
    ("employment_status", "hago limpieza de casas", {"employment_status": "working"}),
    # A date where the company was asked is the last day; the company is asked again.
    ("layoff_employer", "el 20 de noviembre", {"layoff_date": "2026-11-20"}),
    ("layoff_employer", "hace 2 semanas", {"layoff_date": "2026-11-21"}),
    ("layoff_employer", "amazon", {"layoff_employer": "amazon"}),
]


@pytest.mark.parametrize("requested, text, expected", ROWS)
def test_spanish_sms_texts(requested, text, expected):
    assert extract(text, requested=requested, language="es", today=TODAY).answers == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cumplo 25 el mes que viene y si", {"age": 24, "work_authorized": True}),
        ("tengo 30 y no tengo papeles", {"age": 30, "work_authorized": False}),
        ("tengo 30 y no se", {"age": 30}),
        ("treinta y cinco", {"age": 35}),
        # A ZIP said not to be theirs is no answer, and its "no" is no answer to the work question.
        ("perdon mi zip es 60632 no 60629", {"zip_code": "60632"}),
    ],
)
def test_the_age_and_the_work_question_asked_with_it(text, expected):
    assert extract(text, requested="age", language="es", today=TODAY, alongside="work_authorized").answers == expected


@pytest.mark.parametrize(
    "text, answer",
    [
        ("60623, es gratis?", "60623"),
        ("28 y si, cuanto dura la capacitacion?", "28 y si"),
        ("no tengo papeles, puedo recibir ayuda?", "no tengo papeles"),
        ("es gratis?", None),
        ("que es wioa?", None),
        ("60623", None),
    ],
)
def test_the_answer_before_a_closing_question(text, answer):
    assert answer_before_question(text) == answer


@pytest.mark.parametrize("text", ["no se que es eso", "no sé qué es eso?", "i dont know what that is"])
def test_not_knowing_what_a_question_means_asks_what_it_means(text):
    assert asks_what_it_means(text)


@pytest.mark.parametrize(
    "text, folded, word, typed",
    [
        ("Lo Q sea", "lo que sea", "que", "Q"),
        ("xq me escribieron?", "porque me escribieron?", "porque", "xq"),
        ("salud tmb", "salud tambien", "tambien", "tmb"),
        ("Q&A", "q&a", None, None),
    ],
)
def test_shorthand_is_written_out_and_maps_back_to_what_was_typed(text, folded, word, typed):
    message = fold(text)
    assert message.folded == folded
    if word:
        start = folded.index(word)
        assert message.original_span(start, start + len(word)) == typed
