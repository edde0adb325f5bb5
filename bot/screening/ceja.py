"""CEJA Clean Jobs Workforce Network (14 Ill. Adm. Code 840.80(a)).

Illinois resident, 18+, AND one of: lives in an R3 or environmental-justice area (a ZIP can only
hint at it), is a displaced energy worker (not asked by text), or faces barriers "including but not
limited to" low education, justice involvement, a language barrier, foster care. The rule names no
work authorization: a seeker who cannot work in the US goes to staff (a setting), not "unlikely".
"""
from __future__ import annotations

from bot import answers as keys
from bot.screening.checks import Check, Outcome, combine, failed, passed, staff
from bot.screening.facts import SeekerFacts, has_barrier, minimum_age, not_known, work_authorization_for_staff
from bot.screening.results import Reason

REVIEW_WORK = "ceja_work_authorization_check"


def assess(facts: SeekerFacts) -> Outcome:
    min_age = facts.rules("ceja.min_age")
    return combine(
        [
            work_authorization_for_staff(facts, "settings.ceja_without_work_authorization_goes_to_staff", REVIEW_WORK),
            minimum_age(facts, min_age),
            _illinois_resident(facts),
            _qualifying_circumstance(facts),
            passed(Reason("ceja_basic_ok", {"min_age": min_age})),
        ]
    )


def _illinois_resident(facts: SeekerFacts) -> Check:
    if facts.location is None:
        return not_known(facts, keys.ZIP_CODE)
    if facts.location.in_illinois is False:
        return failed(Reason("ceja_not_illinois"))
    return passed()  # an undeliverable ZIP still sits in an Illinois range: staff see the address anyway


def _qualifying_circumstance(facts: SeekerFacts) -> Check:
    if facts.location is not None and facts.location.ceja_priority_likely:
        return passed(Reason("ceja_priority_area_likely"))
    low_education = facts.answers.education in facts.rules("ceja.low_education_levels")
    if low_education or has_barrier(facts, facts.rules("ceja.listed_barriers")):
        return passed(Reason("ceja_barrier"))
    if has_barrier(facts, facts.rules("ceja.other_barriers")):
        return staff(Reason("ceja_other_barrier"))
    if facts.answers.barriers is None:
        return not_known(facts, keys.BARRIERS)
    # R3 and environmental-justice areas are census tracts: any address may still be in one.
    return staff(Reason("ceja_area_check"))
