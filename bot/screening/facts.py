"""Everything a program rule reads, computed once per screening, and the checks they share."""
from __future__ import annotations

from dataclasses import dataclass

from bot import answers as keys
from bot.geography import Location
from bot.screening.ages import AgeFacts
from bot.screening.checks import Check, failed, passed, staff, unknown
from bot.screening.parameters import RuleBook
from bot.screening.results import Reason, missing, said_unknown
from bot.screening.seeker_answers import SeekerAnswers


@dataclass(frozen=True)
class SeekerFacts:
    answers: SeekerAnswers
    ages: AgeFacts | None
    location: Location | None
    rules: RuleBook


def not_known(facts: SeekerFacts, key: str) -> Check:
    """An answer the rule needs is not there: ask it (needs_info), or staff help if they said they don't know."""
    if facts.answers.answered_unknown(key):
        return staff(said_unknown(key), missing=(key,))
    return unknown(missing(key), missing=(key,))


def work_authorization(facts: SeekerFacts) -> Check:
    authorized = facts.answers.work_authorized
    if authorized is None:
        return not_known(facts, keys.WORK_AUTHORIZED)
    return passed() if authorized else failed(Reason("not_work_authorized"))


def work_authorization_for_staff(facts: SeekerFacts, setting: str, review: str) -> Check:
    """For programs whose own rules name no work authorization: when `setting` is on, someone who cannot work
    in the US goes to staff (possible), never to a hard no."""
    authorized_check = work_authorization(facts)
    if authorized_check.status == "fail" and facts.rules(setting):
        return staff(Reason("work_authorization_staff_check"), review=(review,))
    return authorized_check


def ages_known(facts: SeekerFacts) -> Check | None:
    """A check to use when no age answer exists yet, else None."""
    if facts.ages is not None:
        return None
    if facts.answers.answered_unknown(keys.AGE) or facts.answers.answered_unknown(keys.BIRTH_YEAR):
        return staff(said_unknown(keys.AGE), missing=(keys.AGE,))
    return unknown(missing(keys.AGE), missing=(keys.AGE,))


def minimum_age(facts: SeekerFacts, min_age: int) -> Check:
    no_age = ages_known(facts)
    if no_age is not None:
        return no_age
    old_enough = facts.ages.at_least(min_age)
    if old_enough is None:
        return near_cutoff(facts)
    return passed() if old_enough else failed(Reason("age_below_min", {"min_age": min_age}))


def near_cutoff(facts: SeekerFacts) -> Check:
    """The possible ages straddle a cutoff: the exact age settles it."""
    reason = Reason("age_near_cutoff", {"youngest": facts.ages.youngest, "oldest": facts.ages.oldest})
    return unknown(reason, missing=(keys.AGE,))


def gets_public_assistance(facts: SeekerFacts, counted: list[str]) -> bool | None:
    """Does the family get one of the `counted` kinds of assistance (Medicaid too, if the setting says so)?"""
    received = facts.answers.public_assistance
    if received is None:
        return None
    counted = list(counted)
    if facts.rules("settings.medicaid_counts_as_low_income"):
        counted.append("medicaid")
    return any(kind in counted for kind in received)


def low_income(facts: SeekerFacts, counted_aid: list[str], counted_barriers: list[str]) -> bool | None:
    """Low income as far as the answers show: counted aid, a barrier that is low income by definition
    (homelessness, WIOA sec. 3(36)(A)(iii)), or a family income at or under the poverty guideline
    (3(36)(A)(ii)). False only when aid and barriers are in and neither shows it: an income above the
    guideline may still be under the area's LLSIL line, so it never makes this False by itself."""
    on_aid = gets_public_assistance(facts, counted_aid)
    by_definition = has_barrier(facts, counted_barriers)
    if on_aid or by_definition or under_poverty_guideline(facts):
        return True
    if on_aid is None or by_definition is None:
        return None
    return False


def under_poverty_guideline(facts: SeekerFacts) -> bool:
    """The family income is at or under the poverty guideline for its size. Without the size, the
    guideline for one person (the lowest) is used: an income under it is under every family's."""
    income = facts.answers.family_income
    if income is None:
        return False
    guideline = facts.rules("income.poverty_guideline")
    size = facts.answers.family_size or 1
    return income <= guideline["first_person"] + (size - 1) * guideline["each_additional_person"]


def medicaid_only(facts: SeekerFacts) -> bool:
    """Medicaid is the only aid named and the setting does not count it: worth a staff note."""
    received = facts.answers.public_assistance or ()
    return (
        tuple(received) == ("medicaid",)
        and not facts.rules("settings.medicaid_counts_as_low_income")
    )


def has_barrier(facts: SeekerFacts, counted: list[str]) -> bool | None:
    barriers = facts.answers.barriers
    if barriers is None:
        return None
    return any(barrier in counted for barrier in barriers)


def residency(facts: SeekerFacts) -> Check:
    """Off by default. When on, a seeker outside Cook is possible (never refused): staff check."""
    if not facts.rules("settings.require_cook_residency"):
        return passed()
    if facts.location is None:
        return not_known(facts, keys.ZIP_CODE)
    if facts.location.in_cook:
        return passed()
    return staff(Reason("residency_check"), review=("residency_check",))
