"""Eligibility pre-screen: a seeker's answers in, a likely/possible/unlikely/needs_info per program out.

Pure: reads data/programs/ and bot.geography only; no Rasa, HTTP or database.
"""
from __future__ import annotations

from bot.screening.results import (
    DETERMINATIONS,
    LIKELY,
    NEEDS_INFO,
    POSSIBLE,
    PROGRAMS,
    UNLIKELY,
    ProgramResult,
    Reason,
    ScreeningReferral,
    ScreeningResult,
)
from bot.screening.screen import screen
from bot.screening.seeker_answers import AnswerError

__all__ = [
    "AnswerError",
    "DETERMINATIONS",
    "LIKELY",
    "NEEDS_INFO",
    "POSSIBLE",
    "PROGRAMS",
    "ProgramResult",
    "Reason",
    "ScreeningReferral",
    "ScreeningResult",
    "UNLIKELY",
    "screen",
]
