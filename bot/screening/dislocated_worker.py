"""WIOA Dislocated Worker (WIOA 3(15); Illinois WIOA ePolicy ch. 5 section 3): any one route.

(1) laid off or noticed, eligible for UI (or attached to work), and unlikely to return: a staff judgement.
    Being *eligible for* UI is the test, not receiving it (WIOA 3(15)(A)(ii)): someone out of work without a
    claim is possible, for staff to check how the job ended. A separating service member (any discharge other
    than dishonorable) meets route 1 (20 CFR 680.660), so a veteran out of work is at least possible;
(2) plant closure or substantial layoff (WIOA 3(15)(B)): a WARN notice for the worker's site shows it (the
    `warn_notice` answer, from a campaign roster or the employer they named); without one, staff check;
(3) self-employed and out of work because of the economy or a disaster;
(4)/(5) displaced homemaker (lost a supporting family member's income, WIOA 3(16)(A)(i), said in their
    own words or as a yes to the question asked after "never had a job", or a military spouse whose family
    income fell) or military spouse: staff judge.
"""
from __future__ import annotations

from bot import answers as keys
from bot.screening.checks import Check, Outcome, best, combine, failed, passed, staff
from bot.screening.facts import SeekerFacts, not_known, residency, work_authorization
from bot.screening.results import Reason
from bot.screening.selective_service import SelectiveService

REVIEW = "dislocated_worker_review"
REVIEW_MILITARY_SPOUSE = "dislocated_worker_military_spouse"


def assess(facts: SeekerFacts, selective_service: SelectiveService) -> Outcome:
    common = [work_authorization(facts), selective_service.check, residency(facts)]
    routes = [combine(common + [route]) for route in _routes(facts)]
    return best(routes)


def _routes(facts: SeekerFacts) -> list[Check]:
    status = facts.answers.employment_status
    routes: list[Check] = []
    if facts.answers.military_spouse and status is not None:
        # Routes 4/5: lost a job because of a move, or unemployed or underemployed while the member serves.
        routes.append(staff(Reason("dw_military_spouse"), review=(REVIEW_MILITARY_SPOUSE,)))
    if facts.answers.veteran and status in facts.rules("wioa_dislocated_worker.out_of_work_statuses"):
        routes.append(staff(Reason("dw_separated_service_member"), review=(REVIEW,)))
    if status is None:
        routes.append(not_known(facts, keys.EMPLOYMENT_STATUS))
    elif status in facts.rules("wioa_dislocated_worker.layoff_statuses"):
        routes.append(_laid_off(facts, status))
    elif status == "self_employed_lost_business":
        routes.append(staff(Reason("dw_self_employed"), review=(REVIEW,)))
    elif status in facts.rules("wioa_dislocated_worker.displaced_homemaker_statuses"):
        routes.append(staff(Reason("dw_displaced_homemaker"), review=(REVIEW,)))
    elif status == "unemployed":
        routes.append(_out_of_work(facts))
    elif status == "never_worked" and facts.answers.family_support_lost:
        # Never had a paid job, lived on a family member's income and lost it (WIOA 3(16)(A)(i)).
        routes.append(staff(Reason("dw_displaced_homemaker"), review=(REVIEW,)))
    elif status == "working" and (facts.answers.warn_notice_reason is not None or facts.answers.layoff_employer):
        # Laid off or noticed, with work again (a WARN campaign's worker who found a job, a new job
        # after a named layoff): WIOA 3(15)(A)(i) and (B) ask whether a layoff or a notice
        # happened, not whether the worker is jobless now, and an underemployed dislocated worker
        # can be served. Staff judge it; never "unlikely".
        routes.append(staff(Reason("dw_laid_off_now_working"), review=(REVIEW,)))
    else:  # working, never_worked
        routes.append(failed(Reason("dw_not_laid_off")))
    return routes


def _out_of_work(facts: SeekerFacts) -> Check:
    """Out of work without saying laid off: a layoff, a closure or a claim may still lie behind it."""
    ui = facts.answers.ui_status
    if ui in facts.rules("wioa_dislocated_worker.ui_statuses_that_qualify"):
        # UI is mostly paid after losing a job through no fault of one's own.
        return staff(Reason("dw_how_job_ended"), Reason("dw_unlikely_to_return"), review=(REVIEW,))
    if ui is None:
        return not_known(facts, keys.UI_STATUS)
    if ui == "not_filed":
        return staff(Reason("dw_how_job_ended"), Reason("dw_file_ui"), review=(REVIEW,))
    return staff(Reason("dw_how_job_ended"), review=(REVIEW,))


def _laid_off(facts: SeekerFacts, status: str) -> Check:
    warn_reason = facts.answers.warn_notice_reason
    if warn_reason is not None and warn_reason.lower() in {
        reason.lower() for reason in facts.rules("wioa_dislocated_worker.warn_reasons_for_route_2")
    }:
        # Route 2: the notice is the evidence of a closure or substantial layoff; no UI question,
        # nothing for staff to judge.
        return passed(Reason("dw_warn_notice"))
    ui = facts.answers.ui_status
    closure = Reason("dw_closure_check")  # route 2 needs neither UI nor a judgement, but answers cannot show it
    if ui in facts.rules("wioa_dislocated_worker.ui_statuses_that_qualify"):
        # Two of route 1's three parts are met; "unlikely to return" is staff's call, usually granted.
        return passed(Reason("dw_laid_off_with_ui"), Reason("dw_unlikely_to_return"), review=(REVIEW,))
    if ui is None:
        return not_known(facts, keys.UI_STATUS)
    if status == "laid_off" and ui == "not_filed":
        return staff(Reason("dw_file_ui"), closure, review=(REVIEW,))
    # A notice without a claim, or UI status unknown: attachment to work or a closure can still qualify.
    return staff(Reason("dw_notice_pay_check"), closure, review=(REVIEW,))
