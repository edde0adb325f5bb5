"""Answer checking: canonical values only, "unknown" kept apart from "not asked", clear errors."""
from __future__ import annotations

from datetime import date

import pytest

from bot.geography import locate
from bot.screening import AnswerError, screen
from bot.screening.facts import SeekerFacts, residency
from bot.screening.parameters import Parameter, RuleBook, all_parameters, rules_version
from bot.screening.seeker_answers import parse_answers

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "answers, field, value",
    [
        ({"age": "19"}, "age", 19),
        ({"age": 19.0}, "age", 19),
        ({"zip_code": " 60601 "}, "zip_code", "60601"),
        ({"zip_code": 60601}, "zip_code", "60601"),
        ({"work_authorized": "true"}, "work_authorized", True),
        ({"veteran": False}, "veteran", False),
        ({"sectors": ["it", "it", "healthcare"]}, "sectors", ("it", "healthcare")),
        ({"barriers": "homeless"}, "barriers", ("homeless",)),
        ({"public_assistance": []}, "public_assistance", ()),
        ({"age": None}, "age", None),
        ({"age": "unknown"}, "age", None),
        ({"ui_status": "unknown"}, "ui_status", "unknown"),  # a canonical value of its own
        ({"first_name": "Ana"}, "zip_code", None),  # names are never needed by the rules
    ],
)
def test_values_accepted(answers, field, value):
    assert getattr(parse_answers(answers, TODAY), field) == value


def test_unknown_is_remembered():
    parsed = parse_answers({"education": "unknown", "age": 20}, TODAY)
    assert parsed.answered_unknown("education") and not parsed.answered_unknown("age")


@pytest.mark.parametrize(
    "answers",
    [
        {"age": "abc"},
        {"age": -1},
        {"age": 121},
        {"age": True},
        {"birth_year": 2027},
        {"birth_year": 1899},
        {"employment_status": "retired"},
        {"zip_code": "123"},
        {"zip_code": "60601-1234"},
        {"sex": "M"},
        {"work_authorized": "yes"},
        {"sectors": ["plumbing"]},
        {"sectors": {"it": True}},
        {"public_assistance": ["wic"]},
        {"favorite_color": "blue"},
        {"layoff_employer": 42},
    ],
)
def test_bad_answers_raise(answers):
    with pytest.raises(AnswerError):
        screen(answers, TODAY)


def test_answer_error_is_a_value_error():
    assert issubclass(AnswerError, ValueError)


def _rules_with(name: str, value) -> RuleBook:
    parameters = dict(all_parameters())
    old = parameters[name]
    parameters[name] = Parameter(name, old.description, old.reference, ((date(2000, 1, 1), value),))
    return RuleBook(TODAY, rules_version(), parameters)


@pytest.mark.parametrize(
    "setting, zip_code, status",
    [
        (False, "60187", "pass"),  # off by default: ZIP never gates
        (True, "60187", "staff"),  # on: outside Cook becomes possible, never unlikely
        (True, "60614", "pass"),
        (True, "60426", "pass"),
    ],
)
def test_residency_setting(setting, zip_code, status):
    facts = SeekerFacts(
        parse_answers({"zip_code": zip_code}, TODAY),
        None,
        locate(zip_code),
        _rules_with("settings.require_cook_residency", setting),
    )
    assert residency(facts).status == status


@pytest.mark.parametrize(
    "zip_code, area, outside_kind, center_id",
    [
        ("60614", "chicago", None, "ajc_chicago"),
        ("60426", "suburban_cook", None, "ajc_south_cook"),
        ("60187", "illinois_other", "lwia", None),
        ("60015", "illinois_other", "lwia", "ajc_north_cook"),  # Deerfield: mostly Lake, partly Cook
        ("90210", "out_of_state", "careeronestop", None),
    ],
)
def test_screening_referral(zip_code, area, outside_kind, center_id):
    referral = screen({"zip_code": zip_code, "sectors": ["healthcare"]}, TODAY).referral
    assert referral.area == area
    assert (referral.outside.kind if referral.outside else None) == outside_kind
    assert (referral.center.id if referral.center else None) == center_id
    assert [c.id for c in referral.sector_centers] == ["sector_healthcare"]
    assert referral.contact_website == "https://chicookworks.org"


def test_out_of_state_seeker_still_gets_wioa_results():
    result = screen({"zip_code": "90210", "age": 30, "sex": "female", "work_authorized": True}, TODAY)
    assert result.program("wioa_adult").determination == "likely"
