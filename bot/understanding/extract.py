"""Turn one message into screening answers.

Some answers are read from every message, whatever was asked, because people answer out of order
and correct themselves: an explicit ZIP, an age or birth year, sectors, work and unemployment
statements, military service, public assistance, work authorization, schooling. Others are read
only as the reply to the question asked (`requested`): yes/no, numbered options, a bare number
for age, a name, an employer, a layoff date.

Precedence:
1. "I don't know"/"no se"/"skip" as the whole reply: the requested answer is `unknown`.
2. Statements in the message (read whatever was asked). A correction beats the question asked:
   asked for age, "actually my zip is 60623" gives only the ZIP.
3. The reply to the requested question, when the statements did not already answer it. Bare
   replies (a lone number, a lone name, free text for employer or date) are only taken when the
   message held no statement, so a correction is never misread as the answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.answers import (
    AGE,
    ALL_ANSWERS,
    BARRIERS,
    BIRTH_YEAR,
    BOOLEAN_ANSWERS,
    EDUCATION,
    EMPLOYMENT_STATUS,
    FAMILY_INCOME,
    FAMILY_SIZE,
    FIRST_NAME,
    IN_SCHOOL,
    LAYOFF_DATE,
    LAYOFF_EMPLOYER,
    MILITARY_SPOUSE,
    PUBLIC_ASSISTANCE,
    PUBLIC_ASSISTANCE_VALUES,
    SECTOR_VALUES,
    SECTORS,
    SELECTIVE_SERVICE,
    SEX,
    UI_STATUS,
    UNKNOWN,
    VETERAN,
    WORK_AUTHORIZED,
    ZIP_CODE,
)
from bot.geography import is_illinois_zip
from bot.understanding.age import (
    age_on,
    bare_number,
    find_age,
    find_birth_date,
    find_birth_year,
    full_birth_year,
    number_before_words,
    opening_number,
    speaks_of_birth,
    valid_age,
    valid_birth_year,
)
from bot.understanding.background import (
    find_education,
    find_in_school,
    find_military_spouse,
    find_public_assistance,
    find_sex,
    find_veteran,
    find_work_authorized,
    served_in_reply,
    sex_in_reply,
)
from bot.understanding.barriers import find_barriers
from bot.understanding.choices import MILITARY, QUESTIONS, ChoiceQuestion, answers_for, choice_question, select
from bot.understanding.dates import find_dates, relative_date, resolve
from bot.understanding.employer import clean_employer
from bot.understanding.employment import UI_REPLY_RULES, employer_span, find_employment_status, find_ui_status
from bot.understanding.income import read_family_income, volunteered_family_income
from bot.understanding.number_words import spell_out_numbers
from bot.understanding.names import find_stated_name, parse_first_name
from bot.understanding.rules import find_hits, rules
from bot.understanding.sectors import sectors_in
from bot.understanding.job_held import wanted_sectors
from bot.understanding.text import FoldedText, bounded_prefix, fold, fold_phrase
from bot.understanding.yes_no import YesNo, leading_yes_no, opening_yes, parse_yes_no, split_off_yes_no
from bot.understanding.zip_code import ZipMention, find_zip_codes, is_denied

REQUESTABLE = frozenset(ALL_ANSWERS) | {MILITARY}
# Questions whose reply can also carry the answer to a yes/no question asked in the same message:
# the age ("19, yes") and the numbered lists ("3, no").
READ_WITH_A_YES_NO = frozenset({AGE}) | frozenset(QUESTIONS)
MAX_RAW_DATE_LENGTH = 40
# Only this much of a message is read for answers: four SMS segments, several times the longest
# real answer seen ("my name is jasmine, im 22 and my zip is 60621..."). The parsers' work grows
# with the text, and a Telegram message may hold 4,096 characters.
MAX_READ_CHARACTERS = 640


# "laid off from my warehouse job" describes the job, it does not name the employer.
_DESCRIBES_A_JOB = re.compile(
    r"^(?:my|mi|a|an|un|una|the|el|la)\b|\b(?:job|jobs|trabajo|chamba|work)$|"
    # "laid off from the hotel": a kind of place, not a company's name.
    r"^(?:hotel|restaurant|restaurante|warehouse|almacen|bodega|factory|fabrica|plant|planta|company|compania|"
    r"empresa|store|tienda|office|oficina|hospital|kitchen|cocina|site|shop|construction|construccion|limpieza|cleaning)$"
)


@dataclass(frozen=True)
class Extraction:
    answers: dict[str, Any] = field(default_factory=dict)
    dont_know: bool = False  # the seeker said they don't know, or skipped, the requested question
    unclear: bool = False  # a reply was expected and nothing usable was found


def _blank(text: str, start: int, end: int) -> str:
    """Take a span out of the text, keeping every other offset where it was."""
    return text[:start] + " " * (end - start) + text[end:]


@dataclass
class _Reading:
    """The message as it is being read: spans already used are blanked out of `rest`."""

    message: FoldedText
    rest: str
    answers: dict[str, Any] = field(default_factory=dict)

    def take(self, key: str, value: Any, span: tuple[int, int] | None = None) -> None:
        self.answers[key] = value
        if span:
            self.rest = _blank(self.rest, *span)


# Asked for the ZIP, digits typed apart are still one ZIP: "6 0 6 2 1", "606 23", "60-623".
_SPACED_ZIP_REPLY = re.compile(r"^(?:(?:my )?zip(?: code)?(?: is)?:?\s*|(?:mi )?codigo(?: postal)?(?: es)?:?\s*)?(\d[\d .-]{3,10}\d)[\s.!]*$")


def _spaced_zip(folded: str) -> ZipMention | None:
    match = _SPACED_ZIP_REPLY.match(folded)
    if match is None:
        return None
    digits = re.sub(r"\D", "", match[1])
    return ZipMention(digits, match.start(1), match.end(1)) if len(digits) == 5 and digits != "00000" else None


_ZIP_WORD_BEFORE = re.compile(r"(?:zip|zipcode|codigo|codigo postal|postal|cp)\b[^0-9]{0,20}$")


def _plausible_unasked_zip(folded: str, mention: ZipMention) -> bool:
    return is_illinois_zip(mention.zip_code) or bool(
        _ZIP_WORD_BEFORE.search(folded[: mention.start])
    )


def _read_numbers(reading: _Reading, requested: str | None, today: date) -> None:
    zips = find_zip_codes(reading.rest)
    if not zips and requested == ZIP_CODE:
        spaced = _spaced_zip(reading.rest)
        zips = [spaced] if spaced else []
    for mention in zips:
        reading.rest = _blank(reading.rest, mention.start, mention.end)
    if requested != ZIP_CODE:
        # Not asked for the ZIP, five digits are a ZIP (or a correction of it) only when they are an
        # Illinois one or said to be one: "4, 52000" to the family question is money.
        zips = [mention for mention in zips if _plausible_unasked_zip(reading.message.folded, mention)]
    # A correction comes last, unless the last is the one denied: "60632 not 60629".
    meant = [mention for mention in zips if not is_denied(reading.message.folded, mention)]
    if meant:
        reading.answers[ZIP_CODE] = meant[-1].zip_code
    birth = find_birth_date(reading.rest, today)
    if birth and (birth.said_born or requested != LAYOFF_DATE):
        reading.take(BIRTH_YEAR, birth.born.year, (birth.start, birth.end))
        reading.answers[AGE] = age_on(birth.born, today)
    year = find_birth_year(reading.rest, today)
    if year:
        reading.take(BIRTH_YEAR, year.value, (year.start, year.end))
    elif requested == BIRTH_YEAR:
        # Asked for the year, "59" is 1959, not an age of 59.
        short = bare_number(reading.rest)
        full = full_birth_year(short.value, today) if short and short.value < 100 else None
        if full:
            reading.take(BIRTH_YEAR, full, (short.start, short.end))
    # "I'm twenty two", "tengo veinte": spelled-out ages read like digits (offsets are kept).
    age = find_age(reading.rest) or find_age(spell_out_numbers(reading.rest))
    if age:
        reading.take(AGE, age.value, (age.start, age.end))


def _layoff_date(folded: str, today: date, future: bool) -> str | None:
    mentions = find_dates(folded, today)
    if mentions:
        return resolve(mentions[-1], today, future).isoformat()
    relative = relative_date(folded, today)
    return relative.isoformat() if relative else None


# How a relative date opens ("hace 2 semanas", "last friday", "ayer"); "amazon hace 2 semanas"
# names the company first.
_OPENS_LIKE_A_DATE = re.compile(
    r"^(?:hace|last|ayer|antier|anteayer|yesterday|today|hoy|this|esta|este|el|la|a|about|like|como|around|"
    r"\d+|one|two|three|un|una|dos|tres)\b"
)


def _only_a_date(folded: str, today: date, future: bool) -> str | None:
    """The date a reply gives when the reply is nothing but that date ("el 20 de noviembre",
    "hace 2 semanas", "last friday"), as an ISO date; else None."""
    mentions = find_dates(folded, today)
    if len(mentions) == 1:
        rest = (folded[: mentions[0].start] + folded[mentions[0].end :]).strip(" ,.!")
        if re.fullmatch(r"(?:(?:el|la|on|in|en|the|de|del|since|desde|fue|it was|was|about|como|around)\s*)*", rest):
            return resolve(mentions[0], today, future).isoformat()
        return None
    relative = relative_date(folded, today) if not mentions and _OPENS_LIKE_A_DATE.match(folded.strip()) else None
    return relative.isoformat() if relative else None


def _is_iso_date_after(value: str, today: date) -> bool:
    try:
        return date.fromisoformat(value) > today
    except ValueError:
        return False


def _read_statements(reading: _Reading, requested: str | None, today: date) -> None:
    text, rest = reading.message.original, reading.rest
    stated_name = find_stated_name(text)
    if stated_name:
        reading.answers[FIRST_NAME] = stated_name
    sectors = wanted_sectors(reading.message, requested)
    if sectors:
        reading.answers[SECTORS] = sectors
    status = find_employment_status(rest)
    if status:
        reading.answers[EMPLOYMENT_STATUS] = status.value
        if status.value in ("laid_off", "layoff_notice"):
            span = employer_span(rest)
            if span and not _DESCRIBES_A_JOB.match(rest[span[0]:span[1]]):
                reading.answers[LAYOFF_EMPLOYER] = reading.message.original_span(*span)
            when = _layoff_date(rest, today, future=status.value == "layoff_notice")
            # A layoff that already happened has no future last day: "laid off, I'm coming in
            # tomorrow" dates the visit, not the layoff.
            if when and not (status.value == "laid_off" and _is_iso_date_after(when, today)):
                reading.answers[LAYOFF_DATE] = when
    ui = find_ui_status(rest)
    if ui:
        reading.answers[UI_STATUS] = ui.value
    spouse = find_military_spouse(rest)
    if spouse:
        reading.answers[MILITARY_SPOUSE] = spouse[0]
    veteran = find_veteran(rest, spouse[1] if spouse else None)
    if veteran is not None:
        reading.answers[VETERAN] = veteran
    assistance = find_public_assistance(rest, asked=requested == PUBLIC_ASSISTANCE)
    if assistance:
        reading.answers[PUBLIC_ASSISTANCE] = assistance
    authorized = find_work_authorized(rest)
    if authorized is not None:
        reading.answers[WORK_AUTHORIZED] = authorized
    education = find_education(rest)
    if education:
        reading.answers[EDUCATION] = education
    in_school = find_in_school(rest)
    if in_school is not None:
        reading.answers[IN_SCHOOL] = in_school
    sex = find_sex(rest)
    if sex:
        reading.answers[SEX] = sex


_NONE_REPLY = re.compile(
    r"^(?:none|none of (?:them|those|these|the above)|neither|nothing|n/?a|no one|nada|ninguno|ninguna|"
    r"ningunos|ninguna de esas|ninguno de esos|ni uno|no ninguno|no ninguna|no nada|no tengo|no tengo ninguno|"
    r"no tengo nada|no i dont|no recibo nada|no recibo ninguno|no aplica|no me aplica|not applicable|doesnt apply|does not apply)[\s.!]*$"
)
# "anything tbh", "ill take any job", "whatever is available", "cualquier trabajo la verdad": open to every sector.
_ALL_REPLY = re.compile(
    r"^(?:(?:i ?ll|i will|i can|i could|i would|id) (?:take|do) |(?:im )?open to |down for |lo que sea |me sirve )?"
    r"(?:all|all of them|any|anything|any of them|any job|any jobs|any work|any kind|any kind of work|any field|"
    r"whatever|whatever is available|whatever you have|whatever works|everything|todos|todas|todo|cualquiera|"
    r"cualquier cosa|cualquier trabajo|cualquier empleo|lo que sea|lo que haya|de todo|de lo que sea)"
    r"(?: (?:tbh|honestly|really|lol|fr|is fine|works|is ok|is good|pls|please|i guess|idc|la verdad|esta bien|"
    r"me sirve|por favor|porfa))*[\s.!]*$"
)
# "limpieza de oficinas o lo que sea", "hotels or whatever": open to any work after all.
_OR_ANYTHING = re.compile(
    r"(?:,|\bo\b|\bor\b|\by\b|\band\b)\s*(?:lo que sea|lo que haya|cualquier cosa|cualquier trabajo|cualquiera|whatever|anything|"
    r"any job|anything else|de todo)[\s.!]*$"
)
# "anything but healthcare", "todo menos construccion": every sector but the ones named.
_ALL_BUT_REPLY = re.compile(
    r"^(?:all|any|anything|any job|any work|everything|whatever|todo|todos|cualquiera|cualquier cosa|"
    r"cualquier trabajo|lo que sea)\s*,?\s+(?:but|except|except for|excepto|menos|other than|besides|pero no|but not|just not|no)\s+(?P<refused>.+)$"
)
# "all of them" to the assistance list: every program on it ("any" would not say that).
_EVERY_ONE_REPLY = re.compile(r"^(?:all|all of them|all of those|all of these|all 4|all four|todos|todas|todos esos|todas esas|los 4|los cuatro)[\s.!]*$")
_BOTH_REPLY = re.compile(r"^(?:both|ambos|ambas|los dos|las dos)[\s.!]*$")

_SELECTIVE_SERVICE_RULES = (
    rules("not_registered", r"not registered|never registered|didnt register|did not register|no (?:me )?registre|no estoy registrado|nunca me registre"),
    rules("registered", r"registered|i registered|me registre|estoy registrado|ya me registre|already did|ya lo hice"),
)
_ARTICLE = r"(?:la |el |mi |my |a |an |the |un |una )?"
# Where the school was: "prepa en mexico", "high school in guatemala".
_WHERE = r"(?: (?:en|in|de|from) (?:el |la |the )?[a-z]+(?: [a-z]+)?)?"
_EDUCATION_WORDS = {
    "degree": re.compile(
        rf"^{_ARTICLE}(?:degree|college degree|university degree|bachelors?|bachelors degree|associates?|associates degree|"
        rf"masters?|titulo|titulo universitario|licenciatura|carrera){_WHERE}[\s.!]*$"
    ),
    "diploma": re.compile(
        rf"^{_ARTICLE}(?:(?:high|hig|hight|hi) ?school|hs|hs diploma|prepa|preparatoria|bachillerato|12|12th|12th grade|doce|"
        rf"cuarto ano){_WHERE}[\s.!]*$"
    ),
    "some_college": re.compile(rf"^{_ARTICLE}(?:college|universidad|university|uni|colegio){_WHERE}[\s.!]*$"),
    "some_high_school": re.compile(
        r"^(?:none|nada|ninguna|ninguno|no school|middle school|elementary|some (?:high|hig) ?school|some hs|"
        r"parte de (?:la )?(?:secundaria|prepa|preparatoria|high ?school)|algo de (?:la )?(?:prepa|preparatoria|high ?school))[\s.!]*$"
    ),
}
_WORKING_WORDS = re.compile(
    r"^(?:(?:yes |yeah |si )?(?:i m |im |i am |i |estoy |yo )?(?:working|employed|trabajando|empleado|empleada|work)"
    r"(?: (?:part time|part-time|full time|full-time|pt|ft|now|right now|rn|medio tiempo|tiempo completo|ahorita|ahora))?"
    r"|part time|full time|part-time|full-time|medio tiempo|tiempo completo)[\s.!]*$"
)


# Asked for the work situation, the job held: "trabajo de housekeeping", "trabajo por mi cuenta",
# "I work as a cook". Opening a message unasked, such words are as often the job wanted.
_HOLDS_A_JOB_REPLY = re.compile(
    r"^(?:(?:si|yes|pues|yo|ahorita|ahora) )?(?:trabajo|i work|work)(?: part time| part-time| full time| full-time| medio tiempo)? "
    r"(?:de|en|como|para|por mi cuenta|as|at|in|for)\b.*$"
)

_OTHER_REPLY = re.compile(
    r"^(?:other|otro|otra|something else|otra cosa|not on the list|none of those|none of these|nothing there|"
    r"no one of those|ninguna de esas|ninguno de esos|nada de eso)[\s.!]*$"
)
_NOTHING_TO_NAME = frozenset({SECTORS, LAYOFF_EMPLOYER})


# "idk the name", "no se el nombre", "dont remember the name": whatever follows, no company is named.
_NOT_KNOWN_OPENING = re.compile(
    r"^(?:idk|i dont know|dont know|i do not know|dunno|i dunno|no se|nose|no lo se|ni idea|no idea|"
    r"no me acuerdo|no recuerdo|i dont remember|dont remember|i forgot|i forget|"
    r"rather not|id rather not|i rather not|i would rather not|prefiero no)\b"
)


def _nothing_named(text: str, requested: str) -> bool:
    folded = fold_phrase(text).strip()
    if _NONE_REPLY.match(folded) or _OTHER_REPLY.match(folded):
        return True
    if requested != LAYOFF_EMPLOYER:
        return False
    return parse_yes_no(text) == "no" or bool(_NOT_KNOWN_OPENING.match(folded))


def _refused_from_all(folded: str) -> set[str]:
    """The sectors an "anything but ..." reply leaves out (none when it is not such a reply)."""
    match = _ALL_BUT_REPLY.match(folded)
    return set(sectors_in(match["refused"])) if match else set()


_LAST_GRADE_BELOW_DIPLOMA = 11


def _could_be_options(question: ChoiceQuestion, value: int) -> bool:
    """Whether a number is an option of the list, or its options typed without spaces ("13")."""
    numbers = {option.number for option in question.options}
    digits = [int(digit) for digit in str(value)]
    return value in numbers or (len(set(digits)) == len(digits) and set(digits) <= numbers)


def _reply_yes_no(text: str, requested: str, had_statements: bool) -> YesNo | None:
    plain = parse_yes_no(text)
    if plain is not None:
        return plain
    leading = leading_yes_no(text)
    if leading:
        # "no, I am 24" after another question corrects an earlier answer: the "no" says the
        # earlier answer was wrong, not "no" to the question asked. The form asks it again.
        if leading[0] == "no" and had_statements:
            return None
        return leading[0]
    if requested in BOOLEAN_ANSWERS and opening_yes(text):
        return "yes"
    return None


def _read_reply(reading: _Reading, requested: str, today: date, had_statements: bool) -> None:
    """Read the message as the answer to the requested question, without overwriting statements."""
    text, rest, answers = reading.message.original, reading.rest, reading.answers
    folded = reading.message.folded.strip(" .!?")

    question = choice_question(requested)
    if question:
        chosen = select(question, text)
        if chosen:
            for key, value in answers_for(question, chosen).items():
                answers.setdefault(key, value)
            return
        number = bare_number(rest) if not had_statements else None
        if number and requested == SECTORS and valid_age(number.value) and not _could_be_options(question, number.value):
            # "55" or "40" to the list of kinds of work, the question before the age: no option, nor
            # options typed together ("12" for 1 and 2), has that number; it is the age, given ahead.
            reading.take(AGE, number.value, (number.start, number.end))
            return
        if number and requested == EDUCATION and _LAST_GRADE_BELOW_DIPLOMA >= number.value > len(question.options):
            # "11" to the schooling list: the grade reached, below a diploma.
            answers[EDUCATION] = "some_high_school"
            return
    yes_no = _reply_yes_no(text, requested, had_statements)

    if requested in BOOLEAN_ANSWERS and requested not in answers and yes_no in ("yes", "no"):
        answers[requested] = yes_no == "yes"
    elif requested == MILITARY and VETERAN not in answers and answers.get(MILITARY_SPOUSE) is True:
        # "My husband is active duty" to the combined question: the spouse option, not a veteran.
        answers[VETERAN] = False
    elif requested == MILITARY and VETERAN not in answers and MILITARY_SPOUSE not in answers:
        if yes_no == "no" or _NONE_REPLY.match(folded):
            answers[VETERAN] = answers[MILITARY_SPOUSE] = False
        elif _BOTH_REPLY.match(folded):
            answers[VETERAN] = answers[MILITARY_SPOUSE] = True
        elif served_in_reply(rest):
            answers[VETERAN] = True
            answers[MILITARY_SPOUSE] = False
    elif requested in (PUBLIC_ASSISTANCE, BARRIERS) and requested not in answers:
        if requested == BARRIERS:
            barriers = find_barriers(rest)
            if barriers:
                answers[BARRIERS] = barriers
                return
        if yes_no == "no" or _NONE_REPLY.match(folded):
            answers[requested] = []
        elif requested == PUBLIC_ASSISTANCE and _EVERY_ONE_REPLY.match(folded):
            answers[PUBLIC_ASSISTANCE] = list(PUBLIC_ASSISTANCE_VALUES)
    elif requested == SECTORS and (refused := _refused_from_all(folded)):
        answers[SECTORS] = [sector for sector in SECTOR_VALUES if sector not in refused]
    elif requested == SECTORS and SECTORS not in answers and (_ALL_REPLY.match(folded) or _OR_ANYTHING.search(folded)):
        answers[SECTORS] = list(SECTOR_VALUES)
    elif requested == UI_STATUS and UI_STATUS not in answers:
        # Asked about benefits, people leave the word out: "no he aplicado", "they ran out".
        for group in UI_REPLY_RULES:
            hits = find_hits(rest, group)
            if hits:
                answers[UI_STATUS] = hits[0].value
                return
        if yes_no is None and opening_yes(text):
            yes_no = "yes"  # "si estoy cobrando", "yes i get it every week"
        if yes_no is None and _NONE_REPLY.match(folded):
            yes_no = "no"  # "ninguno": none received, the option "I do not get them / did not apply"
        if yes_no in ("yes", "no"):
            answers[UI_STATUS] = "receiving" if yes_no == "yes" else "not_filed"
    elif requested == SELECTIVE_SERVICE and SELECTIVE_SERVICE not in answers and SEX not in answers:
        sex = sex_in_reply(folded)
        if sex:
            # "mujer": the question is for men only; a man is asked it again.
            answers[SEX] = sex
            return
        for group in _SELECTIVE_SERVICE_RULES:
            hits = find_hits(rest, group)
            if hits:
                # "no, I didn't register" stays not registered; "not registered" is not a yes.
                registered = hits[0].value == "registered" and not hits[0].negated
                answers[SELECTIVE_SERVICE] = "registered" if registered else "not_registered"
                return
        if yes_no in ("yes", "no"):
            answers[SELECTIVE_SERVICE] = "registered" if yes_no == "yes" else "not_registered"
    elif requested == EDUCATION and EDUCATION not in answers:
        # The level may be the first part of a longer reply: "cuarto año, no estudio ahora".
        for part in (folded, re.split(r"\s*[,;]\s*|\s+(?:y|and|pero|but)\s+", folded)[0]):
            for value, pattern in _EDUCATION_WORDS.items():
                if pattern.match(part):
                    answers[EDUCATION] = value
            if EDUCATION in answers:
                break
    elif requested == EMPLOYMENT_STATUS and EMPLOYMENT_STATUS not in answers and (
        _WORKING_WORDS.match(folded) or _HOLDS_A_JOB_REPLY.match(folded)
    ):
        answers[EMPLOYMENT_STATUS] = "working"
    elif requested in (AGE, BIRTH_YEAR) and AGE not in answers and BIRTH_YEAR not in answers and not speaks_of_birth(rest):
        # A lone number; with other answers in the message, only a number the reply opens with.
        read_number = opening_number if had_statements else bare_number
        spelled = spell_out_numbers(rest)
        number = read_number(rest) or read_number(spelled)
        if number is None and not had_statements:
            # "45 and yes i can work": a number the reply opens with, however long the rest.
            number = opening_number(rest) or opening_number(spelled)
        if number is None and set(answers) == {WORK_AUTHORIZED}:
            # "30 green card", "30 im a citizen": the age, then the answer asked alongside it.
            number = number_before_words(spelled)
        if number and valid_birth_year(number.value, today) and number.value >= 1000:
            answers[BIRTH_YEAR] = number.value
        elif number and valid_age(number.value):
            # Set apart from what the question asked alongside reads ("cuarenta y cinco, si"):
            # the spelled words too, which spell_out_numbers pads with spaces.
            end = number.end + len(spelled[number.end:]) - len(spelled[number.end:].lstrip(" "))
            reading.take(AGE, number.value, (number.start, end))
    elif requested == FIRST_NAME and FIRST_NAME not in answers:
        name = parse_first_name(text, allow_bare=not had_statements)
        if name:
            answers[FIRST_NAME] = name
    elif requested == LAYOFF_EMPLOYER and LAYOFF_EMPLOYER not in answers and not had_statements:
        said_date = _only_a_date(rest, today, answers.get(EMPLOYMENT_STATUS) == "layoff_notice")
        if said_date:
            # "el 20 de noviembre" to "which company?": the last day, given ahead; the company is asked again.
            answers[LAYOFF_DATE] = said_date
        elif yes_no is None:
            employer = clean_employer(text)
            if employer:
                answers.pop(SECTORS, None)  # "Hilton hotel" names the old job, not a wish
                answers[LAYOFF_EMPLOYER] = employer
    elif requested == LAYOFF_DATE and LAYOFF_DATE not in answers:
        future = answers.get(EMPLOYMENT_STATUS) == "layoff_notice"
        when = _layoff_date(rest, today, future)
        if when:
            answers[LAYOFF_DATE] = when
        elif not had_statements and yes_no is None and len(text.strip()) <= MAX_RAW_DATE_LENGTH and re.search(r"\w", text):
            answers[LAYOFF_DATE] = text.strip()


# What a reply to "How old are you, and are you allowed to work?" says besides its age.
_AGE_REPLY_FILLER = re.compile(
    r"\b(?:\d+|i ?a?m|i'?m|tengo|years?|yrs?|old|anos|and|y|born(?: in)?|naci(?:do|da)?(?: en)?(?: el)?)\b|[,.;:!]"
)


def _read_alongside(reading: _Reading, requested: str, question: str) -> None:
    """The yes/no of a question asked alongside another: after the age ("19, yes") from what the
    age leaves; after a list, from a reply that is only a yes or no or opens with one ("yea junior
    year"); a list's answer beside it is split off before reading (`split_off_yes_no`)."""
    if requested == AGE:
        remainder = _AGE_REPLY_FILLER.sub(" ", reading.rest).strip()
        said = _reply_yes_no(remainder, question, had_statements=False)
        # Only beside an age this message gave: "mi zip es 60632 no 60629" says no ZIP, not "no".
        split = split_off_yes_no(reading.rest) if said is None and AGE in reading.answers else None
        if split:
            said = split[1]  # "cumplo 25 el mes que viene y si": the yes closes the reply
    else:
        said = _reply_yes_no(reading.message.original, question, had_statements=bool(reading.answers))
    if said in ("yes", "no"):
        reading.answers[question] = said == "yes"


def dont_know_answers(requested: str) -> dict[str, str]:
    """What "I don't know" answers to the question asking for `requested`: `unknown` for each
    answer the question stands for (the military question asks two)."""
    keys = (VETERAN, MILITARY_SPOUSE) if requested == MILITARY else (requested,)
    return {key: UNKNOWN for key in keys}


def extract(
    text: str, requested: str | None = None, language: str = "en", *, today: date, alongside: str | None = None
) -> Extraction:
    """The answers in one message.

    `requested` is the answer key of the question just asked (or "military" for the combined
    veteran/military-spouse question). `language` is the conversation language; the parsers read
    both languages whatever it is, because seekers mix them. `today` (the Chicago calendar day of
    the caller's clock) turns "last friday" or "I'm 24" into dates and birth years. `alongside` is a
    yes/no question the same message asked after `requested` (bot/questions.py ASKED_ALONGSIDE).
    """
    if requested is not None and requested not in REQUESTABLE:
        raise ValueError(f"unknown requested answer {requested!r}")
    if alongside is not None and (requested not in READ_WITH_A_YES_NO or alongside not in BOOLEAN_ANSWERS):
        raise ValueError(f"{alongside!r} cannot be asked alongside {requested!r}")
    text = bounded_prefix(text, MAX_READ_CHARACTERS)
    if alongside and requested != AGE:
        split = split_off_yes_no(text)
        if split is not None:
            # "3, no": the list's answer and the yes/no, each read as the reply to its own question.
            main, said = split
            answers = dict(extract(main, requested, language, today=today).answers)
            answers.setdefault(alongside, said == "yes")
            return Extraction(answers=answers)
    if requested and parse_yes_no(text) == "unknown":
        return Extraction(answers=dont_know_answers(requested), dont_know=True)
    if requested in _NOTHING_TO_NAME and _nothing_named(text, requested):
        # "none"/"other" to the sector list, "no"/"n/a" to "which company? you can say skip": nothing
        # to give, like "idk"; asked again it would loop (staff go over it).
        return Extraction(answers={requested: UNKNOWN}, dont_know=True)

    if requested == FAMILY_INCOME:
        if parse_yes_no(text) == "no":
            # "no" to "how many are you and what do you earn? you can skip": a skip, left to staff
            # (an unknown income never lowers a result), not asked three times over.
            return Extraction(answers=dont_know_answers(requested), dont_know=True)
        # Numbers here are people and dollars, never a ZIP or an age: read only as this reply.
        income = read_family_income(text)
        found = {} if income is None else {FAMILY_SIZE: income.size, FAMILY_INCOME: income.yearly}
        answers = {key: value for key, value in found.items() if value is not None}
        return Extraction(answers=answers, unclear=not answers)

    volunteered = volunteered_family_income(text)
    if volunteered is not None:
        # "4 people 35k" while another question waits: an answer out of order, kept for later.
        return Extraction(answers={FAMILY_SIZE: volunteered.size, FAMILY_INCOME: volunteered.yearly})

    message = fold(text)
    reading = _Reading(message=message, rest=message.folded)
    _read_numbers(reading, requested, today)
    _read_statements(reading, requested, today)
    # A hotel named as the old employer is not a statement about wanted sectors.
    ignored = {SECTORS} if requested == LAYOFF_EMPLOYER else set()
    had_statements = any(key not in ignored for key in reading.answers)
    if requested:
        _read_reply(reading, requested, today, had_statements)
    if alongside and alongside not in reading.answers:
        _read_alongside(reading, requested, alongside)
    unclear = requested is not None and not reading.answers
    return Extraction(answers=reading.answers, unclear=unclear)
