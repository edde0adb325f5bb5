"""Stored answers judged again under the rules in force now, for the re-contact report (bot/reports/recontact.py)."""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from bot.screening.screen import screen
from bot.screening.seeker_answers import AnswerError


def determinations_now(answers: Mapping[str, Any], day: date) -> dict[str, str] | None:
    """Program -> determination under today's rule files, judging ages on `day` (the day the seeker was
    screened, so only the rules differ); None when the stored answers no longer read as answers."""
    try:
        result = screen(answers, day)
    except AnswerError:
        return None
    return {name: program.determination for name, program in result.programs.items()}
