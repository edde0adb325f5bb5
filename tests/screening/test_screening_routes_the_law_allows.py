"""Routes into a program that the law allows and that must never come out "unlikely" (issue 11).

Each case names the primary source it follows. TODAY is 2026-11-25 (conftest); every test passes it.
"""
from __future__ import annotations

import pytest

from bot.geography import locate


# --- Dislocated Worker -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, determination, codes",
    [
        # WIOA 3(15)(A)(ii): the test is being *eligible for* unemployment compensation, not receiving it.
        ({"employment_status": "unemployed", "ui_status": "not_filed"}, "possible", ["dw_how_job_ended", "dw_file_ui"]),
        ({"employment_status": "unemployed", "ui_status": "unknown"}, "possible", ["dw_how_job_ended"]),
        ({"employment_status": "unemployed"}, "needs_info", ["missing_answer"]),  # ask about benefits first
        # 20 CFR 680.660: a separating service member (discharge other than dishonorable) meets route 1.
        ({"veteran": True, "employment_status": "unemployed", "ui_status": "not_filed"}, "possible",
         ["dw_separated_service_member"]),
        ({"veteran": True, "employment_status": "unemployed"}, "possible", ["dw_separated_service_member"]),
        ({"veteran": True, "employment_status": "never_worked"}, "possible", ["dw_separated_service_member"]),
        ({"veteran": True, "employment_status": "working"}, "unlikely", ["dw_not_laid_off"]),  # still employed
        ({"veteran": False, "employment_status": "never_worked"}, "unlikely", ["dw_not_laid_off"]),
        # A laid-off veteran with UI keeps route 1's "likely": the best route wins.
        ({"veteran": True, "employment_status": "laid_off", "ui_status": "receiving"}, "likely", ["dw_laid_off_with_ui"]),
    ],
)
def test_dislocated_worker_out_of_work(screened, changes, determination, codes):
    worker = screened(**changes).program("wioa_dislocated_worker")
    assert worker.determination == determination
    assert worker.reason_codes()[: len(codes)] == codes


@pytest.mark.parametrize(
    "changes, determination",
    [
        # WIOA 3(15)(E), 3(16)(A)(i): a displaced homemaker lost the income of a family member who supported them.
        ({"employment_status": "lost_family_support"}, "possible"),
        ({"employment_status": "lost_family_support", "military_spouse": True}, "possible"),
        ({"employment_status": "never_worked"}, "unlikely"),  # nothing says support was lost
        # The yes/no asked after "never had a job" (bot/questions.py) settles it either way.
        ({"employment_status": "never_worked", "family_support_lost": True}, "possible"),
        ({"employment_status": "never_worked", "family_support_lost": False}, "unlikely"),
    ],
)
def test_displaced_homemaker(screened, changes, determination):
    result = screened(**changes)
    worker = result.program("wioa_dislocated_worker")
    assert worker.determination == determination
    if determination == "possible":
        assert {"dw_displaced_homemaker", "dw_military_spouse"} & set(worker.reason_codes())
        assert not {"layoff_notice", "ui_letter"} & set(worker.documents)


def test_out_of_work_without_a_claim_is_never_told_they_were_not_laid_off(screened):
    # WIOA 3(15)(A)(ii): the reason must not contradict "out of work, looking".
    for ui_status in ("not_filed", "unknown", "receiving", "exhausted"):
        worker = screened(employment_status="unemployed", ui_status=ui_status).program("wioa_dislocated_worker")
        assert "dw_not_laid_off" not in worker.reason_codes(), ui_status
    result = screened(employment_status="unemployed", ui_status="not_filed")
    assert "dislocated_worker_review" in result.needs_staff_review


