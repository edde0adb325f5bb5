"""Naming a hiring event in the seeker's own words, and picking one from a numbered list."""
from __future__ import annotations

from datetime import date

import pytest

from bot.understanding.events import EventLabel, asks_about_events, days_mentioned, events_named, pick_from_list

# The example events' names (data/events/example_events.yml) on days of our own: Thursday the
# 10th, Saturday the 12th, Tuesday the 15th, Thursday Jan 7.
HHC = EventLabel(
    "HHC",
    ("Hospitality Hires Chicago", "Hospitality Hires Chicago (feria de empleo de hotelería y restaurantes)"),
    ("hospitality",),
    date(2026, 12, 10),
)
TDL = EventLabel(
    "TDLSOUTH",
    (
        "Transportation, Distribution & Logistics Regional Hiring Event (South Suburbs)",
        "Evento regional de contratación en transporte, distribución y logística (suburbios del sur)",
    ),
    ("transportation",),
    date(2026, 12, 12),
)
HCDAY = EventLabel("HCDAY", ("Healthcare Hiring Day", "Día de contratación en salud"), ("healthcare",), date(2026, 12, 15))
CEJA = EventLabel(
    "CEJAINFO",
    ("Clean Energy Careers Info Session", "Sesión informativa sobre empleos en energía limpia"),
    ("clean_energy", "construction"),
    date(2027, 1, 7),
)
CATALOGUE = [HHC, TDL, HCDAY, CEJA]
# A second hospitality event: words that fit both must ask which.
HOTEL_NIGHT = EventLabel(
    "HOTELNITE", ("Hospitality Careers Night", "Noche de empleos en hotelería"), ("hospitality",), date(2026, 12, 17)
)


@pytest.mark.parametrize(
    "text, codes",
    [
        ("I want to register for hospitality hires", ["HHC"]),
        ("the hotel job fair", ["HHC"]),
        ("feria de empleo de hoteles", ["HHC"]),
        ("quiero registrarme para la feria de empleo de hoteles", ["HHC"]),
        ("HHC", ["HHC"]),
        ("#hhc pls", ["HHC"]),
        ("hospitalty hirez", ["HHC"]),  # misspelt
        ("restaurant jobs", ["HHC"]),
        ("sign me up for the hiring day at the hospital", ["HCDAY"]),
        ("hospital jobs", ["HCDAY"]),
        ("healthcare hiring day", ["HCDAY"]),
        ("la de salud", ["HCDAY"]),
        ("warehouse hiring event", ["TDLSOUTH"]),
        ("the south suburbs one", ["TDLSOUTH"]),
        ("logistica", ["TDLSOUTH"]),
        ("solar", ["CEJAINFO"]),
        ("energia limpia", ["CEJAINFO"]),
        ("quiero ir al evento de construccion", ["CEJAINFO"]),
        # Nothing in these tells one event from another.
        ("job fair", []),
        ("what events are coming up", []),
        ("feria de empleo", []),
        ("I want a job in chicago", []),
        ("Jordan", []),
        ("60616", []),
        ("", []),
    ],
)
def test_events_named(text, codes):
    assert events_named(text, CATALOGUE) == codes


def test_several_events_that_fit_equally_are_all_returned_for_the_seeker_to_choose():
    catalogue = [HHC, TDL, HOTEL_NIGHT]
    assert events_named("the hospitality job fair", catalogue) == ["HHC", "HOTELNITE"]
    assert events_named("the hotel one", catalogue) == ["HHC", "HOTELNITE"]
    assert events_named("hospitality hires", catalogue) == ["HHC"]  # its own name settles it
    assert events_named("the careers night", catalogue) == ["HOTELNITE"]


@pytest.mark.parametrize(
    "text, position",
    [
        ("2", 2),
        ("#3", 3),
        ("the first one", 1),
        ("la segunda", 2),
        ("4th", 4),
        ("the last one", 4),
        ("la ultima", 4),
        ("the hotel one", 1),
        ("el de salud", 3),
        ("the one about solar", 4),
        ("HCDAY", 3),
        ("the 10th", 1),  # the event on the 10th: the list has no tenth
        ("dec 15", 3),
        ("el 12", 2),
        ("7 de enero", 4),
        ("the one on saturday", 2),
        ("the one on thursday", None),  # two events are on a Thursday
        ("7", None),  # no seventh, and a bare number is no day
        ("22", None),
        ("Jordan", None),
        ("60616", None),
        ("yes", None),
    ],
)
def test_a_numbered_list_answered_in_words(text, position):
    assert pick_from_list(text, CATALOGUE) == position


@pytest.mark.parametrize(
    "text, days, month_days, weekdays",
    [
        ("the 10th", {10}, set(), set()),
        ("el jueves", set(), set(), {3}),
        ("December 10", set(), {(12, 10)}, set()),
        ("10 de diciembre", set(), {(12, 10)}, set()),
        ("i am 22 years old", set(), set(), set()),
        ("2 days ago", set(), set(), set()),
    ],
)
def test_days_mentioned(text, days, month_days, weekdays):
    assert days_mentioned(text) == (days, month_days, weekdays)


@pytest.mark.parametrize(
    "text, asks",
    [
        ("EVENTS", True),
        ("eventos", True),
        ("MY EVENTS", True),
        ("mis eventos", True),
        ("any job fairs coming up?", True),
        ("sign me up for the hotel one", True),
        ("cancel my spot", True),
        ("cant make it", True),
        ("hay ferias de empleo?", True),
        ("hello?? anyone there", False),
        ("60623", False),
        ("agent", False),
        ("I need help with my unemployment", False),
        ("prevent", False),  # "event" inside another word
    ],
)
def test_asks_about_events(text, asks):
    assert asks_about_events(text) is asks
