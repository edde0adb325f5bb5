"""The numbered options each multiple-choice question shows, and reading a reply like "2",
"#2", "opcion 2", "1 and 3" or "the second one".

The option order here is the order the questions print (the dialogue builds its question texts
from `QUESTIONS`), so a number always means the same answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.answers import (
    BARRIERS,
    EDUCATION,
    EMPLOYMENT_STATUS,
    MILITARY,
    MILITARY_SPOUSE,
    PUBLIC_ASSISTANCE,
    SECTORS,
    SELECTIVE_SERVICE,
    SEX,
    UI_STATUS,
    UNKNOWN,
    VETERAN,
)
from bot.understanding.numbered_choices import CARDINAL_WORDS
from bot.understanding.text import fold_phrase

NONE_VALUE = "none"
NEITHER_VALUE = "neither"
NOT_A_MAN_VALUE = "not_a_man"


@dataclass(frozen=True)
class Option:
    number: int
    value: str
    label_en: str
    label_es: str

    def label(self, language: str) -> str:
        return self.label_es if language == "es" else self.label_en


@dataclass(frozen=True)
class ChoiceQuestion:
    key: str  # an answer key from bot.answers, or MILITARY
    several: bool  # whether "1 and 3" is a valid reply
    options: tuple[Option, ...]

    def option(self, number: int) -> Option | None:
        return next((o for o in self.options if o.number == number), None)

    def menu(self, language: str) -> str:
        """The options as the question prints them, one per line: "1 Healthcare"."""
        return "\n".join(f"{o.number} {o.label(language)}" for o in self.options)


def _options(*rows: tuple[str, str, str]) -> tuple[Option, ...]:
    return tuple(Option(number, value, en, es) for number, (value, en, es) in enumerate(rows, start=1))


QUESTIONS: dict[str, ChoiceQuestion] = {
    SECTORS: ChoiceQuestion(SECTORS, True, _options(
        ("healthcare", "Healthcare", "Salud"),
        ("hospitality", "Hotels and restaurants", "Hoteles y restaurantes"),
        ("transportation", "Trucks, warehouses, delivery", "Camiones, almacenes, entregas"),
        ("it", "Computers and IT", "Computadoras y tecnologia"),
        ("construction", "Construction and trades", "Construccion y oficios"),
        ("clean_energy", "Clean energy (solar, HVAC)", "Energia limpia (solar, HVAC)"),
    )),
    EMPLOYMENT_STATUS: ChoiceQuestion(EMPLOYMENT_STATUS, False, _options(
        ("working", "I have a job", "Tengo trabajo"),
        ("unemployed", "I do not have a job", "No tengo trabajo"),
        ("laid_off", "I was laid off", "Me despidieron por recorte o cierre"),
        ("layoff_notice", "I got a layoff notice", "Me avisaron que me van a despedir"),
        ("self_employed_lost_business", "My own business closed", "Mi propio negocio cerro"),
        ("never_worked", "I never had a job", "Nunca he trabajado"),
    )),
    UI_STATUS: ChoiceQuestion(UI_STATUS, False, _options(
        ("receiving", "I get unemployment now", "Recibo desempleo ahora"),
        ("exhausted", "My unemployment ran out", "Se me acabo el desempleo"),
        ("not_filed", "I do not get it / did not apply", "No lo recibo / no aplique"),
        (UNKNOWN, "I am not sure", "No estoy seguro"),
    )),
    EDUCATION: ChoiceQuestion(EDUCATION, False, _options(
        ("some_high_school", "Did not finish high school", "No termine high school (prepa)"),
        ("ged", "GED or HiSET", "GED o HiSET"),
        ("diploma", "High school diploma", "Diploma de high school (prepa)"),
        ("some_college", "Some college", "Algo de universidad o colegio"),
        ("degree", "College degree", "Titulo universitario"),
    )),
    MILITARY: ChoiceQuestion(MILITARY, True, _options(
        ("veteran", "I am a veteran", "Soy veterano(a)"),
        ("military_spouse", "I am a military spouse", "Soy esposo(a) de militar"),
        (NEITHER_VALUE, "Neither", "Ninguno"),
    )),
    PUBLIC_ASSISTANCE: ChoiceQuestion(PUBLIC_ASSISTANCE, True, _options(
        ("snap", "SNAP (food stamps, LINK card)", "SNAP (cupones, tarjeta LINK)"),
        ("tanf", "TANF (cash help)", "TANF (ayuda en efectivo)"),
        ("ssi", "SSI", "SSI"),
        ("medicaid", "Medicaid (medical card)", "Medicaid (tarjeta medica)"),
        (NONE_VALUE, "None", "Ninguno"),
    )),
    SELECTIVE_SERVICE: ChoiceQuestion(SELECTIVE_SERVICE, False, _options(
        ("registered", "Yes, I registered", "Si, me registre"),
        ("not_registered", "No, I did not register", "No me registre"),
        (UNKNOWN, "I am not sure", "No estoy seguro"),
        (NOT_A_MAN_VALUE, "I am not a man", "No soy hombre"),
    )),
    BARRIERS: ChoiceQuestion(BARRIERS, True, _options(
        ("homeless", "No stable place to live", "No tengo donde vivir fijo"),
        ("justice_involved", "Arrest or criminal record", "Arresto o record criminal"),
        ("foster_care", "Foster care now or before", "Foster care (ahora o antes)"),
        ("pregnant_or_parenting", "Pregnant or a parent", "Embarazada o con hijos"),
        ("disability", "A disability", "Una discapacidad"),
        ("english_learner", "Learning English", "Estoy aprendiendo ingles"),
        (NONE_VALUE, "None of these", "Ninguno"),
    )),
}

_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "primero": 1, "primera": 1, "primer": 1, "segundo": 2, "segunda": 2, "tercero": 3,
    "tercera": 3, "tercer": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6,
    "sexta": 6, "septimo": 7, "septima": 7,
}
# Words that can surround the numbers without changing the choice.
_FILLER_WORDS = frozenset({
    "option", "options", "opcion", "opciones", "opc", "number", "numbers", "numero", "numeros",
    "num", "nro", "choice", "the", "la", "el", "los", "las", "and", "y", "e", "also", "tambien",
    "plus", "is", "es", "mine", "im", "i", "am", "soy", "pick", "choose", "select", "elijo",
    "escojo", "go", "with", "ok", "okay", "please", "pls", "por", "favor", "thanks", "gracias",
    "both", "ambos", "ambas",
})
_TOKEN = re.compile(r"\d+(?:st|nd|rd|th|ro|ra|do|da|to|ta|vo|va|mo|ma|er|o|a)?|[a-z]+|\S")
_PUNCTUATION = frozenset("#,.;:&+/()-!?*'\"")


def choice_question(key: str | None) -> ChoiceQuestion | None:
    return QUESTIONS.get(key) if key else None


def read_numbers(text: str) -> list[int] | None:
    """The option numbers when the message is only numbers, ordinals and filler words.

    "2", "2.", "#2", "opcion 2", "1,3", "1 y 3", "the second one", "la segunda" -> numbers;
    anything with other words ("2 kids", "I have 2 jobs") -> None.
    """
    numbers: list[int] = []
    after_ordinal = False
    for token in _TOKEN.findall(fold_phrase(text)):
        if token in _PUNCTUATION:
            continue
        digits = re.match(r"\d+", token)
        if digits:
            numbers.append(int(digits.group()))
            after_ordinal = token != digits.group()
        elif token in _ORDINAL_WORDS:
            numbers.append(_ORDINAL_WORDS[token])
            after_ordinal = True
        elif token in ("one", "uno", "una") and after_ordinal:
            after_ordinal = False  # "the second one", "la segunda"
        elif token in CARDINAL_WORDS:
            numbers.append(CARDINAL_WORDS[token])
        elif token in _FILLER_WORDS:
            continue
        else:
            return None
    return numbers or None


def select(question: ChoiceQuestion, text: str) -> list[Option] | None:
    """The options a numbers-only reply picks, or None when the reply is not that, names a number
    the question does not have, or names several for a one-answer question."""
    numbers = read_numbers(text)
    if not numbers:
        return None
    chosen: list[Option] = []
    for number in numbers:
        option = question.option(number)
        if option is None:
            return None
        if option not in chosen:
            chosen.append(option)
    if len(chosen) > 1 and not question.several:
        return None
    return chosen


def answers_for(question: ChoiceQuestion, chosen: list[Option]) -> dict[str, Any]:
    """Turn chosen options into answers with canonical values."""
    values = [option.value for option in chosen]
    if question.key == MILITARY:
        return {VETERAN: "veteran" in values, MILITARY_SPOUSE: "military_spouse" in values}
    if question.key == SELECTIVE_SERVICE:
        if values == [NOT_A_MAN_VALUE]:
            # Only "not male" is known: `other` says no more than that. The form skips the
            # question for anyone whose sex is not male.
            return {SEX: "other"}
        return {SELECTIVE_SERVICE: values[0]}
    if question.several:
        # "None" next to real options is a slip; the real options win.
        return {question.key: [v for v in values if v not in (NONE_VALUE, NEITHER_VALUE)]}
    return {question.key: values[0]}
