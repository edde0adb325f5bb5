"""screen(): a seeker's answers in, a determination per program out."""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from bot import answers as keys
from bot.geography import Location, contact_website, locate, sector_centers
from bot.screening import adult, ceja, constructionworks, dislocated_worker, selective_service, youth
from bot.screening.ages import age_facts
from bot.screening.checks import Outcome
from bot.screening.facts import SeekerFacts
from bot.screening.parameters import rule_book
from bot.screening.results import (
    LIKELY,
    NEEDS_INFO,
    POSSIBLE,
    UNLIKELY,
    ProgramResult,
    Reason,
    ScreeningReferral,
    ScreeningResult,
)
from bot.screening.seeker_answers import SeekerAnswers, parse_answers
from bot.screening.texts import conditional_documents, program_documents

REVIEW_AGE_CONFLICT = "age_answers_conflict"
WIOA_PROGRAMS = ("wioa_adult", "wioa_dislocated_worker", "wioa_youth")
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
    adult_outcome, priority_group, priority_notes = adult.assess(facts, service)
    outcomes: dict[str, Outcome] = {
        "wioa_adult": adult_outcome,
        "wioa_dislocated_worker": dislocated_worker.assess(facts, service),
        "wioa_youth": youth.assess(facts, service),
        "ceja": ceja.assess(facts),
        "constructionworks": constructionworks.assess(facts),
    }
    programs = {
        name: _program_result(name, outcome, seeker, service.required, priority_group, priority_notes)
        for name, outcome in outcomes.items()
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
    seeker: SeekerAnswers,
    selective_service_required: bool | None,
    priority_group: int | None,
    priority_notes: tuple[Reason, ...],
) -> ProgramResult:
    reasons = outcome.reasons
    if name == "wioa_adult" and outcome.determination in (LIKELY, POSSIBLE):
        reasons = reasons + tuple(note for note in priority_notes if note not in reasons)
    return ProgramResult(
        program=name,
        determination=outcome.determination,
        reasons=reasons,
        documents=_documents(name, outcome, seeker, selective_service_required),
        missing_answers=outcome.missing,
        priority_group=priority_group if name == "wioa_adult" else None,
        interested=_interested(name, seeker),
    )


def _documents(
    name: str, outcome: Outcome, seeker: SeekerAnswers, selective_service_required: bool | None
) -> tuple[str, ...]:
    if outcome.determination == UNLIKELY:
        return ()
    documents = list(program_documents(name))
    if name in WIOA_PROGRAMS:
        applies = {
            "selective_service_required": selective_service_required is True,
            keys.VETERAN: seeker.veteran is True,
            keys.PUBLIC_ASSISTANCE: bool(seeker.public_assistance),
        }
        documents += [document for document, fact in conditional_documents().items() if applies[fact]]
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
