"""Screenings: answers merge into one open screening, which completes or is restarted."""
from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot import answers as answer
from bot.store import IntakeStore
from bot.store.models import Screening
from bot.store.timestamps import utc_now

FULL_ANSWERS: dict[str, Any] = {
    answer.FIRST_NAME: "María José",
    answer.ZIP_CODE: "60623",
    answer.SECTORS: ["healthcare", "clean_energy"],
    answer.AGE: 19,
    answer.WORK_AUTHORIZED: True,
    answer.IN_SCHOOL: False,
    answer.VETERAN: answer.UNKNOWN,
    answer.PUBLIC_ASSISTANCE: [],
    answer.BARRIERS: ["english_learner", "pregnant_or_parenting"],
    answer.LAYOFF_DATE: "2025-03-14",
}


def _open_screenings(engine: Engine, seeker_id: int) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count())
            .select_from(Screening)
            .where(Screening.seeker_id == seeker_id, Screening.status == "in_progress")
        ).scalar_one()


def test_no_screening_for_unknown_seeker(store: IntakeStore, address: str) -> None:
    assert store.latest_screening("twilio", address) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (answer.SECTORS, ["healthcare", "it", "construction"]),
        (answer.SECTORS, []),
        (answer.WORK_AUTHORIZED, True),
        (answer.WORK_AUTHORIZED, False),
        (answer.AGE, 0),
        (answer.AGE, 64),
        (answer.BIRTH_YEAR, 1961),
        (answer.FIRST_NAME, "Ñandú Peña"),  # accents must survive every backend's encoding
        (answer.ZIP_CODE, "06023"),  # a leading zero stays text
        (answer.VETERAN, answer.UNKNOWN),
        (answer.BARRIERS, ["homeless", "disability"]),
    ],
)
def test_answers_round_trip_exactly(
    store: IntakeStore, address: str, name: str, value: Any
) -> None:
    store.save_answers("twilio", address, {name: value})
    screening = store.latest_screening("twilio", address)
    assert screening is not None
    stored = screening.answers[name]
    assert stored == value and type(stored) is type(value)  # True must not come back as 1


def test_full_answer_set_round_trips(store: IntakeStore, address: str) -> None:
    store.save_answers("telegram", address, FULL_ANSWERS)
    screening = store.latest_screening("telegram", address)
    assert screening is not None and screening.answers == FULL_ANSWERS


def test_answers_merge_and_none_removes(store: IntakeStore, address: str) -> None:
    store.save_answers("twilio", address, {answer.ZIP_CODE: "60623", answer.AGE: 30})
    store.save_answers("twilio", address, {answer.AGE: 31, answer.VETERAN: False})
    store.save_answers("twilio", address, {answer.ZIP_CODE: None})
    screening = store.latest_screening("twilio", address)
    assert screening is not None
    assert screening.answers == {answer.AGE: 31, answer.VETERAN: False}
    assert screening.status == "in_progress" and screening.completed_at is None


def test_saving_keeps_one_open_screening(store: IntakeStore, engine: Engine, address: str) -> None:
    for age in range(5):
        store.save_answers("twilio", address, {answer.AGE: age})
    seeker = store.find_seeker("twilio", address)
    assert seeker is not None and _open_screenings(engine, seeker.id) == 1


def test_complete_then_new_screening(store: IntakeStore, engine: Engine, address: str) -> None:
    store.save_answers("twilio", address, {answer.ZIP_CODE: "60623"})
    results = {"programs": [{"id": "wioa_adult", "likely": True}], "hub": None}
    screening_id = store.complete_screening(
        "twilio", address, {answer.AGE: 40}, results, rules_version="2025.11-1"
    )

    done = store.latest_screening("twilio", address)
    assert done is not None and done.id == screening_id
    assert done.status == "complete"
    assert done.answers == {answer.ZIP_CODE: "60623", answer.AGE: 40}
    assert done.results == results
    assert done.rules_version == "2025.11-1"
    assert done.completed_at is not None and done.completed_at >= done.started_at

    store.save_answers("twilio", address, {answer.AGE: 41})
    again = store.latest_screening("twilio", address)
    assert again is not None and again.id != screening_id
    assert again.status == "in_progress" and again.answers == {answer.AGE: 41}
    assert _open_screenings(engine, done.seeker_id) == 1


def test_complete_without_earlier_saves(store: IntakeStore, address: str) -> None:
    screening_id = store.complete_screening("rest", address, FULL_ANSWERS, {}, None)
    done = store.latest_screening("rest", address)
    assert done is not None and done.id == screening_id
    assert done.results == {} and done.rules_version is None


