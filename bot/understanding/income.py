"""How many people are in the family and what it earns in a year, from a reply such as "3, 25000",
"just me, about 1800 a month", "somos 4 y ganamos 30 mil al año" or "nothing right now".

Read as the reply to the family-income question; in any other message only when the size is said
in words that can only mean people and nothing else is a number (`volunteered_family_income`): a
number in any other message is an age, a ZIP or a choice. Amounts are turned into yearly dollars by the period named with them (a month
x12, a week x52, every two weeks x26); an hourly wage says nothing about a year's income and is
left unread, as is anything else this cannot read with confidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.geography import is_illinois_zip
from bot.understanding.numbered_choices import CARDINAL_WORDS
from bot.understanding.text import fold_phrase

LARGEST_FAMILY = 30
# A number this size or larger, with nothing saying otherwise, is money, not people.
SMALLEST_BARE_AMOUNT = 100


@dataclass(frozen=True)
class FamilyIncome:
    size: int | None
    yearly: int | None


_ALONE = re.compile(
    r"\b(?:just|only) (?:me|myself|i)\b|\bme alone\b|\bi live alone\b|\bjust my ?self\b|"
    r"\bsolo yo\b|\byo solo\b|\bnomas yo\b|\bsolamente yo\b|\bvivo sol[oa]\b|\bnada mas yo\b"
)
_SIZE = re.compile(
    r"\bfamily of (?P<a>\d{1,2})\b|"
    r"\b(?P<b>\d{1,2}) (?:people|persons|ppl|of us|in (?:my|the|our) (?:family|house|home|household)|personas|"
    r"en (?:mi|la) (?:familia|casa))\b|"
    r"\b(?:somos|we are|were|there are) (?P<c>\d{1,2})\b"
)
_NOTHING = re.compile(
    r"^(?:nothing|none|zero|0|no income|no money|nada|cero|no tengo ingresos?|no ganamos nada|no gano nada|"
    r"nothing right now|nada ahorita|nada por ahora|no income right now)\b"
)
_AMOUNT = re.compile(
    r"(?P<dollar>\$\s*)?(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*"
    r"(?P<thousands>k\b|mil\b|thousand\b|grand\b)?"
)
_PERIODS = (
    (re.compile(r"^\s*(?:a|an|per|each|every|por|al|a la|cada)?\s*(?:hour|hr|hora)s?\b|^\s*/\s*h(?:ou)?r\b|^\s*an? hr\b"), None),
    (re.compile(r"^\s*(?:every two weeks|every other week|biweekly|bi-weekly|cada dos semanas|cada quincena|quincenal(?:es)?|a la quincena)"), 26),
    (re.compile(r"^\s*(?:a|per|each|every|por|al|a la|cada)?\s*(?:week|wk|semana)s?\b|^\s*(?:weekly|semanal(?:es)?)\b"), 52),
    (re.compile(r"^\s*(?:a|per|each|every|por|al|cada)?\s*(?:month|mo|mes)(?:es)?\b|^\s*(?:monthly|mensual(?:es)?)\b"), 12),
)


def read_family_income(text: str) -> FamilyIncome | None:
    """The family's size and yearly income in a reply, either of them possibly missing; None when
    neither can be read."""
    folded = fold_phrase(text)
    size, taken = _size(folded)
    yearly = 0 if _NOTHING.match(folded.strip()) else None
    amounts = [found for found in _AMOUNT.finditer(folded) if not _inside(found.span(), taken)]
    for found in amounts:
        value, is_money, period_known = _amount(found, folded)
        if not is_money and value <= LARGEST_FAMILY and size is None and value >= 1 and value == int(value):
            size = int(value)  # "3, 25000": the small bare number is the family
            continue
        if is_money and yearly is None:
            if not period_known:
                return FamilyIncome(size, None) if size else None  # "15 an hour" says nothing about a year
            yearly = value
    if size is None and yearly is None:
        return None
    return FamilyIncome(size, int(round(yearly)) if yearly is not None else None)


_DIGITS = re.compile(r"\d[\d,.]*")


def volunteered_family_income(text: str) -> FamilyIncome | None:
    """A family's size and income given before the question ("4 people 35k", "just me, 18k a
    year", "somos 3 y ganamos 2000 al mes"), to another question. Read only when the message
    states the size in words that can only mean people, a yearly amount, and no other number: a
    number elsewhere stays an age, a ZIP or a choice."""
    folded = fold_phrase(text)
    size_in_numbers = _SIZE.search(folded) is not None
    if not (size_in_numbers or _ALONE.search(folded)):
        return None
    income = read_family_income(text)
    if income is None or income.size is None or income.yearly is None:
        return None
    numbers = _DIGITS.findall(folded)
    if len(numbers) > size_in_numbers + 1:
        return None  # another number: an age, a ZIP, a choice
    if any(len(number) == 5 and number.isdigit() and is_illinois_zip(number) for number in numbers):
        return None  # "solo yo, 60623" to the ZIP question is a ZIP
    return income


# People named one by one: "me my gf and 2 kids", "mi esposo, mis 3 hijos y yo".
_ONE_PERSON = re.compile(
    r"\b(?:wife|husband|gf|bf|girlfriend|boyfriend|partner|spouse|fiance|fiancee|mom|mother|dad|father|son|daughter|"
    r"baby|kid|child|brother|sister|grandma|grandpa|grandmother|grandfather|niece|nephew|"
    r"esposa|esposo|novia|novio|pareja|mama|mami|papa|papi|hijo|hija|bebe|nino|nina|hermano|hermana|abuela|abuelo|"
    r"sobrino|sobrina|suegra|suegro)\b"
)
_SEVERAL_PEOPLE = re.compile(
    rf"\b(?P<n>\d{{1,2}}|{'|'.join(CARDINAL_WORDS)}) (?:little |small |young |mis |my )?"
    r"(?:kids|children|sons|daughters|babies|hijos|hijas|ninos|ninas|bebes|nietos|grandkids|brothers|sisters|hermanos|hermanas)\b"
)


def _people_named(folded: str, several: list[re.Match[str]]) -> int | None:
    """The seeker plus each person named, when the reply names the household person by person
    (`several`: the "2 kids" phrases in it)."""
    rest = folded
    for found in reversed(several):
        rest = rest[: found.start()] + " " + rest[found.end():]
    singles = _ONE_PERSON.findall(rest)
    if not several and not singles:
        return None
    counted = sum(int(found["n"]) if found["n"].isdigit() else CARDINAL_WORDS[found["n"]] for found in several)
    return 1 + len(singles) + counted


def _size(folded: str) -> tuple[int | None, list[tuple[int, int]]]:
    """The family's size as the reply states it, and the spans that said it (their numbers are
    people, not dollars)."""
    stated = _SIZE.search(folded)
    several = list(_SEVERAL_PEOPLE.finditer(folded))
    taken = ([stated.span()] if stated else []) + [found.span() for found in several]
    if _ALONE.search(folded):
        return 1, taken
    if stated:
        number = int(next(group for group in stated.groups() if group))
        return (number if 1 <= number <= LARGEST_FAMILY else None), taken
    named = _people_named(folded, several)
    return (named if named is not None and named <= LARGEST_FAMILY else None), taken


def _inside(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] < end for start, end in taken)


def _amount(found: re.Match[str], folded: str) -> tuple[float, bool, bool]:
    """(yearly value, whether it is money, whether its period is known or implied)."""
    value = float(found["number"].replace(",", ""))
    if found["thousands"]:
        value *= 1000
    after = folded[found.end():]
    for pattern, times in _PERIODS:
        if pattern.match(after):
            if times is None:
                return value, True, False
            return value * times, True, True
    is_money = bool(found["dollar"] or found["thousands"]) or value >= SMALLEST_BARE_AMOUNT
    return value, is_money, True
