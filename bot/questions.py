"""Which intake question comes next: pure rules over the answers given so far.

One question per message, in a fixed order, skipping what is already answered (from any earlier
message) and what does not matter for this seeker.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from bot import answers as a
from bot.answers import MILITARY
from bot.screening.parameters import rule_book
from bot.understanding.extract import READ_WITH_A_YES_NO

QUESTION_ORDER = (
    a.FIRST_NAME,
    a.ZIP_CODE,
    a.SECTORS,
    a.AGE,
    a.WORK_AUTHORIZED,
    a.EMPLOYMENT_STATUS,
    a.FAMILY_SUPPORT_LOST,
    a.LAYOFF_EMPLOYER,
    a.LAYOFF_DATE,
    a.UI_STATUS,
    a.EDUCATION,
    a.IN_SCHOOL,
    MILITARY,
    a.PUBLIC_ASSISTANCE,
    a.BARRIERS,
    a.FAMILY_INCOME,
    a.BIRTH_YEAR,
    a.SELECTIVE_SERVICE,
)

YES_NO_QUESTIONS = frozenset({a.WORK_AUTHORIZED, a.IN_SCHOOL, a.FAMILY_SUPPORT_LOST})
CHOICE_QUESTIONS = frozenset(
    {a.SECTORS, a.EMPLOYMENT_STATUS, a.UI_STATUS, a.EDUCATION, MILITARY, a.PUBLIC_ASSISTANCE, a.BARRIERS, a.SELECTIVE_SERVICE}
)
# Questions whose answer is free text: a message that is clearly something else (a question, a
# request for a person) must not be taken as the answer.
FREE_TEXT_QUESTIONS = frozenset({a.FIRST_NAME, a.LAYOFF_EMPLOYER, a.LAYOFF_DATE})
# Questions with an `utter_explain_<question>` response, said when the seeker asks what the
# question means (tests/flows/test_domain_responses.py keeps this list and the domain in step).
EXPLAINED_QUESTIONS = frozenset(
    {a.ZIP_CODE, a.FAMILY_SUPPORT_LOST, a.EDUCATION, a.SELECTIVE_SERVICE, a.PUBLIC_ASSISTANCE, a.UI_STATUS, a.FAMILY_INCOME}
)
# A yes/no question asked in the same message as the one before it while it is still open: one
# SMS fewer, and a reply can answer both ("19, yes", "3, no"); a reply that answers one leaves the
# other to its own question.
ASKED_ALONGSIDE = {a.AGE: a.WORK_AUTHORIZED, a.EDUCATION: a.IN_SCHOOL}
assert all(
    first in READ_WITH_A_YES_NO and second in YES_NO_QUESTIONS for first, second in ASKED_ALONGSIDE.items()
), "the reader must be able to take such a reply apart"

_LAYOFF_STATUSES = ("laid_off", "layoff_notice")
# Benefits follow paid work: they cannot change a result for these.
_NOT_ASKED_ABOUT_BENEFITS = ("working", "never_worked", "lost_family_support")
# Youth serves up to 24 (20 CFR 681.210(a)): past it, being in school changes no result.
_YOUTH_MAX_AGE = 24
# WIOA Adult starts at 18 (WIOA 3(2)): its priority group is what the family income can settle.
_ADULT_MIN_AGE = 18


def is_answered(question: str, answers: Mapping[str, Any]) -> bool:
    if question == a.AGE:
        return answers.get(a.AGE) is not None or answers.get(a.BIRTH_YEAR) is not None
    if question == MILITARY:
        # One question fills both; "my husband is in the Army" already answers it.
        return answers.get(a.VETERAN) is not None or answers.get(a.MILITARY_SPOUSE) is True
    return answers.get(question) is not None


def age_estimate(answers: Mapping[str, Any], today: date) -> int | None:
    """The age, or the younger of the two ages a birth year allows; None when unknown."""
    age = answers.get(a.AGE)
    if isinstance(age, int):
        return age
    birth_year = answers.get(a.BIRTH_YEAR)
    if isinstance(birth_year, int):
        return today.year - birth_year - 1
    return None


def applies(question: str, answers: Mapping[str, Any], today: date, selective_service_required: bool | None) -> bool:
    status = answers.get(a.EMPLOYMENT_STATUS)
    age = age_estimate(answers, today)
    if question in (a.LAYOFF_EMPLOYER, a.LAYOFF_DATE):
        return status in _LAYOFF_STATUSES
    if question == a.FAMILY_SUPPORT_LOST:
        # Only where a yes changes a result: Dislocated Worker has no other route for someone who never
        # had a paid job (a military spouse or a veteran already has one), and it needs the right to work.
        # An adult's question: a displaced homemaker kept a home on a family member's income.
        return (
            status == "never_worked"
            and (age is None or age >= _ADULT_MIN_AGE)
            and answers.get(a.MILITARY_SPOUSE) is not True
            and answers.get(a.VETERAN) is not True
            and answers.get(a.WORK_AUTHORIZED) is not False
        )
    if question == a.UI_STATUS:
        return status not in _NOT_ASKED_ABOUT_BENEFITS
    if question == MILITARY:
        return age is None or age >= 17
    if question == a.IN_SCHOOL:
        return age is None or age <= _YOUTH_MAX_AGE
    if question == a.BARRIERS:
        # Youth and CEJA look at barriers; for any other adult, homelessness (low income, WIOA 3(36)(A)(iii))
        # or a skill need can move the priority group up, unless public assistance already has.
        sectors = answers.get(a.SECTORS) or []
        return (
            age is None
            or age <= _YOUTH_MAX_AGE
            or "clean_energy" in sectors
            or _priority_need_open(answers, today)
        )
    if question == a.FAMILY_INCOME:
        # Asked (with the family's size) of an adult only while low income can still change the Adult
        # priority group: no counted aid, no homelessness, no skill need has settled it (WIOA 134(c)(3)(E)).
        return age is not None and age >= _ADULT_MIN_AGE and _priority_need_open(answers, today) and not _need_shown_by_barriers(answers, today)
    if question == a.BIRTH_YEAR:
        # Asked only of a man whose age spans the 1960 birth-year cutoff (an age of 66 is born in 1959 or
        # 1960): asking the age again would get the same answer, and Selective Service depends on the year.
        return (
            answers.get(a.SEX) == "male"
            and answers.get(a.WORK_AUTHORIZED) is not False
            and selective_service_required is None
            and _age_spans_the_selective_service_cutoff(answers, today)
        )
    if question == a.SELECTIVE_SERVICE:
        # Only men register. Asked only when it can change a result: a seeker who cannot work
        # in the US is not eligible for WIOA whatever the registration.
        return (
            answers.get(a.SEX) in (None, "male")
            and selective_service_required is not False
            and answers.get(a.WORK_AUTHORIZED) is not False
        )
    return True


def _age_spans_the_selective_service_cutoff(answers: Mapping[str, Any], today: date) -> bool:
    age = answers.get(a.AGE)
    if not isinstance(age, int):
        return False
    cutoff = rule_book(today)("selective_service.born_on_or_after")
    born_latest = today.year - age
    return born_latest - 1 < cutoff.year <= born_latest


def _need_shown_by_barriers(answers: Mapping[str, Any], today: date) -> bool:
    """Homelessness (low income by definition) or a skill need among the barriers named."""
    book = rule_book(today)
    settling = set(book("wioa_adult.priority_low_income_barriers")) | set(book("wioa_adult.priority_skill_barriers"))
    barriers = answers.get(a.BARRIERS)
    return isinstance(barriers, list) and bool(settling & set(barriers))


def _priority_need_open(answers: Mapping[str, Any], today: date) -> bool:
    if answers.get(a.WORK_AUTHORIZED) is False:
        return False  # WIOA Adult is out of reach, so its priority group is moot
    counted = rule_book(today)("wioa_adult.priority_public_assistance")
    received = answers.get(a.PUBLIC_ASSISTANCE)
    return not (isinstance(received, list) and any(kind in counted for kind in received))


def asked_alongside(
    question: str | None, answers: Mapping[str, Any], today: date, selective_service_required: bool | None
) -> str | None:
    """The yes/no question the message asking `question` also asks, when it is still open."""
    other = ASKED_ALONGSIDE.get(question or "")
    if other and not is_answered(other, answers) and applies(other, answers, today, selective_service_required):
        return other
    return None


def next_question(
    answers: Mapping[str, Any], today: date, selective_service_required: bool | None
) -> str | None:
    for question in QUESTION_ORDER:
        if not is_answered(question, answers) and applies(question, answers, today, selective_service_required):
            return question
    return None
