"""WIOA Adult: the age boundary, work authorization, and the four priority-of-service groups."""
from __future__ import annotations

from datetime import date

import pytest

from bot.screening import PROGRAMS


@pytest.mark.parametrize(
    "age, determination",
    [(13, "unlikely"), (14, "unlikely"), (16, "unlikely"), (17, "unlikely"), (18, "likely"), (21, "likely"),
     (24, "likely"), (25, "likely"), (70, "likely")],
)
def test_adult_age_boundary(screened, age, determination):
    adult = screened(age=age).program("wioa_adult")
    assert adult.determination == determination
    if determination == "unlikely":
        assert adult.reason_codes() == ["age_below_min"]
        assert "18" in adult.reasons[0].text("en") and "18" in adult.reasons[0].text("es")


@pytest.mark.parametrize(
    "birth_year, determination",
    [
        (2009, "unlikely"),  # 16 or 17 on 2026-11-25
        (2008, "needs_info"),  # 17 or 18: the range straddles 18
        (2007, "likely"),  # 18 or 19
    ],
)
def test_adult_birth_year_only(screened, birth_year, determination):
    adult = screened(drop=("age",), birth_year=birth_year).program("wioa_adult")
    assert adult.determination == determination
    if determination == "needs_info":
        assert adult.reason_codes() == ["age_near_cutoff"]
        assert adult.reasons[0].params == {"youngest": 17, "oldest": 18}
        assert adult.missing_answers == ("age",)


def test_age_wins_over_a_conflicting_birth_year(screened):
    result = screened(age=30, birth_year=2010)
    assert result.program("wioa_adult").determination == "likely"
    assert "age_answers_conflict" in result.needs_staff_review


WIOA_PROGRAMS = ("wioa_adult", "wioa_dislocated_worker", "wioa_youth")


def test_no_work_authorization_is_unlikely_for_wioa(screened):
    result = screened(work_authorized=False, employment_status="laid_off", ui_status="receiving")
    for name in WIOA_PROGRAMS:
        program = result.program(name)
        assert program.determination == "unlikely", name
        assert program.reason_codes() == ["not_work_authorized"], name
        assert program.documents == ()
    # CEJA and ConstructionWorks name no work authorization: staff check (test_screening_ceja_constructionworks).
    assert set(result.needs_staff_review) == {
        "ceja_work_authorization_check", "constructionworks_work_authorization_check"
    }


def test_missing_work_authorization_needs_info(screened):
    adult = screened(drop=("work_authorized",)).program("wioa_adult")
    assert adult.determination == "needs_info"
    assert "work_authorized" in adult.missing_answers


def test_work_authorization_said_unknown_is_possible_with_staff_help(screened):
    adult = screened(work_authorized="unknown").program("wioa_adult")
    assert adult.determination == "possible"
    assert adult.reasons[0].code == "unknown_answer"


@pytest.mark.parametrize(
    "veteran, public_assistance, barriers, groups, note",
    [
        # WIOA 134(c)(3)(E), 20 CFR 680.650, TEGL 10-09 / 19-16: group 1 = covered veteran + low income or skill need.
        (True, ["snap"], [], (1,), "priority_1"),
        (True, [], ["basic_skills_deficient"], (1,), "priority_1"),
        (True, [], ["homeless"], (1,), "priority_1"),  # WIOA 3(36)(A)(iii): homelessness is low income
        # Group 2: non-veteran with low income (public assistance, homelessness) or a skill need.
        (False, ["tanf"], [], (2,), "priority_2"),
        (False, [], ["english_learner"], (2,), "priority_2"),  # English learners count in Illinois
        (False, ["ssi"], ["homeless"], (2,), "priority_2"),
        (False, [], ["homeless"], (2,), "priority_2"),  # WIOA 3(36)(A)(iii), not group 4
        # Family income is never asked by text: without a need shown, the group is bounded, never left unknown.
        (True, [], [], (1, 3), "priority_1_or_3"),  # TEGL 10-09: veterans first; 1 with low income, else 3
        (True, [], ["justice_involved"], (1, 3), "priority_1_or_3"),
        (False, [], [], (2, 4), "priority_2_or_4"),
        (False, ["medicaid"], [], (2, 4), "priority_2_or_4"),  # Medicaid alone does not count (setting off)
        (False, [], ["disability"], (2, 4), "priority_2_or_4"),  # not a priority need by itself
        (False, None, None, (2, 4), "priority_2_or_4"),  # nothing asked yet: still bounded
        (None, ["snap"], [], (1, 2), "priority_2"),  # veteran status unknown
        (None, [], [], (1, 2, 3, 4), "priority_2_or_4"),
    ],
)
def test_priority_groups_are_given_or_bounded(screened, veteran, public_assistance, barriers, groups, note):
    changes = {"public_assistance": public_assistance, "barriers": barriers, "veteran": veteran}
    drop = [key for key, value in changes.items() if value is None]
    adult = screened(drop=drop, **{k: v for k, v in changes.items() if v is not None}).program("wioa_adult")
    assert adult.priority_groups == groups
    assert adult.priority_group == (groups[0] if len(groups) == 1 else None)
    assert note in adult.reason_codes()
    assert adult.determination == "likely"  # priority is never a gate


