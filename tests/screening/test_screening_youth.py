"""WIOA Youth: age windows in and out of school, barriers, low income, and the route to Adult."""
from __future__ import annotations

import pytest

DROPOUT = {"education": "some_high_school", "barriers": []}
HOMELESS = {"education": "diploma", "barriers": ["homeless"]}
IN_SCHOOL_LOW_INCOME_BARRIER = {"in_school": True, "public_assistance": ["snap"], "barriers": ["disability"]}


@pytest.mark.parametrize(
    "age, in_school, determination, code",
    [
        # Out of school: 16-24 with a barrier (a dropout needs no low income).
        (13, False, "unlikely", "youth_age_range"),
        (14, False, "unlikely", "youth_age_range"),
        (15, False, "unlikely", "youth_age_range"),
        (16, False, "likely", "youth_dropout"),
        (18, False, "likely", "youth_dropout"),
        (21, False, "likely", "youth_dropout"),
        (24, False, "likely", "youth_dropout"),
        (25, False, "unlikely", "youth_age_range"),
        # In school: 14-21 by law, 16-21 at the Partnership; low income AND a barrier.
        (13, True, "unlikely", "youth_in_school_local_min"),
        (14, True, "unlikely", "youth_in_school_local_min"),
        (15, True, "unlikely", "youth_in_school_local_min"),
        (16, True, "likely", "youth_barrier"),
        (18, True, "likely", "youth_barrier"),
        (21, True, "likely", "youth_barrier"),
        (22, True, "unlikely", "youth_in_school_too_old"),
        (24, True, "unlikely", "youth_in_school_too_old"),
        (25, True, "unlikely", "youth_in_school_too_old"),
    ],
)
def test_youth_age_and_school(screened, age, in_school, determination, code):
    situation = DROPOUT if not in_school else IN_SCHOOL_LOW_INCOME_BARRIER
    changes = {**situation, "age": age, "in_school": in_school}
    youth = screened(**changes).program("wioa_youth")
    assert youth.determination == determination
    assert youth.reasons[0].code == code


def test_in_college_at_22_to_24_is_routed_to_adult(screened):
    result = screened(age=23, in_school=True, education="some_college", public_assistance=["snap"],
                      barriers=["english_learner"])
    youth = result.program("wioa_youth")
    assert youth.reason_codes() == ["youth_in_school_too_old"]
    assert "adult" in youth.reasons[0].text("en").lower()
    assert "adultos" in youth.reasons[0].text("es")
    assert result.program("wioa_adult").determination == "likely"


@pytest.mark.parametrize(
    "changes, determination",
    [
        (DROPOUT, "likely"),  # no low income needed
        ({**DROPOUT, "public_assistance": []}, "likely"),
        (HOMELESS, "likely"),
        ({"education": "diploma", "barriers": ["justice_involved"]}, "likely"),
        ({"education": "diploma", "barriers": ["foster_care"]}, "likely"),
        ({"education": "ged", "barriers": ["pregnant_or_parenting"]}, "likely"),
        # A diploma holder who is basic-skills deficient or an English learner must also be low-income.
        ({"education": "diploma", "barriers": ["basic_skills_deficient"], "public_assistance": ["snap"]}, "likely"),
        ({"education": "diploma", "barriers": ["english_learner"], "public_assistance": []}, "possible"),
        ({"education": "diploma", "barriers": ["english_learner"], "public_assistance": ["medicaid"]}, "possible"),
        # WIOA 129(a)(1)(B)(iii)(VIII), 20 CFR 681.300: low income + needs additional assistance, defined locally.
        ({"education": "diploma", "barriers": [], "public_assistance": ["snap"]}, "possible"),
        ({"education": "diploma", "barriers": []}, "possible"),  # no aid named: family income not asked, staff check
        ({"education": "degree", "barriers": []}, "possible"),
    ],
)
def test_out_of_school_barriers(screened, changes, determination):
    assert screened(age=19, in_school=False, **changes).program("wioa_youth").determination == determination


def test_diploma_english_learner_without_aid_answer_asks_about_aid(screened):
    youth = screened(drop=("public_assistance",), age=19, barriers=["english_learner"]).program("wioa_youth")
    assert youth.determination == "needs_info"
    assert youth.missing_answers == ("public_assistance",)


@pytest.mark.parametrize(
    "public_assistance, barriers, determination",
    [
        (["snap"], ["basic_skills_deficient"], "likely"),
        (["tanf"], ["homeless"], "likely"),
        ([], ["homeless"], "likely"),  # WIOA 3(36)(A)(iii): a homeless youth is low income by definition
        ([], ["foster_care"], "likely"),  # WIOA 3(36)(A)(v): a foster child is low income by definition
        ([], ["pregnant_or_parenting"], "possible"),  # income may still be low: staff check
        # No listed barrier: needing additional assistance is one too, in school as out of it (WIOA
        # 129(a)(1)(C)(iv)(VII); 20 CFR 681.220(d)(7)), defined locally: for staff, never "unlikely".
        (["snap"], [], "possible"),
        ([], [], "possible"),  # and family income may still be low: staff check
    ],
)
def test_in_school_needs_low_income_and_barrier(screened, public_assistance, barriers, determination):
    youth = screened(age=17, in_school=True, education="some_high_school", public_assistance=public_assistance,
                     barriers=barriers).program("wioa_youth")
    assert youth.determination == determination


def test_youth_with_barriers_goes_to_staff_review(screened):
    result = screened(age=19, **HOMELESS)
    assert "youth_barriers" in result.needs_staff_review
    assert "youth_barriers" not in screened(age=30).needs_staff_review


@pytest.mark.parametrize(
    "birth_year, in_school, determination",
    [
        (2010, False, "needs_info"),  # 15 or 16: straddles 16
        (2009, False, "likely"),  # 16 or 17
        (2002, False, "likely"),  # 23 or 24
        (2001, False, "needs_info"),  # 24 or 25: straddles the top
        (2000, False, "unlikely"),  # 25 or 26
        (2005, True, "likely"),  # 20 or 21
        (2004, True, "needs_info"),  # 21 or 22
    ],
)
def test_youth_birth_year_only(screened, birth_year, in_school, determination):
    situation = DROPOUT if not in_school else IN_SCHOOL_LOW_INCOME_BARRIER
    youth = screened(drop=("age",), birth_year=birth_year, **{**situation, "in_school": in_school}).program(
        "wioa_youth"
    )
    assert youth.determination == determination


def test_school_status_is_asked_only_when_age_leaves_it_open(screened):
    assert screened(drop=("in_school",), age=19).program("wioa_youth").missing_answers == ("in_school",)
    assert screened(drop=("in_school",), age=30).program("wioa_youth").determination == "unlikely"


# WIOA 3(36)(A)(ii): a family income at or under the poverty guideline is low income for Youth too.
@pytest.mark.parametrize("income, determination", [(20_000, "likely"), (60_000, "possible")])
def test_an_in_school_parent_with_a_family_income_under_the_guideline_is_likely(screened, income, determination):
    youth = screened(age=17, in_school=True, education="some_high_school", public_assistance=[],
                     barriers=["pregnant_or_parenting"], family_size=3, family_income=income).program("wioa_youth")
    assert youth.determination == determination
