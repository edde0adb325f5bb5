"""Age and birth year: "I'm 24", "tengo 24 años", "24 yrs", "born in 1990", "naci en 1990",
"3/14/1990". Works on folded text; ZIP codes and dates are taken out before (a five-digit number is
never an age)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.understanding.dates import find_dates

MIN_AGE, MAX_AGE = 10, 100
MIN_BIRTH_YEAR = 1920


@dataclass(frozen=True)
class NumberMention:
    value: int
    start: int  # span in the folded text
    end: int


def valid_age(value: int) -> bool:
    return MIN_AGE <= value <= MAX_AGE


def valid_birth_year(value: int, today: date) -> bool:
    return MIN_BIRTH_YEAR <= value <= today.year - MIN_AGE


_N = r"(?<![\d.,/$-])(\d{1,3})(?![\d.,/:%]\d|\d|%)"
# Words after "im 24" that show the number is not an age: "im 24 hours away", "tengo 2 hijos".
_NOT_AGE_AFTER = (
    r"(?!\s*(?:hours?|hrs?|minutes?|mins?|min|miles?|blocks?|days?|weeks?|months?|kids?|children|"
    r"jobs?|dollars|bucks|percent|am\b|pm\b|horas?|minutos?|millas?|cuadras?|dias?|semanas?|meses|"
    r"hijos?|hijas?|ninos?|trabajos?|dolares|pesos|por ciento|de experiencia|years? of|anos? de experiencia|"
    r"years? experience|years? ago|anos? atras|years? in|years? at|years? working|anos? trabajando|"
    r"anos? aqui|years? here|anos? en))"
)
_YEARS_WORDS = r"(?:years? old|yrs? old|yr old|y/?o\b|y\.o\.?|anos de edad|anios|anos|ano|a[n]?os|years?|yrs?|de edad)"
_EXPLICIT_AGE = (
    # "I'm 24", "i am 24 years old", "im only 19", "age 24", "edad: 24", "tengo 24 (años)"
    re.compile(
        r"\b(?:im|i am|i m|am|age|aged|edad|my age is|mi edad es|tengo|turned|cumpli|"
        r"just turned|acabo de cumplir)\s*:?\s*(?:only |just |like |about |almost |around |"
        r"casi |como |solo |apenas |ya )?" + _N + _NOT_AGE_AFTER
    ),
    # "24 years old", "24 yo", "24 de edad" anywhere
    re.compile(_N + r"\s*(?:years? old|yrs? old|yr old|y/?o\b|y\.o\.?|anos de edad|de edad)"),
    # "Hi I'm Kayla, 19, zip 60617", "soy maria, 30, busco trabajo": a number set off by commas right
    # after the person names themselves is their age (a count would name what it counts: "2 kids").
    re.compile(
        r"\b(?:im|i am|i m|my name is|my name s|name is|this is|soy|me llamo|mi nombre es)\s+[a-z]+(?:\s+[a-z]+)?"
        r"\s*,\s*" + _N + r"(?=\s*(?:[,;.]|$|\band\b|\by\b|&))"
    ),
    # "soy Pedro de 45 años", "una señora de 55 años": "de" before the years is the age, unless
    # a span of time ("mas de 20 años", "hace de 10 años") or experience follows or comes before.
    re.compile(
        r"(?<!mas )(?<!menos )(?<!hace )(?<!por )(?<!durante )\bde\s+" + _N + r"\s*(?:anos|anios|a[n]?os)(?![a-z])"
        r"(?!\s*(?:de experiencia|atras|trabajando|aqui|en\b|de trabajo|viviendo))"
    ),
    # "24 años", "24 yrs" at the start of the message or after a comma: "soy maria, 30 años"
    re.compile(r"(?:^|[,;.]\s*|\by\s+|\band\s+)" + _N + r"\s*" + _YEARS_WORDS + r"(?![a-z])(?!\s*(?:ago|atras|de experiencia|experience|working|trabajando|here|aqui|in\b|at\b|en\b))"),
)
_BIRTH_WORDS = (
    r"(?:born|born in|born on|born in the year|b\.|dob|d\.o\.b\.?|birthday|birth year|year of birth|"
    r"birthdate|birth date|naci|naci en|naci el|naci en el|nacido en|nacida en|nacido el|nacida el|"
    r"ano de nacimiento|fecha de nacimiento|cumpleanos|mi cumple es)"
)
_EXPLICIT_BIRTH_YEAR = re.compile(_BIRTH_WORDS + r"\s*:?\s*(?:el |en |in |the year )?(?<!\d)(\d{4})(?!\d)")
# "born in 58", "naci en el 58": a two-digit year right after the birth words (never a day: "naci
# el 5 de mayo" and "born on the 5th" are left to the date reader).
_TWO_DIGIT_BIRTH_YEAR = re.compile(
    _BIRTH_WORDS + r"\s*:?\s*(?:el |en |in |the year |en el )?(?<!\d)(\d{2})(?![\d/-]|\s*(?:de|of|th|st|nd|rd)\b)(?![a-z])"
)
_BIRTH_CONTEXT = re.compile(_BIRTH_WORDS + r"\s*:?\s*(?:el |en |in |on |the )?$")


# An age still ahead: "cumplo 25 el mes que viene", "voy a cumplir 25", "turning 25 in march". The
# seeker is a year younger today, which decides Youth (up to 24, 20 CFR 681.210) and the like.
_AGE_AHEAD = re.compile(
    r"\b(?:turning|ill be|i ll be|i will be|gonna be|going to be|turn|cumplo|voy a cumplir|va a cumplir|"
    r"ya casi cumplo)\s*(?:only |just |like |about |almost |around |casi |como |solo |apenas |ya )?" + _N + _NOT_AGE_AFTER
)


# "mom of a 17 year old", "my 16 yo", "a 17 year old son": the age of someone else, not the seeker's
# ("im a 24 year old" is theirs).
_SOMEONE_ELSES_AGE_BEFORE = re.compile(r"(?:\b(?:my|our|his|her|their|mi|mis)|\b(?:of|have|has|with|got) an?)\s*$")
_SOMEONE_ELSES_AGE_AFTER = re.compile(
    r"\s*(?:son|daughter|kid|child|boy|girl|grandson|granddaughter|nephew|niece|brother|sister|cousin|"
    r"hijo|hija|nieto|nieta|sobrino|sobrina)s?\b"
)


def _someone_elses_age(folded: str, start: int, end: int) -> bool:
    return bool(_SOMEONE_ELSES_AGE_BEFORE.search(folded[:start]) or _SOMEONE_ELSES_AGE_AFTER.match(folded, end))


def find_age(folded: str) -> NumberMention | None:
    """An age the seeker states in words ("I'm 24", "tengo 30"), or None. The last one wins:
    "I'm 23, no wait, I'm 24". An age still ahead ("cumplo 25 en marzo") is the age before it."""
    mentions: list[NumberMention] = []
    for pattern, ahead in [(pattern, 0) for pattern in _EXPLICIT_AGE] + [(_AGE_AHEAD, 1)]:
        for match in pattern.finditer(folded):
            value = int(match[1]) - ahead
            if valid_age(value) and not _someone_elses_age(folded, match.start(1), match.end()):
                mentions.append(NumberMention(value, match.start(1), match.end()))
    return max(mentions, key=lambda m: m.start) if mentions else None


def find_birth_year(folded: str, today: date) -> NumberMention | None:
    """A birth year stated as such ("born in 1990", "naci en 1990", "born in 58")."""
    found = None
    for match in _EXPLICIT_BIRTH_YEAR.finditer(folded):
        value = int(match[1])
        if valid_birth_year(value, today):
            found = NumberMention(value, match.start(1), match.end(1))
    if found:
        return found
    for match in _TWO_DIGIT_BIRTH_YEAR.finditer(folded):
        year = full_birth_year(int(match[1]), today)
        if year:
            found = NumberMention(year, match.start(1), match.end(1))
    return found


def full_birth_year(two_digits: int, today: date) -> int | None:
    """The century that makes a valid birth year: 58 -> 1958, 05 -> 2005 (in 2026)."""
    for century in (2000, 1900):
        if valid_birth_year(century + two_digits, today):
            return century + two_digits
    return None


@dataclass(frozen=True)
class BirthDate:
    born: date
    start: int
    end: int
    said_born: bool  # "born on", "naci el": surely a birth date, not some other date


def find_birth_date(folded: str, today: date) -> BirthDate | None:
    """A full date with a year old enough to be a birth date: "3/14/1990", "14 de marzo de 1990"."""
    for mention in find_dates(folded, today):
        if mention.year is None or mention.day is None or not valid_birth_year(mention.year, today):
            continue
        said_born = bool(_BIRTH_CONTEXT.search(folded[: mention.start]))
        return BirthDate(date(mention.year, mention.month, mention.day), mention.start, mention.end, said_born)
    return None


_SPEAKS_OF_BIRTH = re.compile(r"(?<![a-z])(?:born|dob|birthday|birth|naci|nacido|nacida|nacimiento|cumpleanos|cumple)(?![a-z])")


def speaks_of_birth(folded: str) -> bool:
    """True for "born on the 15th", "naci el 15 de marzo": a number there is a day, not an age."""
    return bool(_SPEAKS_OF_BIRTH.search(folded))


def age_on(born: date, today: date) -> int:
    had_birthday = (today.month, today.day) >= (born.month, born.day)
    return today.year - born.year - (0 if had_birthday else 1)


# "31, and I'm a woman", "24 y soy de Cicero": the reply to "How old are you?" opens with the number.
# Set off by a comma or "and", or followed straight by a yes or no ("25 no tengo papeles": the age
# question asks about work in the same message).
_OPENING_NUMBER = re.compile(
    r"^(?:like |about |im |i am |tengo )?(\d{1,4})(?:\s*(?:,|;|\band\b|\by\b|\bbut\b|\bpero\b|&)|\s+(?=(?:no|yes|si|yeah|yep|nope)\b))"
)


def opening_number(folded: str) -> NumberMention | None:
    """The number a reply opens with, set off from the rest by a comma or "and"."""
    match = _OPENING_NUMBER.match(folded.strip())
    if not match:
        return None
    offset = len(folded) - len(folded.lstrip())
    return NumberMention(int(match[1]), match.start(1) + offset, match.end(1) + offset)


_NUMBER_BEFORE_WORDS = re.compile(r"^(?:im |i am |tengo )?(\d{1,3})\s+[a-z]")


def number_before_words(folded: str) -> NumberMention | None:
    """The number a reply opens with, followed by words with no comma: "30 green card"."""
    match = _NUMBER_BEFORE_WORDS.match(folded)
    return NumberMention(int(match[1]), match.start(1), match.end(1)) if match else None


_BARE_NUMBER = re.compile(r"(?<![\d.,/$-])(\d{1,4})(?![\d.,/:%]\d|\d)")


def bare_number(folded: str) -> NumberMention | None:
    """The one number in a short reply ("24", "like 24", "1990 lol"), or None when there are
    several numbers or many other words."""
    numbers = list(_BARE_NUMBER.finditer(folded))
    if len(numbers) != 1:
        return None
    other_words = re.sub(r"[^a-z ]", " ", folded[: numbers[0].start()] + " " + folded[numbers[0].end() :]).split()
    if len(other_words) > 4:
        return None
    return NumberMention(int(numbers[0][1]), numbers[0].start(), numbers[0].end())
