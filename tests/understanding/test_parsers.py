from __future__ import annotations

from datetime import date

import pytest

from bot.understanding.age import age_on, find_age
from bot.understanding.dates import find_dates, relative_date, resolve
from bot.understanding.text import fold, fold_phrase, is_typo_of, typo_distance
from bot.understanding.zip_code import find_zip_code

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "text, folded",
    [("Sí", "si"), ("I'm", "im"), ("I’m  24", "im 24"), ("AÑOS", "anos"), ("  José  ", "jose"), ("don't", "dont")],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text).folded == folded


def test_fold_maps_back_to_the_original() -> None:
    message = fold("Hola, soy  Ángela")
    start = message.folded.index("angela")
    assert message.original_span(start, start + 6) == "Ángela"


@pytest.mark.parametrize(
    "word, target, expected",
    [
        ("helthcare", "healthcare", True), ("forklif", "forklift", True), ("almasen", "almacen", True),
        ("contruccion", "construccion", True), ("hospitaliti", "hospitality", True),
        ("purse", "nurse", False), ("can", "cna", False), ("cdls", "cdl", False), ("ti", "it", False),
        ("hotle", "hotel", True), ("hotl", "hotel", True), ("motel", "hotel", False),
        ("cnstrctn", "construction", False),
    ],
)
def test_typos(word: str, target: str, expected: bool) -> None:
    assert is_typo_of(word, target) is expected


def test_a_swap_is_one_typo() -> None:
    assert typo_distance("hotle", "hotel") == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("60623", "60623"), ("my zip is 60623.", "60623"), ("zip:60623", "60623"), ("$50000", None),
        ("35000 dollars", None), ("made 45000 last year", None), ("7735551234", None), ("773-555-1234", None),
        ("123456", None), ("6062", None), ("00000", None), ("60623 o 60629", "60629"),
    ],
)
def test_zip_codes(text: str, expected) -> None:
    found = find_zip_code(fold_phrase(text))
    assert (found.zip_code if found else None) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("im 24", 24), ("i am 24", 24), ("I'm only 19", 19), ("age 45", 45), ("edad: 33", 33), ("tengo 30", 30),
        ("tengo 30 y vivo en chicago", 30), ("24 years old", 24), ("24yo", 24), ("24 y/o", 24),
        ("just turned 18", 18), ("cumpli 21", 21), ("im 5 minutes away", None), ("tengo 2 hijos", None),
        ("i worked there 10 years", None), ("tengo 3 años de experiencia", None), ("im 24 hours from", None),
        ("i am 2", None), ("im 23, no wait im 24", 24), ("20 años trabajando aqui", None),
        ("Hi I'm Kayla, 19, zip 60617, looking for healthcare jobs", 19), ("soy maria, 30, busco trabajo", 30),
        ("my name is Ana Lopez, 42", 42), ("me llamo Luis, 27 y vivo en Cicero", 27),
        ("im unemployed, 3 kids", None), ("this is Ana, 2 kids at home", None), ("im Ana, 60623", None),
    ],
)
def test_find_age(text: str, expected) -> None:
    found = find_age(fold_phrase(text))
    assert (found.value if found else None) == expected


@pytest.mark.parametrize(
    "born, expected",
    [(date(2002, 11, 25), 24), (date(2002, 11, 26), 23), (date(2000, 2, 29), 26)],
)
def test_age_on(born: date, expected: int) -> None:
    assert age_on(born, TODAY) == expected


@pytest.mark.parametrize(
    "text, past, future",
    [
        ("in march", date(2026, 3, 1), date(2027, 3, 1)),
        ("en noviembre", date(2026, 11, 1), date(2026, 11, 1)),
        ("el 15 de marzo", date(2026, 3, 15), date(2027, 3, 15)),
        ("15/3", date(2026, 3, 15), date(2027, 3, 15)),
        ("12/31", date(2025, 12, 31), date(2026, 12, 31)),
        ("feb 29", date(2026, 2, 28), date(2027, 2, 28)),
        ("march 3rd 2025", date(2025, 3, 3), date(2025, 3, 3)),
        ("septiembre del 2025", date(2025, 9, 1), date(2025, 9, 1)),
        ("febuary 2020", date(2020, 2, 1), date(2020, 2, 1)),
    ],
)
def test_calendar_dates(text: str, past: date, future: date) -> None:
    [mention] = find_dates(fold_phrase(text), TODAY)
    assert resolve(mention, TODAY, future=False) == past
    assert resolve(mention, TODAY, future=True) == future


@pytest.mark.parametrize("text", ["i may go", "2.5 hours", "el mar", "a lot of people", "13/13"])
def test_not_dates(text: str) -> None:
    assert find_dates(fold_phrase(text), TODAY) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("yesterday", date(2026, 11, 24)), ("ayer", date(2026, 11, 24)), ("last week", date(2026, 11, 18)),
        ("la semana pasada", date(2026, 11, 18)), ("2 weeks ago", date(2026, 11, 11)),
        ("a couple weeks ago", date(2026, 11, 11)), ("hace un mes", date(2026, 10, 25)),
        ("hace 3 meses", date(2026, 8, 25)), ("hace dos semanas", date(2026, 11, 11)),
        ("last month", date(2026, 10, 25)), ("el mes pasado", date(2026, 10, 25)),
        ("next month", date(2026, 12, 25)), ("el proximo mes", date(2026, 12, 25)),
        ("in 2 weeks", date(2026, 12, 9)), ("a year ago", date(2025, 11, 25)), ("whenever", None),
    ],
)
def test_relative_dates(text: str, expected) -> None:
    assert relative_date(fold_phrase(text), TODAY) == expected