# --- Youth -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "age, education, determination, code",
    [
        # 20 CFR 681.230: adult education and GED classes are not school; 22+ "in school" without a diploma.
        # 21 may be in high school: in-school rules; with no listed barrier, additional assistance
        # (WIOA 129(a)(1)(C)(iv)(VII)) is for staff to judge.
        (21, "some_high_school", "possible", "youth_additional_assistance"),
        (22, "some_high_school", "possible", "youth_adult_education"),
        (24, "some_high_school", "possible", "youth_adult_education"),
        (25, "some_high_school", "unlikely", "youth_age_range"),  # 20 CFR 681.210(a): out of school up to 24
        (22, "diploma", "unlikely", "youth_in_school_too_old"),  # college at 22: too old, route to Adult
        (22, "ged", "unlikely", "youth_in_school_too_old"),
    ],
)
def test_in_school_at_22_without_a_diploma_is_adult_education(screened, age, education, determination, code):
    changes = {"age": age, "in_school": True, "education": education, "barriers": []}
    youth = screened(**changes).program("wioa_youth")
    assert youth.determination == determination
    assert code in youth.reason_codes()


def test_adult_education_is_for_staff_to_confirm(screened):
    result = screened(age=23, in_school=True, education="some_high_school", barriers=[])
    assert "youth_school_check" in result.needs_staff_review


@pytest.mark.parametrize(
    "age, public_assistance, determination, codes",
    [
        # WIOA 129(a)(1)(B)(iii)(VIII); 20 CFR 681.300: out of school, low income, needs additional assistance.
        (20, ["snap"], "possible", ["youth_additional_assistance"]),
        (20, [], "possible", ["youth_additional_assistance", "youth_low_income_check"]),
        (20, None, "needs_info", ["missing_answer"]),  # ask about aid: it settles low income
        (16, ["tanf"], "possible", ["youth_additional_assistance"]),  # 20 CFR 681.210(a): 16-24
        (24, ["tanf"], "possible", ["youth_additional_assistance"]),
        (15, ["tanf"], "unlikely", ["youth_age_range"]),
        (25, ["tanf"], "unlikely", ["youth_age_range"]),
    ],
)
def test_out_of_school_needing_additional_assistance(screened, age, public_assistance, determination, codes):
    changes = {"age": age, "in_school": False, "education": "diploma", "barriers": []}
    if public_assistance is not None:
        changes["public_assistance"] = public_assistance
    drop = ("public_assistance",) if public_assistance is None else ()
    youth = screened(drop=drop, **changes).program("wioa_youth")
    assert youth.determination == determination
    assert youth.reason_codes()[: len(codes)] == codes


def test_additional_assistance_is_a_staff_judgement(screened):
    result = screened(age=20, in_school=False, education="diploma", barriers=[], public_assistance=["snap"])
    assert "youth_barriers" in result.needs_staff_review


@pytest.mark.parametrize(
    "barriers, determination, code",
    [
        # WIOA 3(36)(A)(iii), (v): homeless youth and foster children are low income by definition.
        (["homeless"], "likely", "youth_low_income_by_definition"),
        (["foster_care"], "likely", "youth_low_income_by_definition"),
        (["homeless", "disability"], "likely", "youth_low_income_by_definition"),
        (["disability"], "possible", "youth_low_income_check"),  # 20 CFR 681.220: low income needed, not shown
    ],
)
def test_in_school_homeless_or_foster_youth_need_no_income_check(screened, barriers, determination, code):
    youth = screened(age=17, in_school=True, education="some_high_school", public_assistance=[],
                     barriers=barriers).program("wioa_youth")
    assert youth.determination == determination
    assert code in youth.reason_codes()


# --- CEJA and ConstructionWorks ----------------------------------------------------------------


def test_ceja_without_work_authorization_goes_to_staff(screened):
    # 14 Ill. Adm. Code 840.80(a): Illinois resident, 18+, one qualifying circumstance; no work-authorization rule.
    result = screened(work_authorized=False, zip_code="60621")
    ceja = result.program("ceja")
    assert ceja.determination == "possible"
    assert ceja.reason_codes()[0] == "work_authorization_staff_check"
    assert "ceja_work_authorization_check" in result.needs_staff_review


@pytest.mark.parametrize("work_authorized, determination", [(True, "likely"), (False, "possible"), ("unknown", "possible")])
def test_constructionworks_work_authorization_is_an_unverified_check(screened, work_authorized, determination):
    # Entry requirements unverified (constructionworks.yaml): no unverified check is a hard no.
    assert screened(work_authorized=work_authorized).program("constructionworks").determination == determination


def test_constructionworks_screening_points_are_staff_notes(screened):
    codes = screened().program("constructionworks").reason_codes()
    assert "cw_note_drivers_license" in codes and "cw_note_transportation" in codes
    assert screened().program("constructionworks").determination == "likely"  # notes, never gates


