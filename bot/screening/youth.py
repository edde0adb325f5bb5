"""WIOA Youth (20 CFR 681.210-681.250; Illinois WIOA ePolicy ch. 5 section 4).

Out of school, 16-24, with a barrier (a dropout needs no low income; a diploma holder who is
basic-skills deficient or an English learner does). In school, 16-21 locally (14 federally), with
low income AND a barrier. Aged 22-24 and in school (college): too old for Youth, route to Adult.
"""
from __future__ import annotations

from bot import answers as keys
from bot.screening.checks import Check, Outcome, combine, failed, passed, staff
from bot.screening.facts import (
    SeekerFacts,
    ages_known,
    gets_public_assistance,
    has_barrier,
    near_cutoff,
    not_known,
    residency,
    work_authorization,
)
from bot.screening.results import Reason
from bot.screening.selective_service import SelectiveService

REVIEW = "youth_barriers"
DROPOUT_LEVELS = ("some_high_school",)


def assess(facts: SeekerFacts, selective_service: SelectiveService) -> Outcome:
    common = [work_authorization(facts), selective_service.check, residency(facts)]
    in_school = facts.answers.in_school
    if in_school is None:
        # Age alone may already settle it; otherwise ask about school.
        age_alone = _age_window(facts, _widest_min(facts), _widest_max(facts))
        if age_alone.status in ("fail", "unknown"):
            return combine(common + [age_alone])
        return combine(common + [not_known(facts, keys.IN_SCHOOL)])
    if in_school:
        return combine(common + _in_school(facts))
    return combine(common + _out_of_school(facts))


def _out_of_school(facts: SeekerFacts) -> list[Check]:
    age = _age_window(
        facts, facts.rules("wioa_youth.out_of_school_min_age"), facts.rules("wioa_youth.out_of_school_max_age")
    )
    return [age, _out_of_school_barrier(facts)]


def _out_of_school_barrier(facts: SeekerFacts) -> Check:
    if facts.answers.education in DROPOUT_LEVELS:
        return passed(Reason("youth_dropout"), review=(REVIEW,))
    if has_barrier(facts, facts.rules("wioa_youth.barriers_without_low_income")):
        return passed(Reason("youth_barrier"), review=(REVIEW,))
    if has_barrier(facts, facts.rules("wioa_youth.barriers_needing_low_income")):
        if facts.answers.education is None:
            return not_known(facts, keys.EDUCATION)  # a dropout would need no low income
        return _with_low_income(facts, Reason("youth_barrier"))
    if facts.answers.barriers is None:
        return not_known(facts, keys.BARRIERS)
    if facts.answers.education is None:
        return not_known(facts, keys.EDUCATION)
    return failed(Reason("youth_needs_barrier"))


def _in_school(facts: SeekerFacts) -> list[Check]:
    max_age = facts.rules("wioa_youth.in_school_max_age")
    local_min = facts.rules("wioa_youth.in_school_min_age_local")
    federal_min = facts.rules("wioa_youth.in_school_min_age_federal")
    age = _age_window(facts, federal_min, max_age)
    if age.status == "fail" and facts.ages.youngest > max_age:
        age = failed(Reason("youth_in_school_too_old", {"max_age": max_age}))
    elif age.status in ("pass", "fail") and facts.ages.at_least(local_min) is False:
        # Federal law allows 14-15, but the Partnership's in-school programs start later.
        age = failed(Reason("youth_in_school_local_min", {"min_age": local_min}))
    elif age.status == "pass" and facts.ages.at_least(local_min) is None:
        age = near_cutoff(facts)
    return [age, _in_school_barrier(facts)]


def _in_school_barrier(facts: SeekerFacts) -> Check:
    barrier = has_barrier(facts, facts.rules("wioa_youth.in_school_barriers"))
    if barrier is None:
        return not_known(facts, keys.BARRIERS)
    if not barrier:
        return failed(Reason("youth_needs_barrier"))
    return _with_low_income(facts, Reason("youth_barrier"))


def _with_low_income(facts: SeekerFacts, barrier_reason: Reason) -> Check:
    low_income = gets_public_assistance(facts, facts.rules("wioa_youth.low_income_public_assistance"))
    if low_income:
        return passed(barrier_reason, Reason("youth_low_income"), review=(REVIEW,))
    if low_income is None and not facts.answers.answered_unknown(keys.PUBLIC_ASSISTANCE):
        return not_known(facts, keys.PUBLIC_ASSISTANCE)
    # No aid named: family income, free lunch or a high-poverty area can still make them low-income.
    return staff(barrier_reason, Reason("youth_low_income_check"), review=(REVIEW,))


def _age_window(facts: SeekerFacts, min_age: int, max_age: int) -> Check:
    no_age = ages_known(facts)
    if no_age is not None:
        return no_age
    inside = facts.ages.between(min_age, max_age)
    if inside is None:
        return near_cutoff(facts)
    if inside:
        return passed()
    return failed(Reason("youth_age_range", {"min_age": min_age, "max_age": max_age}))


def _widest_min(facts: SeekerFacts) -> int:
    return min(facts.rules("wioa_youth.in_school_min_age_local"), facts.rules("wioa_youth.out_of_school_min_age"))


def _widest_max(facts: SeekerFacts) -> int:
    return max(facts.rules("wioa_youth.in_school_max_age"), facts.rules("wioa_youth.out_of_school_max_age"))
