"""screen(): a seeker's answers in, a determination per program out."""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from bot.geography import Location, contact_website, locate, sector_centers
from bot.screening import adult, ceja, constructionworks, dislocated_worker, selective_service, youth
from bot.screening.ages import age_facts
from bot.screening.adult import Priority
from bot.screening.checks import Outcome
from bot.screening.facts import SeekerFacts
from bot.screening.parameters import rule_book
from bot.screening.results import (
    LIKELY,
    NEEDS_INFO,
    POSSIBLE,
    UNLIKELY,
    ProgramResult,
    ScreeningReferral,
    ScreeningResult,
)
from bot.screening.seeker_answers import SeekerAnswers, parse_answers
from bot.screening.texts import conditional_documents, program_documents

REVIEW_AGE_CONFLICT = "age_answers_conflict"
# Employment answers that come with a layoff notice or letter from the last job (staff ask the others how it ended).
LOST_A_JOB = ("laid_off", "layoff_notice")
SELF_EMPLOYED = "self_employed_lost_business"
# The sector that shows interest in a program with its own center.
PROGRAM_SECTORS = {"ceja": "clean_energy", "constructionworks": "construction"}


def screen(answers: Mapping[str, Any], today: date) -> ScreeningResult:
    """Screen answers (keys and values of bot/answers.py; missing = unknown) as of `today`, the
    calendar day in Chicago that the caller's clock gives (ages and layoff dates depend on it).

    Raises AnswerError (a ValueError) for unknown keys or values outside the canonical ones.
    """
    seeker = parse_answers(answers, today)
    rules = rule_book(today)
    ages = age_facts(seeker.age, seeker.birth_year, today)
    location = locate(seeker.zip_code) if seeker.zip_code else None
    facts = SeekerFacts(seeker, ages, location, rules)

    service = selective_service.assess(facts)
    adult_outcome, priority = adult.assess(facts, service)
    outcomes: dict[str, Outcome] = {
        "wioa_adult": adult_outcome,
        "wioa_dislocated_worker": dislocated_worker.assess(facts, service),
        "wioa_youth": youth.assess(facts, service),
        "ceja": ceja.assess(facts),
        "constructionworks": constructionworks.assess(facts),
    }
    programs = {
        name: _program_result(name, outcome, facts, service.required, priority) for name, outcome in outcomes.items()
    }

    review = [code for outcome in outcomes.values() for code in outcome.review]
    if ages is not None and ages.conflicting_answers:
        review.insert(0, REVIEW_AGE_CONFLICT)
    missing_answers = [key for result in programs.values() for key in result.missing_answers]
    return ScreeningResult(
        rules_version=rules.rules_version,
        programs=programs,
        referral=_referral(location, seeker, programs),
        needs_staff_review=tuple(dict.fromkeys(review)),
        selective_service_required=service.required,
        missing_answers=tuple(dict.fromkeys(missing_answers)),
    )


def _program_result(
    name: str,
    outcome: Outcome,
    facts: SeekerFacts,
    selective_service_required: bool | None,
    priority: Priority,
) -> ProgramResult:
    reasons = outcome.reasons
    is_adult = name == "wioa_adult"
    if is_adult and outcome.determination == LIKELY:
        # Nothing to check first: the priority group is the news, so it is the first thing said.
        reasons = priority.notes + tuple(reason for reason in reasons if reason not in priority.notes)
    elif is_adult and outcome.determination == POSSIBLE:
        reasons = reasons + tuple(note for note in priority.notes if note not in reasons)
    return ProgramResult(
        program=name,
        determination=outcome.determination,
        reasons=reasons,
        documents=_documents(name, outcome, facts, selective_service_required),
        missing_answers=outcome.missing,
        priority_group=priority.group if is_adult else None,
        priority_groups=priority.groups if is_adult else (),
        interested=_interested(name, facts.answers),
    )


def _documents(
    name: str, outcome: Outcome, facts: SeekerFacts, selective_service_required: bool | None
) -> tuple[str, ...]:
    # A list to bring only where there is somewhere to bring it: not for "unlikely", nor while answers are missing.
    if outcome.determination in (UNLIKELY, NEEDS_INFO):
        return ()
    seeker = facts.answers
    status = seeker.employment_status
    applies = {
        "selective_service_required": selective_service_required is True,
        "veteran": seeker.veteran is True,
        "public_assistance": bool(seeker.public_assistance),
        "lost_a_job": status in LOST_A_JOB,
        "unemployment_claim": seeker.ui_status in facts.rules("wioa_dislocated_worker.ui_statuses_that_qualify"),
        "self_employed": status == SELF_EMPLOYED,
        "has_diploma": seeker.education in facts.rules("constructionworks.diploma_levels"),
    }
    documents = list(program_documents(name))
    documents += [document for document, fact in conditional_documents(name).items() if applies[fact]]
    return tuple(documents)


def _interested(name: str, seeker: SeekerAnswers) -> bool | None:
    sector = PROGRAM_SECTORS.get(name)
    if sector is None or seeker.sectors is None:
        return None
    return sector in seeker.sectors


def _referral(
    location: Location | None, seeker: SeekerAnswers, programs: Mapping[str, ProgramResult]
) -> ScreeningReferral | None:
    if location is None:
        return None
    ceja_result = programs["ceja"]
    wants_hub = ceja_result.interested or ceja_result.determination not in (UNLIKELY, NEEDS_INFO)
    return ScreeningReferral(
        zip_code=location.zip_code,
        area=location.area,
        center=location.center,
        ceja_hub=location.ceja_hub if wants_hub else None,
        sector_centers=sector_centers(seeker.sectors or ()),
        outside=location.referral,
        partly_in_cook=location.partly_in_cook,
        contact_website=contact_website(),
    )
