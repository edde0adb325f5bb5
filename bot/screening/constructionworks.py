"""ConstructionWorks pre-apprenticeship. Entry rules are unverified settings (constructionworks.yaml),
so no unverified check is a hard no: a missing diploma or work authorization makes a seeker possible,
and the screening points staff go over (driver's license, transportation) are notes, never gates."""
from __future__ import annotations

from bot import answers as keys
from bot.screening.checks import Check, Outcome, combine, passed, staff
from bot.screening.facts import SeekerFacts, minimum_age, not_known, work_authorization_for_staff
from bot.screening.results import Reason

REVIEW_WORK = "constructionworks_work_authorization_check"


def assess(facts: SeekerFacts) -> Outcome:
    return combine(
        [
            work_authorization_for_staff(
                facts, "settings.constructionworks_without_work_authorization_goes_to_staff", REVIEW_WORK
            ),
            minimum_age(facts, facts.rules("constructionworks.min_age")),
            _diploma_or_ged(facts),
            passed(*(Reason(f"cw_note_{point}") for point in facts.rules("constructionworks.staff_notes"))),
        ]
    )


def _diploma_or_ged(facts: SeekerFacts) -> Check:
    education = facts.answers.education
    if education is None:
        return not_known(facts, keys.EDUCATION)
    if education in facts.rules("constructionworks.diploma_levels"):
        return passed(Reason("cw_basic_ok"))
    return staff(Reason("cw_diploma_check"))
