"""Dates in seekers' words: "3/14/1990", "14 de marzo de 1990", "in march", "hace un mes",
"2 weeks ago", "next month". Works on folded text (see text.fold)."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.understanding.text import is_typo_of

MONTHS = {
    "january": 1, "jan": 1, "enero": 1, "ene": 1,
    "february": 2, "feb": 2, "febrero": 2, "febuary": 2,
    "march": 3, "mar": 3, "marzo": 3,
    "april": 4, "apr": 4, "abril": 4, "abr": 4,
    "may": 5, "mayo": 5,
    "june": 6, "jun": 6, "junio": 6,
    "july": 7, "jul": 7, "julio": 7,
    "august": 8, "aug": 8, "agosto": 8, "ago": 8,
    "september": 9, "sept": 9, "sep": 9, "septiembre": 9, "setiembre": 9,
    "october": 10, "oct": 10, "octubre": 10,
    "november": 11, "nov": 11, "noviembre": 11,
    "december": 12, "dec": 12, "diciembre": 12, "dic": 12,
}
# Short month names are everyday words too ("may", "mar", "ago"): they only count next to a day
# or a year, or after "in"/"en".
_AMBIGUOUS_MONTHS = frozenset({"may", "mar", "ago", "jun", "jul", "sep", "dic", "ene", "abr"})

_COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "un": 1, "una": 1, "uno": 1, "two": 2, "dos": 2, "three": 3,
    "tres": 3, "four": 4, "cuatro": 4, "five": 5, "cinco": 5, "six": 6, "seis": 6, "couple": 2,
    "a couple": 2, "a couple of": 2, "few": 3, "a few": 3, "unos": 2, "unas": 2, "par de": 2,
    "un par de": 2,
}
_UNITS = {
    "day": "days", "days": "days", "dia": "days", "dias": "days",
    "week": "weeks", "weeks": "weeks", "wk": "weeks", "wks": "weeks", "semana": "weeks", "semanas": "weeks",
    "month": "months", "months": "months", "mes": "months", "meses": "months",
    "year": "years", "years": "years", "yr": "years", "yrs": "years", "ano": "years", "anos": "years",
}


@dataclass(frozen=True)
class DateMention:
    start: int  # span in the folded text
    end: int
    year: int | None
    month: int
    day: int | None


def _month_of(word: str) -> int | None:
    if word in MONTHS:
        return MONTHS[word]
    for name, number in MONTHS.items():
        if len(name) >= 7 and is_typo_of(word, name):
            return number
    return None


def _full_year(digits: str, today: date) -> int:
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def _valid(year: int | None, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    check_year = year if year is not None else 2000  # a leap year, so 2/29 is allowed
    return 1 <= day <= calendar.monthrange(check_year, month)[1]


_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?(?![\d/])")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_WORD = r"[a-z]+"
_MONTH_DAY = re.compile(rf"\b({_WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(?:de\s+|del\s+)?(\d{{4}}))?")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th|ro)?\s+(?:de\s+|of\s+)?({_WORD})\b(?:,?\s*(?:de\s+|del\s+)?(\d{{4}}))?")
_MONTH_YEAR = re.compile(rf"\b({_WORD})\.?,?\s+(?:de\s+|del\s+|of\s+)?(\d{{4}})\b")
# "early october", "a mediados de marzo", "end of june": a part of a named month.
_MONTH_PART_DAY = {
    "early": 1, "beginning of": 1, "start of": 1, "the beginning of": 1, "the start of": 1,
    "a principios de": 1, "principios de": 1, "a inicios de": 1, "inicios de": 1,
    "mid": 15, "middle of": 15, "the middle of": 15, "a mediados de": 15, "mediados de": 15,
    "late": 28, "end of": 28, "the end of": 28, "a finales de": 28, "finales de": 28,
    "a fines de": 28, "fines de": 28,
}
_MONTH_PART = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(_MONTH_PART_DAY, key=len, reverse=True)) + rf")[ -]({_WORD})\b"
)
_MONTH_ALONE = re.compile(rf"\b(in|en|on|since|desde|around|el|de)\s+({_WORD})\b")


def find_dates(folded: str, today: date) -> list[DateMention]:
    """Calendar dates in the text, most specific first; spans do not overlap."""
    found: list[DateMention] = []

    def free(start: int, end: int) -> bool:
        return all(end <= m.start or start >= m.end for m in found)

    for match in _ISO.finditer(folded):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        if _valid(year, month, day):
            found.append(DateMention(match.start(), match.end(), year, month, day))
    for match in _NUMERIC.finditer(folded):
        if not free(match.start(), match.end()):
            continue
        first, second = int(match[1]), int(match[2])
        year = _full_year(match[3], today) if match[3] else None
        month, day = (second, first) if first > 12 else (first, second)  # "15/3" is day first
        if match[3] is None and "." in match.group():
            continue  # "2.5" is a number, not March 5
        if _valid(year, month, day):
            found.append(DateMention(match.start(), match.end(), year, month, day))
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        for match in pattern.finditer(folded):
            month = _month_of(match[month_group])
            if month is None or not free(match.start(), match.end()):
                continue
            day = int(match[day_group])
            year = int(match[3]) if match[3] else None
            if _valid(year, month, day):
                found.append(DateMention(match.start(), match.end(), year, month, day))
    for match in _MONTH_PART.finditer(folded):
        month = _month_of(match[2])
        if month is not None and free(match.start(), match.end()):
            found.append(DateMention(match.start(), match.end(), None, month, _MONTH_PART_DAY[match[1]]))
    for match in _MONTH_YEAR.finditer(folded):
        month = _month_of(match[1])
        if month is not None and free(match.start(), match.end()):
            found.append(DateMention(match.start(), match.end(), int(match[2]), month, None))
    for match in _MONTH_ALONE.finditer(folded):
        word = match[2]
        month = _month_of(word)
        if month is None or not free(match.start(2), match.end()):
            continue
        if word in _AMBIGUOUS_MONTHS and match[1] not in ("in", "en", "since", "desde"):
            continue
        found.append(DateMention(match.start(2), match.end(), None, month, None))
    return sorted(found, key=lambda m: m.start)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _shift(today: date, amount: int, unit: str) -> date:
    if unit == "days":
        return today + timedelta(days=amount)
    if unit == "weeks":
        return today + timedelta(weeks=amount)
    if unit == "months":
        return _add_months(today, amount)
    return _add_months(today, 12 * amount)


_COUNT = r"(\d{1,2}|a couple of|a couple|un par de|par de|a few|couple|few|an|a|one|two|three|four|five|six|un|una|uno|unos|unas|dos|tres|cuatro|cinco|seis)"
_UNIT = r"(days?|dias?|weeks?|wks?|semanas?|months?|mes|meses|years?|yrs?|anos?)"
_AGO = re.compile(rf"\b{_COUNT}\s+{_UNIT}\s+(?:ago|back|atras)\b")
_HACE = re.compile(rf"\bhace\s+(?:como\s+|unos\s+|unas\s+)?{_COUNT}\s+{_UNIT}\b")
_IN_FUTURE = re.compile(rf"\b(?:in|en|within|dentro de)\s+(?:like\s+|about\s+)?{_COUNT}\s+{_UNIT}\b")
_FIXED_RELATIVE = (
    (re.compile(r"\b(?:yesterday|ayer)\b"), -1, "days"),
    (re.compile(r"\b(?:today|hoy)\b"), 0, "days"),
    (re.compile(r"\b(?:tomorrow|manana)\b"), 1, "days"),
    (re.compile(r"\b(?:last week|past week|la semana pasada|semana pasada)\b"), -1, "weeks"),
    (re.compile(r"\b(?:last month|past month|el mes pasado|mes pasado)\b"), -1, "months"),
    (re.compile(r"\b(?:last year|el ano pasado|ano pasado)\b"), -1, "years"),
    (re.compile(r"\b(?:next week|la proxima semana|proxima semana|la semana que viene)\b"), 1, "weeks"),
    (re.compile(r"\b(?:next month|el proximo mes|proximo mes|el mes que viene)\b"), 1, "months"),
    (re.compile(r"\b(?:next year|el proximo ano|el ano que viene)\b"), 1, "years"),
)


_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6,
}
_WEEKDAY = "(" + "|".join(_WEEKDAYS) + ")"
# "last friday", "this past monday", "el viernes pasado": the most recent such day before today.
_LAST_WEEKDAY = re.compile(rf"\b(?:last|this past|past) {_WEEKDAY}\b|\b(?:el )?{_WEEKDAY} pasado\b")
# "the 3rd of last month", "el 3 del mes pasado": a day of the previous month.
_DAY_OF_LAST_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th|ro)? (?:of |de )?(?:last month|the last month|el mes pasado|del mes pasado|mes pasado)\b"
)
# "end of last month", "a finales del mes pasado", "beginning of last month".
_PART_OF_LAST_MONTH = re.compile(
    r"\b(end|beginning|start|middle|finales|fines|principios|inicios|mediados) (?:of |de |del )?"
    r"(?:last month|the last month|el mes pasado|mes pasado)\b"
)
_LAST_MONTH_PART_DAY = {
    "beginning": 1, "start": 1, "principios": 1, "inicios": 1, "middle": 15, "mediados": 15,
}


def _day_of_last_month(folded: str, today: date) -> date | None:
    last_month = _add_months(today.replace(day=1), -1)
    days_in_month = calendar.monthrange(last_month.year, last_month.month)[1]
    match = _DAY_OF_LAST_MONTH.search(folded)
    if match and 1 <= int(match[1]) <= days_in_month:
        return last_month.replace(day=int(match[1]))
    match = _PART_OF_LAST_MONTH.search(folded)
    if match:
        return last_month.replace(day=_LAST_MONTH_PART_DAY.get(match[1], days_in_month))
    match = _LAST_WEEKDAY.search(folded)
    if match:
        weekday = _WEEKDAYS[match[1] or match[2]]
        return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    return None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNT_WORDS.get(word, 1)


def relative_date(folded: str, today: date) -> date | None:
    """A date given relative to today: "2 weeks ago", "hace un mes", "last week", "next month",
    "the 3rd of last month", "last friday"."""
    exact = _day_of_last_month(folded, today)
    if exact:
        return exact
    for pattern, sign in ((_AGO, -1), (_HACE, -1), (_IN_FUTURE, 1)):
        match = pattern.search(folded)
        if match:
            return _shift(today, sign * _count(match[1]), _UNITS[match[2]])
    for pattern, amount, unit in _FIXED_RELATIVE:
        if pattern.search(folded):
            return _shift(today, amount, unit)
    return None


def resolve(mention: DateMention, today: date, future: bool) -> date:
    """A calendar date for a mention; a missing year is the most recent past one, or the next one
    when `future` (a layoff notice names a coming date). A missing day is the 1st."""
    day = mention.day or 1
    if mention.year is not None:
        return date(mention.year, mention.month, min(day, calendar.monthrange(mention.year, mention.month)[1]))
    candidate_year = today.year
    candidate = date(candidate_year, mention.month, min(day, calendar.monthrange(candidate_year, mention.month)[1]))
    same_month = mention.day is None and mention.month == today.month
    if future and candidate < today and not same_month:
        candidate = date(candidate_year + 1, mention.month, min(day, calendar.monthrange(candidate_year + 1, mention.month)[1]))
    if not future and candidate > today and not same_month:
        candidate = date(candidate_year - 1, mention.month, min(day, calendar.monthrange(candidate_year - 1, mention.month)[1]))
    return candidate
