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