# The family income at or under the HHS poverty guideline is low income (WIOA 3(36)(A)(ii)), by the guideline in
# effect on the screening day: 2025's is $15,650 for one person and $5,500 for each person more (from 2025-01-15),
# 2026's $15,960 and $5,680 (from 2026-01-13, 91 FR 1797). Above it the law's line may still be 70% of the LLSIL
# (higher in the Chicago area): the group stays bounded, never "not low income".
GUIDELINE_2025_DAY = date(2026, 1, 12)  # the last day 2025's applied (the rules here start 2026-01-01)
GUIDELINE_2026_DAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "day, veteran, size, income, groups",
    [
        (GUIDELINE_2025_DAY, False, 3, 26_650, (2,)),  # at 2025's guideline for three
        (GUIDELINE_2025_DAY, False, 3, 26_651, (2, 4)),  # a dollar over: staff check the LLSIL line
        (GUIDELINE_2025_DAY, False, 1, 15_650, (2,)),
        (GUIDELINE_2025_DAY, False, 1, 15_651, (2, 4)),
        (GUIDELINE_2025_DAY, False, 8, 54_150, (2,)),  # 15,650 + 7 x 5,500
        (GUIDELINE_2026_DAY, False, 3, 27_320, (2,)),  # at 2026's guideline for three: 15,960 + 2 x 5,680
        (GUIDELINE_2026_DAY, False, 3, 27_321, (2, 4)),
        (GUIDELINE_2026_DAY, False, 1, 15_960, (2,)),
        (GUIDELINE_2026_DAY, False, 1, 15_961, (2, 4)),
        (GUIDELINE_2026_DAY, False, 4, 33_000, (2,)),  # the notice's four-person figure
        (GUIDELINE_2026_DAY, False, 8, 55_720, (2,)),  # 15,960 + 7 x 5,680
        (date(2026, 1, 12), False, 1, 15_651, (2, 4)),  # the day before 2026's took effect: still 2025's
        (date(2026, 1, 13), False, 1, 15_651, (2,)),
        (GUIDELINE_2026_DAY, False, None, 15_000, (2,)),  # no size: under one person's guideline is under every family's
        (GUIDELINE_2026_DAY, False, None, 20_000, (2, 4)),  # no size and over one person's: cannot tell
        (GUIDELINE_2026_DAY, False, 4, 0, (2,)),  # no income at all
        (GUIDELINE_2026_DAY, True, 2, 18_000, (1,)),  # a veteran with low income comes first of all
        (GUIDELINE_2026_DAY, True, 2, 90_000, (1, 3)),
    ],
)
def test_a_family_income_under_the_poverty_guideline_settles_the_priority_group(
    screened, day, veteran, size, income, groups
):
    changes = {"veteran": veteran, "family_income": income}
    if size is not None:
        changes["family_size"] = size
    adult = screened(today=day, **changes).program("wioa_adult")
    assert adult.priority_groups == groups


def test_priority_group_only_on_adult(screened):
    result = screened(veteran=True, public_assistance=["snap"])
    assert result.program("wioa_adult").priority_group == 1
    assert all(result.program(name).priority_group is None for name in PROGRAMS if name != "wioa_adult")


def test_medicaid_only_gets_a_staff_note(screened):
    adult = screened(public_assistance=["medicaid"]).program("wioa_adult")
    assert "medicaid_only" in adult.reason_codes()
    assert adult.priority_groups == (2, 4)


def test_spouse_of_active_duty_member_is_not_presumed_an_eligible_spouse(screened):
    result = screened(military_spouse=True)
    adult = result.program("wioa_adult")
    # 38 U.S.C. 4215: an eligible spouse is covered like a veteran; the answers cannot tell, so all four stay open.
    assert adult.priority_groups == (1, 2, 3, 4)
    assert "eligible_spouse_check" in adult.reason_codes()
    assert "eligible_spouse_check" in result.needs_staff_review


def test_veteran_documents_include_dd214(screened):
    names = screened(veteran=True).program("wioa_adult").documents
    assert "dd214" in names
    assert "dd214" not in screened().program("wioa_adult").documents
