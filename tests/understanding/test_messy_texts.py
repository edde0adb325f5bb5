"""Rows for the parser fixes found by the messy-persona conversations (tests/conversation/
test_personas_messy.py): ages in words and emoji digits, parts of months, "last friday",
retirees, closed plants, "tengo 2 kids", "all of them", a spouse's answer to the military question."""
from __future__ import annotations

from datetime import date

import pytest

from bot.understanding.extract import extract
from bot.understanding.number_words import spell_out_numbers

TODAY = date(2026, 11, 25)  # a Wednesday

ROWS = [
    ("age", "veinte", {"age": 20}),
    ("age", "I'm twenty two", {"age": 22}),
    ("age", "IM TWENTY-TWO", {"age": 22}),
    ("age", "tengo veinte y dos", {"age": 22}),
    ("age", "treinta y cinco años", {"age": 35}),
    ("age", "1\ufe0f\u20e37\ufe0f\u20e3", {"age": 17}),
    ("age", "once", {}),  # English "once", never 11
    (None, "tengo dos hijos", {}),
    ("layoff_date", "the 3rd of last month", {"layoff_date": "2026-10-03"}),
    ("layoff_date", "el 3 del mes pasado", {"layoff_date": "2026-10-03"}),
    ("layoff_date", "end of last month", {"layoff_date": "2026-10-31"}),
    ("layoff_date", "a finales del mes pasado", {"layoff_date": "2026-10-31"}),
    ("layoff_date", "early october", {"layoff_date": "2026-10-01"}),
    ("layoff_date", "a mediados de agosto", {"layoff_date": "2026-08-15"}),
    ("layoff_date", "a finales de septiembre", {"layoff_date": "2026-09-28"}),
    ("layoff_date", "last friday", {"layoff_date": "2026-11-20"}),
    ("layoff_date", "el viernes pasado", {"layoff_date": "2026-11-20"}),
    ("layoff_date", "last wednesday", {"layoff_date": "2026-11-18"}),
    (None, "i got laid off at the end of last month", {"employment_status": "laid_off", "layoff_date": "2026-10-31"}),
    ("employment_status", "they closed the plant i was at", {"employment_status": "laid_off"}),
    ("employment_status", "im retired", {"employment_status": "unemployed"}),
    ("employment_status", "jubilada", {"employment_status": "unemployed"}),
    ("barriers", "tengo 2 kids", {"barriers": ["pregnant_or_parenting"]}),
    ("barriers", "im in a wheelchair", {"barriers": ["disability"]}),
    ("public_assistance", "all of them", {"public_assistance": ["snap", "tanf", "ssi", "medicaid"]}),
    ("public_assistance", "todos", {"public_assistance": ["snap", "tanf", "ssi", "medicaid"]}),
    ("public_assistance", "any", {}),
    ("military", "my husband is active duty we just did a PCS move", {"military_spouse": True, "veteran": False}),
    ("military", "mi esposo esta en el army", {"military_spouse": True, "veteran": False}),
]


@pytest.mark.parametrize("requested, text, expected", ROWS)
def test_messy_texts(requested, text, expected):
    assert extract(text, requested=requested, today=TODAY).answers == expected


@pytest.mark.parametrize(
    "text, expected",
    [("twenty two", "22        "), ("sixty-two", "62       "), ("two kids", "two kids"), ("veinte y dos", "22          ")],
)
def test_spelled_numbers_keep_offsets(text, expected):
    assert spell_out_numbers(text) == expected
