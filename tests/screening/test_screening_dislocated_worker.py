"""WIOA Dislocated Worker: each route, and what staff must judge."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "employment_status, ui_status, military_spouse, determination, first_code",
    [
        # Route 1: laid off or noticed, with UI; "unlikely to return" is staff's call.
        ("laid_off", "receiving", False, "likely", "dw_laid_off_with_ui"),
        ("laid_off", "exhausted", False, "likely", "dw_laid_off_with_ui"),
        ("layoff_notice", "receiving", False, "likely", "dw_laid_off_with_ui"),
        ("laid_off", "not_filed", False, "possible", "dw_file_ui"),
        ("layoff_notice", "not_filed", False, "possible", "dw_notice_pay_check"),  # attachment: $2,000+ in 2 of 4 quarters
        ("laid_off", "unknown", False, "possible", "dw_notice_pay_check"),
        ("laid_off", None, False, "needs_info", "missing_answer"),
        # Route 3: self-employed, out of work because of the economy or a disaster.
        ("self_employed_lost_business", None, False, "possible", "dw_self_employed"),
        # Routes 4/5: military spouse.
        ("unemployed", None, True, "possible", "dw_military_spouse"),
        ("working", None, True, "possible", "dw_military_spouse"),  # underemployed counts
        # Not dislocated.
        ("working", None, False, "unlikely", "dw_not_laid_off"),
        ("never_worked", None, False, "unlikely", "dw_not_laid_off"),
        # WIOA 3(15)(A)(ii): *eligible for* UI, not receiving it. Out of work without a claim: staff check how it ended.
        ("unemployed", "not_filed", False, "possible", "dw_how_job_ended"),
        ("unemployed", "unknown", False, "possible", "dw_how_job_ended"),
        ("unemployed", "receiving", False, "possible", "dw_how_job_ended"),
        ("unemployed", "exhausted", False, "possible", "dw_how_job_ended"),
        ("unemployed", None, False, "needs_info", "missing_answer"),
    ],
)
def test_dislocated_worker_routes(screened, employment_status, ui_status, military_spouse, determination, first_code):
    changes = {"employment_status": employment_status, "military_spouse": military_spouse}
    if ui_status is not None:
        changes["ui_status"] = ui_status
    worker = screened(**changes).program("wioa_dislocated_worker")
    assert worker.determination == determination
    assert worker.reasons[0].code == first_code


@pytest.mark.parametrize(
    "changes, review_code",
    [
        ({"employment_status": "laid_off", "ui_status": "receiving"}, "dislocated_worker_review"),
        ({"employment_status": "self_employed_lost_business"}, "dislocated_worker_review"),
        ({"employment_status": "unemployed", "military_spouse": True}, "dislocated_worker_military_spouse"),
    ],
)
def test_staff_judgement_is_flagged(screened, changes, review_code):
    assert review_code in screened(**changes).needs_staff_review


def test_plant_closure_is_left_to_staff(screened):
    worker = screened(employment_status="laid_off", ui_status="not_filed").program("wioa_dislocated_worker")
    assert "dw_closure_check" in worker.reason_codes()


def test_missing_employment_status_needs_info(screened):
    worker = screened(drop=("employment_status",)).program("wioa_dislocated_worker")
    assert worker.determination == "needs_info"
    assert worker.missing_answers == ("employment_status",)


def test_dislocated_worker_documents(screened):
    documents = screened(employment_status="laid_off", ui_status="receiving").program(
        "wioa_dislocated_worker"
    ).documents
    assert {"layoff_notice", "ui_letter", "photo_id", "work_authorization"} <= set(documents)


# Route 2 with its evidence: a WARN notice for the worker's site (WIOA 3(15)(B)(i); 20 CFR 680.130;
# the notice is only filed for a plant closing or mass layoff, 820 ILCS 65/5).
@pytest.mark.parametrize(
    "employment_status, ui_status, reason, determination, first_code",
    [
        ("laid_off", None, "Plant Closure", "likely", "dw_warn_notice"),  # no UI question needed
        ("laid_off", "not_filed", "Mass Layoff", "likely", "dw_warn_notice"),
        ("layoff_notice", None, "Layoff", "likely", "dw_warn_notice"),  # noticed counts (3(15)(B)(ii))
        ("layoff_notice", "unknown", "plant  closure", "likely", "dw_warn_notice"),  # as written, any case or spacing
        ("laid_off", None, "Relocation", "likely", "dw_warn_notice"),
        ("laid_off", None, "Temporary Furlough", "needs_info", "missing_answer"),  # not a closure: route 1 asks UI
        ("unemployed", None, "Plant Closure", "needs_info", "missing_answer"),  # not said laid off: route 1 as before
        # Noticed, and working again: WIOA 3(15)(B) asks whether the notice came, not whether the
        # worker is jobless now; staff judge it.
        ("working", None, "Plant Closure", "possible", "dw_laid_off_now_working"),
    ],
)
def test_a_warn_notice_shows_a_closure_or_substantial_layoff(screened, employment_status, ui_status, reason, determination, first_code):
    changes = {"employment_status": employment_status, "warn_notice": {"id": "20200723005", "reason": reason}}
    if ui_status is not None:
        changes["ui_status"] = ui_status
    worker = screened(**changes).program("wioa_dislocated_worker")
    assert (worker.determination, worker.reasons[0].code) == (determination, first_code)


def test_the_checks_every_program_shares_still_apply_with_a_warn_notice(screened):
    notice = {"id": "1", "reason": "Plant Closure"}
    assert screened(employment_status="laid_off", warn_notice=notice, work_authorized=False).program(
        "wioa_dislocated_worker"
    ).determination == "unlikely"  # WIOA 188(a)(5): authorised to work
    assert screened(employment_status="laid_off", warn_notice=notice, sex="male", age=30, selective_service="not_registered").program(
        "wioa_dislocated_worker"
    ).determination != "likely"  # Selective Service (WIOA 189(h))


@pytest.mark.parametrize("bad", [{"id": 5, "reason": "Layoff"}, {"reason": "Layoff"}, "Plant Closure", {"id": " ", "reason": "x"}])
def test_a_malformed_warn_notice_is_an_error(screened, bad):
    from bot.screening.seeker_answers import AnswerError

    with pytest.raises(AnswerError, match="warn_notice"):
        screened(employment_status="laid_off", warn_notice=bad)


@pytest.mark.parametrize(
    "changes, determination, code",
    [
        ({"layoff_employer": "Acme Foods"}, "possible", "dw_laid_off_now_working"),  # a named layoff, then work
        ({}, "unlikely", "dw_not_laid_off"),  # working, no layoff said
        ({"layoff_employer": "unknown"}, "unlikely", "dw_not_laid_off"),  # "idk" names no layoff
    ],
)
def test_a_worker_laid_off_before_who_works_again_is_for_staff(screened, changes, determination, code):
    worker = screened(employment_status="working", **changes).program("wioa_dislocated_worker")
    assert worker.determination == determination
    assert code in worker.reason_codes()
