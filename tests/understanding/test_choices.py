from __future__ import annotations

import pytest

from bot.answers import (
    BARRIERS,
    EDUCATION,
    EMPLOYMENT_STATUS,
    PUBLIC_ASSISTANCE,
    SECTORS,
    SELECTIVE_SERVICE,
    UI_STATUS,
)
from bot.understanding.choices import MILITARY, QUESTIONS, answers_for, read_numbers, select

# The order the lead's question texts print: written out here so a reordering fails.
EXPECTED_ORDER = {
    SECTORS: ["healthcare", "hospitality", "transportation", "it", "construction", "clean_energy"],
    EMPLOYMENT_STATUS: ["working", "unemployed", "laid_off", "layoff_notice", "self_employed_lost_business", "never_worked"],
    UI_STATUS: ["receiving", "exhausted", "not_filed", "unknown"],
    EDUCATION: ["some_high_school", "ged", "diploma", "some_college", "degree"],
    MILITARY: ["veteran", "military_spouse", "neither"],
    PUBLIC_ASSISTANCE: ["snap", "tanf", "ssi", "medicaid", "none"],
    SELECTIVE_SERVICE: ["registered", "not_registered", "unknown", "not_a_man"],
    BARRIERS: ["homeless", "justice_involved", "foster_care", "pregnant_or_parenting", "disability", "english_learner", "none"],
}


@pytest.mark.parametrize("key, values", EXPECTED_ORDER.items())
def test_option_order(key: str, values: list[str]) -> None:
    assert [o.value for o in QUESTIONS[key].options] == values
    assert [o.number for o in QUESTIONS[key].options] == list(range(1, len(values) + 1))


@pytest.mark.parametrize("key", EXPECTED_ORDER)
def test_every_option_has_labels_in_both_languages(key: str) -> None:
    for option in QUESTIONS[key].options:
        assert option.label("en") and option.label("es")
    assert QUESTIONS[key].menu("es").startswith("1 ")