# --- CEJA hub for every Cook resident ----------------------------------------------------------


@pytest.mark.parametrize(
    "zip_code, hub, nearest",
    [
        # 20 ILCS 730/5-20: hubs serve people who reside "in or near" their areas.
        ("60621", "ceja_south_side", False),  # Englewood
        ("60644", "ceja_southwest_west_sides", False),  # Austin
        ("60647", "ceja_southwest_west_sides", False),  # Humboldt Park is a West Side area
        ("60614", "ceja_southwest_west_sides", True),  # Lincoln Park: north side, nearest hub
        ("60601", "ceja_southwest_west_sides", True),  # the Loop
        ("60426", "ceja_south_side", True),  # Harvey, south suburban Cook
        ("60153", "ceja_southwest_west_sides", True),  # Maywood, west suburban Cook
    ],
)
def test_every_cook_resident_gets_a_ceja_hub(zip_code, hub, nearest):
    location = locate(zip_code)
    assert location.ceja_hub is not None and location.ceja_hub.id == hub
    assert location.ceja_hub_is_nearest is nearest


def test_a_clean_energy_seeker_in_harvey_is_sent_to_a_hub(screened):
    result = screened(zip_code="60426", sectors=["clean_energy"])
    assert result.referral.ceja_hub.id == "ceja_south_side"


# --- Documents fit the person and the route ----------------------------------------------------


@pytest.mark.parametrize(
    "changes, present, absent",
    [
        ({"employment_status": "laid_off", "ui_status": "receiving"}, {"layoff_notice", "ui_letter"}, {"business_records"}),
        ({"employment_status": "laid_off", "ui_status": "not_filed"}, {"layoff_notice"}, {"ui_letter"}),
        ({"employment_status": "self_employed_lost_business"}, {"business_records"}, {"layoff_notice", "ui_letter"}),
        # Out of work without a layoff: staff ask how it ended; no layoff notice or IDES letter to bring.
        ({"employment_status": "unemployed", "ui_status": "unknown"}, {"photo_id"}, {"layoff_notice", "ui_letter"}),
        ({"employment_status": "layoff_notice", "ui_status": "not_filed"}, {"layoff_notice"}, {"ui_letter"}),
        ({"veteran": True, "employment_status": "never_worked"}, {"dd214"}, {"layoff_notice", "ui_letter"}),
    ],
)
def test_dislocated_worker_documents_fit_the_route(screened, changes, present, absent):
    documents = set(screened(**changes).program("wioa_dislocated_worker").documents)
    assert present <= documents
    assert not absent & documents


def test_ceja_asks_for_proof_of_address(screened):
    # 14 Ill. Adm. Code 840.80(a): eligibility rests on where the seeker lives.
    assert "proof_of_address" in screened(zip_code="60621").program("ceja").documents


@pytest.mark.parametrize("education, has_diploma_document", [("some_high_school", False), ("ged", True), ("diploma", True)])
def test_no_diploma_asked_of_someone_who_has_none(screened, education, has_diploma_document):
    documents = screened(education=education).program("constructionworks").documents
    assert ("diploma_or_ged" in documents) is has_diploma_document


def test_no_documents_while_answers_are_missing(screened):
    result = screened(drop=("work_authorized",))
    assert result.program("wioa_adult").determination == "needs_info"
    assert result.program("wioa_adult").documents == ()


# --- Selective Service -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers, missing",
    [
        # 50 U.S.C. 3802 and Proclamation 4771: men born on or after 1960-01-01. At 66 on 2026-11-25 one was born
        # in 1959 or 1960: only the birth year settles it, asking the age again would not.
        ({"age": 66}, ("birth_year",)),
        ({"age": 67}, ()),  # born 1958-1959: not required
        ({"age": 65}, ("selective_service",)),  # born 1960-1961: required, ask about registration
        ({"birth_year": 2008}, ("age",)),  # 17 or 18: the age settles whether he must register yet
    ],
)
def test_selective_service_asks_what_settles_it(screened, answers, missing):
    adult = screened(drop=("age",), sex="male", **answers).program("wioa_adult")
    assert adult.missing_answers == missing
