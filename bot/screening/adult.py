"""WIOA Adult: 18+, authorized to work; priority of service groups 1-4 (never a gate).

Priority of service (WIOA sec. 134(c)(3)(E); 20 CFR 680.600-680.650; TEGL 10-09, 19-16): (1) covered
veterans and eligible spouses who are low-income, on public assistance or basic-skills deficient;
(2) others in those groups; (3) other covered veterans and eligible spouses; (4) everyone else.
A family income at or under the poverty guideline settles low income; the text intake never settles
"not low income" (the Chicago area's LLSIL line is higher than the guideline and basic skills are
not tested), so without a need shown the group is bounded (a veteran 1 or 3, anyone else 2 or 4)
for staff to settle.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.screening.checks import Outcome, combine, passed
from bot.screening.facts import (
    SeekerFacts,
    has_barrier,
    low_income,
    medicaid_only,
    minimum_age,
    residency,
    work_authorization,
)
from bot.screening.results import Reason
from bot.screening.selective_service import SelectiveService

REVIEW_ELIGIBLE_SPOUSE = "eligible_spouse_check"

_GROUP_OF = {(True, True): 1, (False, True): 2, (True, False): 3, (False, False): 4}
# The note that explains each set of groups the answers can leave. Veteran status not known (or an
# eligible spouse not confirmed) leaves (1, 2) or all four: the non-veteran note is true either way.
_GROUP_NOTES = {
    (1,): "priority_1",
    (2,): "priority_2",
    (1, 3): "priority_1_or_3",
    (2, 4): "priority_2_or_4",
    (1, 2): "priority_2",
    (1, 2, 3, 4): "priority_2_or_4",
}


@dataclass(frozen=True)
class Priority:
    groups: tuple[int, ...]  # every group the answers still allow, first (highest priority) first
    notes: tuple[Reason, ...]
    review: tuple[str, ...]

    @property
    def group(self) -> int | None:
        """The group when the answers settle it, else None (see `groups` for the bounds)."""
        return self.groups[0] if len(self.groups) == 1 else None


def assess(facts: SeekerFacts, selective_service: SelectiveService) -> tuple[Outcome, Priority]:
    min_age = facts.rules("wioa_adult.min_age")
    outcome = combine(
        [
            work_authorization(facts),
            minimum_age(facts, min_age),
            selective_service.check,
            residency(facts),
            passed(Reason("adult_basic_ok", {"min_age": min_age})),
        ]
    )
    found = priority(facts)
    if found.review and outcome.determination != "unlikely":
        outcome = Outcome(outcome.determination, outcome.reasons, outcome.missing, outcome.review + found.review)
    return outcome, found


def priority(facts: SeekerFacts) -> Priority:
    covered_options = _covered_veteran(facts)
    need_options = _priority_need(facts)
    groups = tuple(sorted({_GROUP_OF[(covered, need)] for covered in covered_options for need in need_options}))
    notes: list[Reason] = []
    review: list[str] = []
    if facts.answers.veteran is False and facts.answers.military_spouse:
        # Only the spouse of a veteran who died or is disabled, or of a missing/captured member, counts;
        # the spouse of someone on active duty does not. The answers cannot tell which.
        notes.append(Reason("eligible_spouse_check"))
        review.append(REVIEW_ELIGIBLE_SPOUSE)
    if medicaid_only(facts):
        notes.append(Reason("medicaid_only"))
    notes.insert(0, Reason(_GROUP_NOTES[groups]))
    return Priority(groups, tuple(notes), tuple(review))


def _covered_veteran(facts: SeekerFacts) -> tuple[bool, ...]:
    if facts.answers.veteran:
        return (True,)
    if facts.answers.veteran is False and not facts.answers.military_spouse:
        return (False,)
    # Not asked yet, or a military spouse who may be an eligible spouse: staff confirm.
    return (True, False)


def _priority_need(facts: SeekerFacts) -> tuple[bool, ...]:
    poor = low_income(
        facts,
        facts.rules("wioa_adult.priority_public_assistance"),
        facts.rules("wioa_adult.priority_low_income_barriers"),
    )
    skill_need = has_barrier(facts, facts.rules("wioa_adult.priority_skill_barriers"))
    if poor or skill_need:
        return (True,)
    # Without aid, homelessness, an income under the guideline or a skill need, both stay open.
    return (True, False)
