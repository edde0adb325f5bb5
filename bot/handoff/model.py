"""What a handoff is about: why it was opened, how urgent it is, which team takes it.

Pure: imports only bot.answers (the shared answer keys) and the rest of this package.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot import answers as a
from bot.handoff.wording import expected_wait

__all__ = [
    "REASONS", "REASON_ASKED", "REASON_NEEDS_REVIEW", "REASON_NOT_UNDERSTOOD", "REASON_UPSET",
    "PRIORITY_FIRST", "PRIORITY_NORMAL", "TEAM_GENERAL", "expected_wait", "pauses_the_bot", "priority_for",
    "team_for",
]

# Why the bot stepped aside (stored with the handoff, shown in the queue and the report).
REASON_ASKED = "asked"
REASON_NOT_UNDERSTOOD = "not_understood"
REASON_UPSET = "upset"
REASON_NEEDS_REVIEW = "needs_review"
REASONS = (REASON_ASKED, REASON_NOT_UNDERSTOOD, REASON_UPSET, REASON_NEEDS_REVIEW)

# Only a person who asked for staff has chosen to stop talking to the bot. A handoff opened for
# them (upset, a screening staff must judge, older rows from misunderstandings) waits in the
# queue while the bot goes on helping, until a staff member claims it and starts texting.
_PAUSING_REASONS = frozenset({REASON_ASKED})
_CLAIMED_STATUS = "assigned"  # bot.store.vocabulary.HANDOFF_ASSIGNED; this module imports no store

# Veterans have priority of service in every DOL-funded program (Jobs for Veterans Act), and the
# Partnership serves laid-off workers first while their layoff benefits and deadlines run.
PRIORITY_FIRST = 2
PRIORITY_NORMAL = 0
_LAID_OFF = frozenset({"laid_off", "layoff_notice"})

# Handoffs with no sector go to whoever is free.
TEAM_GENERAL = "general"


def pauses_the_bot(reason: str, status: str) -> bool:
    """Whether an open handoff keeps the bot quiet (STOP, START, HELP and event requests still
    reach it): when the seeker asked for a person, or once staff have claimed the conversation."""
    return reason in _PAUSING_REASONS or status == _CLAIMED_STATUS


def priority_for(answers: Mapping[str, Any]) -> int:
    """PRIORITY_FIRST for a veteran or a laid-off worker (or one with a layoff notice), else
    PRIORITY_NORMAL. Higher is served first."""
    if answers.get(a.VETERAN) is True:
        return PRIORITY_FIRST
    if answers.get(a.EMPLOYMENT_STATUS) in _LAID_OFF:
        return PRIORITY_FIRST
    return PRIORITY_NORMAL


def team_for(sectors: Iterable[str] | None) -> str:
    """The sector team of the first chosen sector, in the Partnership's sector order
    (data/sectors.yml, bot.answers.SECTOR_VALUES), so the same choice always reaches the same team;
    TEAM_GENERAL when none was chosen."""
    chosen = set(sectors or ())
    return next((sector for sector in a.SECTOR_VALUES if sector in chosen), TEAM_GENERAL)
