"""WIOA Youth (20 CFR 681.210-681.250; Illinois WIOA ePolicy ch. 5 section 4).

Out of school, 16-24, with a barrier (a dropout needs no low income; a diploma holder who is
basic-skills deficient or an English learner does). In school, 16-21 locally (14 federally), with
low income AND a barrier. Aged 22-24 and in school (college): too old for Youth, route to Adult.

Adult education, high school equivalency (GED/HiSET), YouthBuild and Job Corps are not school for
Youth (20 CFR 681.230): someone 22+ "in school" without a diploma is taken as out of school, for staff
to confirm. Low income and needing additional assistance is a barrier of its own, out of school
(WIOA 129(a)(1)(B)(iii)(VIII)) and in school (WIOA 129(a)(1)(C)(iv)(VII); 20 CFR 681.220(d)(7)),
defined by the local board (20 CFR 681.300): staff apply it, so no listed barrier is never "unlikely". Homeless youth and foster children
are low income by definition (WIOA 3(36)(A)(iii), (v)).
"""
from __future__ import annotations

from bot import answers as keys
from bot.screening.checks import Check, Outcome, combine, failed, passed, staff
from bot.screening.facts import (
    SeekerFacts,
    ages_known,
    has_barrier,
    low_income,
    near_cutoff,
    not_known,
    residency,
    work_authorization,
)
from bot.screening.results import Reason
from bot.screening.selective_service import SelectiveService

REVIEW = "youth_barriers"
REVIEW_SCHOOL = "youth_school_check"
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
    if in_school and _adult_education(facts):
        school = staff(Reason("youth_adult_education"), review=(REVIEW_SCHOOL,))
        return combine(common + _out_of_school(facts) + [school])
    if in_school:
        return combine(common + _in_school(facts))
    return combine(common + _out_of_school(facts))


def _adult_education(facts: SeekerFacts) -> bool:
    """In school past in-school age without a diploma: most likely adult education or a GED class."""
    if facts.ages is None or facts.answers.education not in DROPOUT_LEVELS:
        return False
    return facts.ages.youngest >= facts.rules("wioa_youth.adult_education_from_age")


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
    return _needs_additional_assistance(facts)


def _needs_additional_assistance(facts: SeekerFacts) -> Check:
    if not facts.rules("wioa_youth.needs_additional_assistance"):
        return failed(Reason("youth_needs_barrier"))
    low = _low_income(facts)
    if low is None and not facts.answers.answered_unknown(keys.PUBLIC_ASSISTANCE):
        return not_known(facts, keys.PUBLIC_ASSISTANCE)
    reasons = [Reason("youth_additional_assistance")]
    if not low:
        # No aid named: family income, free lunch or a high-poverty area can still make them low-income.
        reasons.append(Reason("youth_low_income_check"))
    return staff(*reasons, review=(REVIEW,))


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
        return _needs_additional_assistance(facts)
    if has_barrier(facts, facts.rules("wioa_youth.low_income_barriers")):
        return passed(Reason("youth_barrier"), Reason("youth_low_income_by_definition"), review=(REVIEW,))
    return _with_low_income(facts, Reason("youth_barrier"))


def _low_income(facts: SeekerFacts) -> bool | None:
    return low_income(
        facts,
        facts.rules("wioa_youth.low_income_public_assistance"),
        facts.rules("wioa_youth.low_income_barriers"),
    )


def _with_low_income(facts: SeekerFacts, barrier_reason: Reason) -> Check:
    low_income = _low_income(facts)
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
