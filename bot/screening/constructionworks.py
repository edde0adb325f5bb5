"""ConstructionWorks pre-apprenticeship. Entry rules are unverified settings (constructionworks.yaml),
so a missing diploma makes a seeker possible, not unlikely."""
from __future__ import annotations

from bot import answers as keys
from bot.screening.checks import Check, Outcome, combine, passed, staff
from bot.screening.facts import SeekerFacts, minimum_age, not_known, work_authorization
from bot.screening.results import Reason


def assess(facts: SeekerFacts) -> Outcome:
    return combine(
        [
            work_authorization(facts),
            minimum_age(facts, facts.rules("constructionworks.min_age")),
            _diploma_or_ged(facts),
        ]
    )


def _diploma_or_ged(facts: SeekerFacts) -> Check:
    education = facts.answers.education
    if education is None:
        return not_known(facts, keys.EDUCATION)
    if education in facts.rules("constructionworks.diploma_levels"):
        return passed(Reason("cw_basic_ok"))
    return staff(Reason("cw_diploma_check"))