SINGLE = [
    (SECTORS, "1", {SECTORS: ["healthcare"]}),
    (SECTORS, "2", {SECTORS: ["hospitality"]}),
    (SECTORS, "3", {SECTORS: ["transportation"]}),
    (SECTORS, "4", {SECTORS: ["it"]}),
    (SECTORS, "5", {SECTORS: ["construction"]}),
    (SECTORS, "6", {SECTORS: ["clean_energy"]}),
    (EMPLOYMENT_STATUS, "1", {EMPLOYMENT_STATUS: "working"}),
    (EMPLOYMENT_STATUS, "2", {EMPLOYMENT_STATUS: "unemployed"}),
    (EMPLOYMENT_STATUS, "3", {EMPLOYMENT_STATUS: "laid_off"}),
    (EMPLOYMENT_STATUS, "4", {EMPLOYMENT_STATUS: "layoff_notice"}),
    (EMPLOYMENT_STATUS, "5", {EMPLOYMENT_STATUS: "self_employed_lost_business"}),
    (EMPLOYMENT_STATUS, "6", {EMPLOYMENT_STATUS: "never_worked"}),
    (UI_STATUS, "1", {UI_STATUS: "receiving"}),
    (UI_STATUS, "2", {UI_STATUS: "exhausted"}),
    (UI_STATUS, "3", {UI_STATUS: "not_filed"}),
    (UI_STATUS, "4", {UI_STATUS: "unknown"}),
    (EDUCATION, "1", {EDUCATION: "some_high_school"}),
    (EDUCATION, "2", {EDUCATION: "ged"}),
    (EDUCATION, "3", {EDUCATION: "diploma"}),
    (EDUCATION, "4", {EDUCATION: "some_college"}),
    (EDUCATION, "5", {EDUCATION: "degree"}),
    (MILITARY, "1", {"veteran": True, "military_spouse": False}),
    (MILITARY, "2", {"veteran": False, "military_spouse": True}),
    (MILITARY, "3", {"veteran": False, "military_spouse": False}),
    (MILITARY, "1 and 2", {"veteran": True, "military_spouse": True}),
    (PUBLIC_ASSISTANCE, "1", {PUBLIC_ASSISTANCE: ["snap"]}),
    (PUBLIC_ASSISTANCE, "2", {PUBLIC_ASSISTANCE: ["tanf"]}),
    (PUBLIC_ASSISTANCE, "3", {PUBLIC_ASSISTANCE: ["ssi"]}),
    (PUBLIC_ASSISTANCE, "4", {PUBLIC_ASSISTANCE: ["medicaid"]}),
    (PUBLIC_ASSISTANCE, "5", {PUBLIC_ASSISTANCE: []}),
    (PUBLIC_ASSISTANCE, "1 y 4", {PUBLIC_ASSISTANCE: ["snap", "medicaid"]}),
    (PUBLIC_ASSISTANCE, "1,5", {PUBLIC_ASSISTANCE: ["snap"]}),
    (SELECTIVE_SERVICE, "1", {SELECTIVE_SERVICE: "registered"}),
    (SELECTIVE_SERVICE, "2", {SELECTIVE_SERVICE: "not_registered"}),
    (SELECTIVE_SERVICE, "3", {SELECTIVE_SERVICE: "unknown"}),
    (SELECTIVE_SERVICE, "4", {"sex": "other"}),
    (BARRIERS, "1", {BARRIERS: ["homeless"]}),
    (BARRIERS, "2", {BARRIERS: ["justice_involved"]}),
    (BARRIERS, "3", {BARRIERS: ["foster_care"]}),
    (BARRIERS, "4", {BARRIERS: ["pregnant_or_parenting"]}),
    (BARRIERS, "5", {BARRIERS: ["disability"]}),
    (BARRIERS, "6", {BARRIERS: ["english_learner"]}),
    (BARRIERS, "7", {BARRIERS: []}),
    (BARRIERS, "4 and 6", {BARRIERS: ["pregnant_or_parenting", "english_learner"]}),
]


@pytest.mark.parametrize("key, text, expected", SINGLE)
def test_every_numbered_option(key: str, text: str, expected: dict) -> None:
    question = QUESTIONS[key]
    assert answers_for(question, select(question, text)) == expected


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("2", [2]), ("2.", [2]), ("#2", [2]), (" 2 ", [2]), ("2)", [2]), ("opcion 2", [2]),
        ("opción 2", [2]), ("option 2", [2]), ("Option #2", [2]), ("number 2", [2]), ("numero 2", [2]),
        ("the second one", [2]), ("la segunda", [2]), ("2nd", [2]), ("2da", [2]), ("two", [2]),
        ("dos", [2]), ("1 and 3", [1, 3]), ("1,3", [1, 3]), ("1, 3", [1, 3]), ("1 3", [1, 3]),
        ("1 y 3", [1, 3]), ("1&3", [1, 3]), ("1/3", [1, 3]), ("1, 3 y 5", [1, 3, 5]), ("#1 #3", [1, 3]),
        ("first", [1]), ("la primera", [1]), ("uno", [1]),
        ("2 kids", None), ("I have 2 jobs", None), ("hello", None), ("", None), ("yes", None),
    ],
)
def test_read_numbers(text: str, numbers) -> None:
    assert read_numbers(text) == numbers


@pytest.mark.parametrize(
    "key, text",
    [
        (SECTORS, "7"), (SECTORS, "0"), (EDUCATION, "6"), (EMPLOYMENT_STATUS, "1 and 2"),
        (UI_STATUS, "5"), (SELECTIVE_SERVICE, "1 2"), (MILITARY, "4"), (BARRIERS, "8"), (SECTORS, "13"),
    ],
)
def test_impossible_choices_select_nothing(key: str, text: str) -> None:
    assert select(QUESTIONS[key], text) is None
