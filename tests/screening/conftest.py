"""Shared answers for screening tests: a complete, ordinary seeker that each test changes a little."""
from __future__ import annotations

from datetime import date

import pytest

from bot.screening import screen

TODAY = date(2026, 11, 25)

# A 30-year-old woman in Chicago, working, high school diploma, no aid, no barriers: every answer given.
BASE_ANSWERS = {
    "zip_code": "60614",
    "sectors": ["healthcare"],
    "age": 30,
    "sex": "female",
    "work_authorized": True,
    "employment_status": "working",
    "in_school": False,
    "education": "diploma",
    "veteran": False,
    "military_spouse": False,
    "public_assistance": [],
    "barriers": [],
}


@pytest.fixture
def screened():
    """screened(drop=(...), **changes) -> ScreeningResult for BASE_ANSWERS with changes, on TODAY."""

    def run(drop=(), today=TODAY, **changes):
        answers = {key: value for key, value in BASE_ANSWERS.items() if key not in drop}
        answers.update(changes)
        return screen(answers, today)

    return run
