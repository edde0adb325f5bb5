"""WIOA Adult: 18+, authorized to work; priority of service groups 1-4 (never a gate)."""
from __future__ import annotations

from bot.screening.checks import Outcome, combine, passed
from bot.screening.facts import (
    SeekerFacts,
    gets_public_assistance,
    has_barrier,
    medicaid_only,
    minimum_age,
    residency,
    work_authorization,
)
from bot.screening.results import Reason
from bot.screening.selective_service import SelectiveService

REVIEW_ELIGIBLE_SPOUSE = "eligible_spouse_check"


def assess(facts: SeekerFacts, selective_service: SelectiveService) -> tuple[Outcome, int | None, tuple[Reason, ...]]:
    """The outcome, the priority group (None if unsettled) and the priority notes to add."""
    min_age = facts.rules("wioa_adult.min_age")
    age_check = minimum_age(facts, min_age)
    outcome = combine(
        [
            work_authorization(facts),
            age_check,
            selective_service.check,
            residency(facts),
            passed(Reason("adult_basic_ok", {"min_age": min_age})),
        ]
    )
    group, notes, review = priority(facts)
    if review and outcome.determination != "unlikely":
        outcome = Outcome(outcome.determination, outcome.reasons, outcome.missing, outcome.review + review)
    return outcome, group, notes


def priority(facts: SeekerFacts) -> tuple[int | None, tuple[Reason, ...], tuple[str, ...]]:
    """Priority of service: (1) covered veterans/spouses who are low-income, on aid or skill-deficient;
    (2) others in those groups; (3) other covered veterans/spouses; (4) everyone else."""
    covered = _covered_veteran(facts)
    needs = _priority_need(facts)
    notes: list[Reason] = []
    review: list[str] = []
    if facts.answers.veteran is False and facts.answers.military_spouse:
        # Only the spouse of a veteran who died or is disabled, or of a missing/captured member, counts;
        # the spouse of someone on active duty does not. The answers cannot tell which.
        notes.append(Reason("eligible_spouse_check"))
        review.append(REVIEW_ELIGIBLE_SPOUSE)
    if medicaid_only(facts):
        notes.append(Reason("medicaid_only"))
    if covered is None or needs is None:
        return None, tuple(notes), tuple(review)
    group = {(True, True): 1, (False, True): 2, (True, False): 3, (False, False): 4}[(covered, needs)]
    # Group 4's note says a low income (not asked by text) can still move them up; the Medicaid note says it better.
    if not (group == 4 and medicaid_only(facts)):
        notes.insert(0, Reason(f"priority_{group}"))
    return group, tuple(notes), tuple(review)


def _covered_veteran(facts: SeekerFacts) -> bool | None:
    if facts.answers.veteran is None:
        return None
    # A military spouse who is not a veteran counts as not covered until staff confirm an eligible spouse.
    return bool(facts.answers.veteran)


def _priority_need(facts: SeekerFacts) -> bool | None:
    on_aid = gets_public_assistance(facts, facts.rules("wioa_adult.priority_public_assistance"))
    skill_need = has_barrier(facts, facts.rules("wioa_adult.priority_skill_barriers"))
    if on_aid or skill_need:
        return True
    if on_aid is None or skill_need is None:
        return None
    return False
