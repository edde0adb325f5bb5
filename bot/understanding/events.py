"""Which hiring event a seeker means, in their own words. Pure.

    catalogue = [EventLabel("HHC", ("Hospitality Hires Chicago", "..."), ("hospitality",), date(2026, 12, 10)), ...]
    events_named("I want to register for hospitality hires", catalogue)   # ["HHC"]
    events_named("feria de empleo de hoteles", catalogue)                  # ["HHC"] (the sector)
    pick_from_list("the hotel one", catalogue)                             # 1 (1-based)
    pick_from_list("the 10th", catalogue)                                  # the event on the 10th

An event is named by its code ("HHC", "#hhc"), by words of its name in either language, misspelt
a little ("hospitalty hirez"), or by its sector's words ("hotel", "salud", "forklift"). The
events that fit best are returned; several mean the seeker must choose among those only.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.understanding.choices import read_numbers
from bot.understanding.sectors import sectors_in
from bot.understanding.text import fold_phrase, is_typo_of, words_of

# Words every event name or request shares ("job fair", "hiring event", "feria de empleo"), the
# place every event is in, and function words: none of them tells one event from another.
_NOT_DISTINCTIVE = frozenset(
    """
    a an the and or of to in on at for with by from my me i im want wanna need like would
    please pls one ones thing that this those these there is are be go get sign signup register
    registration registrarme registrar inscribirme inscribir apuntarme anotarme join attend
    job jobs fair fairs hiring hire event events day days session sessions info information
    career careers work trabajo trabajos empleo empleos feria ferias evento eventos dia
    contratacion sesion informativa regional chicago cook county il illinois
    el la los las un una unos unas de del al y o en con para por que quiero me mi sobre
    """.split()
)
# Words that name a sector only when someone asks about events: data/sectors.yml leaves them out
# because in an intake answer they often mean something else ("my mom is in the hospital").
_EVENT_SECTOR_WORDS = {
    "hospital": "healthcare", "hospitals": "healthcare", "hospitales": "healthcare",
    "clinic": "healthcare", "clinica": "healthcare", "medical": "healthcare", "medico": "healthcare",
    "driver": "transportation", "drivers": "transportation", "choferes": "transportation",
    "energy": "clean_energy",
}
_LAST_WORDS = frozenset({"last", "ultimo", "ultima", "final"})

# Name words this short are initials or particles: too easily a typo of something else.
_MIN_NAME_WORD = 3

# A code weighs more than any amount of name words; a name word more than a sector.
_CODE_WEIGHT = 100
_NAME_WORD_WEIGHT = 2
_SECTOR_WEIGHT = 1

_MONTHS = {
    "jan": 1, "january": 1, "enero": 1, "ene": 1,
    "feb": 2, "february": 2, "febrero": 2,
    "mar": 3, "march": 3, "marzo": 3,
    "apr": 4, "april": 4, "abril": 4, "abr": 4,
    "may": 5, "mayo": 5,
    "jun": 6, "june": 6, "junio": 6,
    "jul": 7, "july": 7, "julio": 7,
    "aug": 8, "august": 8, "agosto": 8, "ago": 8,
    "sep": 9, "sept": 9, "september": 9, "septiembre": 9,
    "oct": 10, "october": 10, "octubre": 10,
    "nov": 11, "november": 11, "noviembre": 11,
    "dec": 12, "december": 12, "diciembre": 12, "dic": 12,
}
_WEEKDAYS = {
    "mon": 0, "monday": 0, "lunes": 0,
    "tue": 1, "tues": 1, "tuesday": 1, "martes": 1,
    "wed": 2, "wednesday": 2, "miercoles": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "jueves": 3,
    "fri": 4, "friday": 4, "viernes": 4,
    "sat": 5, "saturday": 5, "sabado": 5,
    "sun": 6, "sunday": 6, "domingo": 6,
}
# A day of the month needs something that makes it one: "10th", "the 10", "el 10", "dec 10",
# "10 de diciembre". A bare "10" is an option number, an age or nothing.
_ORDINAL_DAY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th|ro|vo|to|mo)\b")
_ARTICLE_DAY = re.compile(r"\b(?:the|el|on|dia)\s+(\d{1,2})\b(?!\s*(?:years?|yrs?|anos))")
_MONTH_DAY = re.compile(r"\b([a-z]+)\.?\s+(\d{1,2})\b|\b(\d{1,2})\s+(?:de\s+)?([a-z]+)\b")


@dataclass(frozen=True)
class EventLabel:
    """What a seeker can call an event by."""

    code: str
    names: tuple[str, ...]  # its name in every language
    sectors: tuple[str, ...] = ()
    day: date | None = None  # the local day it starts


def _name_words(label: EventLabel) -> frozenset[str]:
    words: set[str] = set()
    for name in label.names:
        for word in words_of(fold_phrase(name)):
            if len(word.text) >= _MIN_NAME_WORD and word.text not in _NOT_DISTINCTIVE and not word.text.isdigit():
                words.add(word.text)
    return frozenset(words)


def _matches_name_word(word: str, name_word: str) -> bool:
    if word in _NOT_DISTINCTIVE:
        return False
    if word == name_word or word in (name_word + "s", name_word + "es") or name_word in (word + "s", word + "es"):
        return True
    return is_typo_of(word, name_word)


def _score(label: EventLabel, words: Sequence[str], sectors: set[str]) -> int:
    if label.code.lower() in words:
        return _CODE_WEIGHT
    named = {name_word for name_word in _name_words(label) if any(_matches_name_word(w, name_word) for w in words)}
    score = _NAME_WORD_WEIGHT * len(named)
    if sectors & set(label.sectors):
        score += _SECTOR_WEIGHT
    return score


def events_named(text: str, catalogue: Sequence[EventLabel]) -> list[str]:
    """The codes of the events the text names, best first in catalogue order; [] when it names
    none. Ties are all returned: the seeker then picks among those."""
    words = [word.text for word in words_of(fold_phrase(text))]
    if not words:
        return []
    sectors = set(sectors_in(text)) | {_EVENT_SECTOR_WORDS[word] for word in words if word in _EVENT_SECTOR_WORDS}
    scores = [(_score(label, words, sectors), label.code) for label in catalogue]
    best = max((score for score, _ in scores), default=0)
    if best <= 0:
        return []
    return [code for score, code in scores if score == best]


def days_mentioned(text: str) -> tuple[set[int], set[tuple[int, int]], set[int]]:
    """(days of the month, (month, day) pairs, weekdays) the text speaks of."""
    folded = fold_phrase(text)
    days = {int(found) for found in _ORDINAL_DAY.findall(folded)}
    days |= {int(found) for found in _ARTICLE_DAY.findall(folded)}
    month_days: set[tuple[int, int]] = set()
    for month_word, day_digits, day_first, month_after in _MONTH_DAY.findall(folded):
        month = _MONTHS.get(month_word or month_after)
        if month is not None:
            month_days.add((month, int(day_digits or day_first)))
    weekdays = {_WEEKDAYS[word.text] for word in words_of(folded) if word.text in _WEEKDAYS}
    return {day for day in days if 1 <= day <= 31}, month_days, weekdays


def _events_on_days(text: str, catalogue: Sequence[EventLabel]) -> list[int]:
    days, month_days, weekdays = days_mentioned(text)
    if not (days or month_days or weekdays):
        return []
    found = []
    for index, label in enumerate(catalogue):
        if label.day is None:
            continue
        if (
            label.day.day in days
            or (label.day.month, label.day.day) in month_days
            or label.day.weekday() in weekdays
        ):
            found.append(index)
    return found


def pick_from_list(text: str, listed: Sequence[EventLabel]) -> int | None:
    """The 1-based position in a numbered list of events that a reply picks, or None.

    By number or ordinal ("2", "the first one", "la segunda"), then by day ("the 10th", "el
    jueves", "dec 10"), then by the event's code, name or sector words ("the hotel one", "el de
    salud"). A reply that fits several, or none, picks nothing.
    """
    numbers = read_numbers(text)
    if numbers is not None and len(numbers) == 1 and 1 <= numbers[0] <= len(listed):
        return numbers[0]
    if listed and _LAST_WORDS & {word.text for word in words_of(fold_phrase(text))} and not events_named(text, listed):
        return len(listed)
    on_day = _events_on_days(text, listed)
    if len(on_day) == 1:
        return on_day[0] + 1
    named = events_named(text, listed)
    if len(named) == 1:
        return next(index for index, label in enumerate(listed, start=1) if label.code == named[0])
    return None


# What someone waiting for staff may still ask the bot about: events, and their own sign-ups.
_EVENT_REQUEST = re.compile(
    r"\b(?:events?|eventos?|job fairs?|career fairs?|hiring (?:events?|days?|fairs?)|ferias?"
    r"|my registrations?|mis registros?|my spot|mi lugar|sign ?ups?|sign me up|register|registrarme"
    r"|inscribirme|apuntarme|cant make it|no puedo ir)\b"
)


def asks_about_events(text: str) -> bool:
    """Whether a message asks about hiring events or the seeker's registrations ("EVENTS", "any
    job fairs?", "my events", "cancel my spot", "mis eventos"), in either language."""
    return bool(_EVENT_REQUEST.search(fold_phrase(text)))
