"""Which question comes next: order, skips, and questions that only some seekers get."""
from __future__ import annotations

from datetime import date

import pytest

from bot.questions import MILITARY, QUESTION_ORDER, asked_alongside, next_question

TODAY = date(2026, 11, 25)
EVERYTHING = {
    "first_name": "Ana", "zip_code": "60623", "sectors": ["it"], "age": 30, "work_authorized": True,
    "employment_status": "working", "in_school": False, "education": "diploma", "veteran": False,
    "military_spouse": False, "public_assistance": [], "sex": "female", "family_size": 2, "family_income": 40000,
}


def without(*keys: str, **changes) -> dict:
    answers = {k: v for k, v in EVERYTHING.items() if k not in keys}
    answers.update(changes)
    return answers


@pytest.mark.parametrize(
    "answers, selective_service_required, expected",
    [
        ({}, None, "first_name"),
        ({"first_name": "unknown"}, None, "zip_code"),  # skipped counts as answered
        (without("age"), None, "age"),
        (without("age", birth_year=1995, barriers=[]), None, None),  # a birth year answers the age question
        (without(employment_status="laid_off"), None, "layoff_employer"),
        (without(employment_status="layoff_notice", layoff_employer="Sears"), None, "layoff_date"),
        (without(employment_status="unemployed"), None, "ui_status"),
        (without(employment_status="working", barriers=[]), None, None),  # no benefits question
        # Never had a job: whether a family member's income that supported them was lost (WIOA 3(16)(A)(i)).
        (without(employment_status="never_worked", barriers=[]), None, "family_support_lost"),
        (without(employment_status="never_worked", barriers=[], family_support_lost=False), None, None),
        (without(employment_status="never_worked", barriers=[], veteran=True), None, None),  # route 1 already
        (without(employment_status="never_worked", barriers=[], military_spouse=True), None, None),
        (without(employment_status="never_worked", barriers=[], work_authorized=False), None, None),
        (without(employment_status="never_worked", barriers=[], age=17, in_school=False), None, None),  # a minor
        (without(employment_status="lost_family_support", barriers=[]), None, None),  # no benefits question
        (without("veteran", "military_spouse"), None, MILITARY),
        (without("veteran", military_spouse=True, barriers=[]), None, None),  # a spouse statement answers it
        (without("veteran", "military_spouse", age=16), None, "barriers"),  # too young for the military question
        (without(age=24), None, "barriers"),  # Youth age: barriers matter
        # Past Youth age, barriers can still settle the Adult priority group (homelessness is low income,
        # WIOA 3(36)(A)(iii); skill needs, WIOA 134(c)(3)(E)), unless public assistance already did.
        (without(age=25), None, "barriers"),
        # The family's size and income, while low income can still change the Adult priority group.
        (without("family_income", age=25, barriers=[]), None, "family_income"),
        (without("family_income", age=25, barriers=["justice_involved"]), None, "family_income"),
        (without("family_income", age=25, barriers=["homeless"]), None, None),  # low income by definition
        (without("family_income", age=25, barriers=["english_learner"]), None, None),  # a skill need settles it
        (without("family_income", age=25, barriers=[], public_assistance=["snap"]), None, None),
        (without(age=25, barriers=[], family_income="unknown"), None, None),  # skipped
        (without("family_income", age=17, barriers=[], in_school=False), None, None),  # not an adult
        (without("family_income", age=25, barriers=[], work_authorized=False), None, None),  # no Adult program
        (without(age=25, public_assistance=["snap"]), None, None),
        (without(age=25, public_assistance=["medicaid"]), None, "barriers"),  # Medicaid alone does not count
        (without(age=25, work_authorized=False), None, None),  # no Adult program, no group to settle
        (without(age=40, sectors=["clean_energy"], public_assistance=["snap"]), None, "barriers"),  # CEJA
        # In school matters only for Youth (16-24, 20 CFR 681.210-681.220).
        (without("in_school", age=24), None, "in_school"),
        (without("in_school", age=25, public_assistance=["snap"]), None, None),
        (without("in_school", "age", birth_year=2001), None, "in_school"),  # 24 or 25: asked
        (without("sex", age=30, barriers=[]), None, "selective_service"),  # sex unknown: asked, with "not a man"
        (without("sex", age=30, barriers=[]), False, None),  # born before 1960 or under 18
        (without(sex="male", age=30, barriers=[]), True, "selective_service"),
        (without(sex="male", age=30, work_authorized=False), True, None),  # cannot change a result
        # 50 U.S.C. 3802, Proclamation 4771: men born on or after 1960-01-01. At 66 on 2026-11-25 one was born in
        # 1959 or 1960: the birth year settles it, the age cannot.
        (without(sex="male", age=66, barriers=[]), None, "birth_year"),
        (without(sex="male", age=66, barriers=[], birth_year=1959), False, None),
        (without(sex="male", age=66, barriers=[], birth_year=1960), True, "selective_service"),
        (without(sex="male", age=65, barriers=[]), True, "selective_service"),  # born 1960-1961
        (without(sex="male", age=67, barriers=[]), False, None),  # born 1958-1959
        (without(sex="female", age=66, barriers=[]), False, None),
        (without("sex", age=66, barriers=[]), None, "selective_service"),  # the question offers "not a man"
        (without(sex="male", age=66, barriers=[], work_authorized=False), None, None),
    ],
)
def test_next_question(answers, selective_service_required, expected):
    assert next_question(answers, TODAY, selective_service_required) == expected


def test_questions_come_in_the_documented_order():
    assert QUESTION_ORDER[:4] == ("first_name", "zip_code", "sectors", "age")
    assert QUESTION_ORDER[-1] == "selective_service"


@pytest.mark.parametrize(
    "question, answers, expected",
    [
        ("age", without("age", "work_authorized"), "work_authorized"),
        ("age", without("age"), None),  # already answered: the age alone
        ("work_authorized", without("age", "work_authorized"), None),  # only the age question carries it
        ("zip_code", without("zip_code", "work_authorized"), None),
        (None, {}, None),
    ],
)
def test_the_work_question_goes_with_the_age_question_while_open(question, answers, expected):
    assert asked_alongside(question, answers, TODAY, None) == expected