def test_restart_abandons_the_open_screening(
    store: IntakeStore, engine: Engine, address: str
) -> None:
    store.save_answers("twilio", address, {answer.ZIP_CODE: "60623"})
    before = store.latest_screening("twilio", address)

    fresh = store.restart_screening("twilio", address)

    assert before is not None and fresh.id != before.id
    assert fresh.status == "in_progress" and fresh.answers == {}
    assert store.latest_screening("twilio", address) == fresh
    assert _open_screenings(engine, fresh.seeker_id) == 1
    with engine.connect() as connection:
        old_status = connection.execute(
            select(Screening.status).where(Screening.id == before.id)
        ).scalar_one()
    assert old_status == "abandoned"


def test_restart_twice_does_not_pile_up_empty_screenings(store: IntakeStore, address: str) -> None:
    first = store.restart_screening("twilio", address)
    second = store.restart_screening("twilio", address)
    assert second.id == first.id


def test_database_refuses_a_second_open_screening(
    store: IntakeStore, engine: Engine, address: str
) -> None:
    store.save_answers("twilio", address, {answer.AGE: 30})
    seeker = store.find_seeker("twilio", address)
    assert seeker is not None
    now = utc_now()
    with pytest.raises(IntegrityError):
        with engine.begin() as connection:
            connection.execute(
                insert(Screening).values(
                    seeker_id=seeker.id,
                    status="in_progress",
                    answers={},
                    started_at=now,
                    updated_at=now,
                )
            )


def test_returned_answers_are_a_copy(store: IntakeStore, address: str) -> None:
    store.save_answers("twilio", address, {answer.SECTORS: ["it"]})
    screening = store.latest_screening("twilio", address)
    assert screening is not None
    screening.answers[answer.SECTORS].append("construction")
    again = store.latest_screening("twilio", address)
    assert again is not None and again.answers == {answer.SECTORS: ["it"]}


@pytest.mark.parametrize(
    "bad_answers",
    [
        {"phone": "+13125550100"},  # not an answer name: nothing else about a seeker is kept
        {"requested_slot": "age"},
        {answer.LAYOFF_DATE: date(2025, 3, 14)},  # callers send ISO text, not date objects
        {answer.SECTORS: {"it"}},
        {answer.AGE: math.nan},
    ],
)
def test_bad_answers_are_refused(store: IntakeStore, address: str, bad_answers: dict) -> None:
    with pytest.raises(ValueError):
        store.save_answers("twilio", address, bad_answers)
    assert store.find_seeker("twilio", address) is None


@pytest.mark.parametrize(
    ("results", "rules_version"),
    [({"when": date(2025, 1, 1)}, "v1"), ({}, ""), ({}, "v" * 41)],
)
def test_bad_results_are_refused(
    store: IntakeStore, address: str, results: dict, rules_version: str
) -> None:
    with pytest.raises(ValueError):
        store.complete_screening("twilio", address, {}, results, rules_version)


# The merge is done in SQL for a known seeker (one upsert on the one-open-screening index): it must
# be the same shallow merge as before, on both backends.
@pytest.mark.parametrize(
    "saves, expected",
    [
        ([{answer.ZIP_CODE: "60623"}], {answer.ZIP_CODE: "60623"}),
        ([{answer.ZIP_CODE: None}], {}),
        ([{}], {}),
        (
            [{answer.SECTORS: ["it", "healthcare"], answer.AGE: 30}, {answer.SECTORS: ["construction"]}],
            {answer.SECTORS: ["construction"], answer.AGE: 30},  # a list is replaced whole
        ),
        (
            [{answer.PUBLIC_ASSISTANCE: ["snap"], answer.VETERAN: True}, {answer.PUBLIC_ASSISTANCE: [], answer.VETERAN: None}],
            {answer.PUBLIC_ASSISTANCE: []},
        ),
        (
            [{answer.FIRST_NAME: "O'Brien \"Bo\" Ñúñez", answer.BIRTH_YEAR: 1990}, {answer.AGE: 2.5, answer.IN_SCHOOL: False}],
            {answer.FIRST_NAME: "O'Brien \"Bo\" Ñúñez", answer.BIRTH_YEAR: 1990, answer.AGE: 2.5, answer.IN_SCHOOL: False},
        ),
        ([{answer.AGE: 30, answer.ZIP_CODE: "60623"}, {answer.AGE: None, answer.ZIP_CODE: None}], {}),
    ],
)
def test_answers_of_a_known_seeker_merge_in_sql_as_before(store: IntakeStore, address: str, saves, expected) -> None:
    store.record_consent_notice("twilio", address, "en")  # a known seeker: the one-statement path
    for answers in saves:
        store.save_answers("twilio", address, answers)
    screening = store.latest_screening("twilio", address)
    assert screening is not None and screening.answers == expected and screening.status == "in_progress"
