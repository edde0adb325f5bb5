"""Selective Service for WIOA (50 U.S.C. 3811; Illinois WIOA ePolicy ch. 5 1.1.1-1.1.3).

Men born on or after 1960-01-01 must register from 18 until their 26th birthday. Under 26 and not
registered: register first. 26 or older and not registered: staff decide whether it was knowing
and willful, so never "not eligible"; a veteran's DD-214 is presumed to show it was not.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot import answers as keys
from bot.screening.checks import Check, passed, staff, unknown
from bot.screening.facts import SeekerFacts, not_known
from bot.screening.results import Reason, missing

REVIEW_26_PLUS = "selective_service_26_plus"
REVIEW_CHECK = "selective_service_check"


@dataclass(frozen=True)
class SelectiveService:
    required: bool | None  # does registration matter for this seeker? None: not settled yet
    check: Check  # how it affects every WIOA program


def assess(facts: SeekerFacts) -> SelectiveService:
    required = _required(facts)
    return SelectiveService(required, _check(facts, required))


def _required(facts: SeekerFacts) -> bool | None:
    sex = facts.answers.sex
    if sex == "female":
        return False
    born_late_enough = adult = None
    if facts.ages is not None:
        born_late_enough = facts.ages.born_on_or_after(facts.rules("selective_service.born_on_or_after"))
        adult = facts.ages.at_least(facts.rules("selective_service.registration_min_age"))
    if born_late_enough is False or adult is False:
        return False
    # The law follows sex assigned at birth, which "other" does not tell us: staff settle it if it matters.
    if sex == "male" and born_late_enough and adult:
        return True
    return None


def _check(facts: SeekerFacts, required: bool | None) -> Check:
    status = facts.answers.selective_service
    if required is False or status == "registered":
        return passed()
    if status is None:
        if required is None and facts.answers.sex == "other":
            return passed()  # most likely not required; the dialogue may still ask (required is None)
        if required is None and facts.answers.sex is None:
            return not_known(facts, keys.SEX)
        if required is None:  # male, but the age answers straddle 18 or the 1960 cutoff
            settling = _answer_that_settles(facts)
            return unknown(missing(settling), missing=(settling,))
        return unknown(missing(keys.SELECTIVE_SERVICE), missing=(keys.SELECTIVE_SERVICE,))
    if status == keys.UNKNOWN:
        return staff(Reason("unknown_answer", {"answer": keys.SELECTIVE_SERVICE}), review=(REVIEW_CHECK,))
    return _not_registered(facts, required)


def _answer_that_settles(facts: SeekerFacts) -> str:
    """An age near 66 spans two birth years, one each side of the cutoff: only the birth year settles it.
    Asking the age again would get the same answer."""
    if facts.ages is None:
        return keys.AGE
    straddles_cutoff = facts.ages.born_on_or_after(facts.rules("selective_service.born_on_or_after")) is None
    if straddles_cutoff and facts.answers.birth_year is None:
        return keys.BIRTH_YEAR
    return keys.AGE


def _not_registered(facts: SeekerFacts, required: bool | None) -> Check:
    deadline = facts.rules("selective_service.registration_deadline_age")
    past_deadline = facts.ages.at_least(deadline) if facts.ages is not None else None
    if required is None:
        return staff(Reason("ss_staff_review"), review=(REVIEW_CHECK,))
    if past_deadline is False:
        # Veterans under 26 must still register.
        return staff(Reason("ss_must_register"))
    if past_deadline and facts.answers.veteran:
        return passed(Reason("ss_veteran_waiver"))
    return staff(Reason("ss_staff_review"), review=(REVIEW_26_PLUS,))
