"""Who to re-contact after the eligibility rules change: stored screenings whose result would be
better under the current rules, so staff can reach people an older rule told "unlikely".

Pure arithmetic over determinations as the store keeps them (text): the caller re-screens each
stored screening's answers with the current rules (bot.screening.screen, judged on the day the
screening was completed, so only the rules differ) and hands both sides in.

Better means higher on the ladder unlikely < needs_info < possible < likely. Only the latest
finished screening of each seeker is listed (the caller picks it); people told "unlikely" by the
old rules come first, then the oldest screening first (they have waited longest).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

# The store keeps determinations as the screening wrote them (bot.screening.results): read as text here.
UNLIKELY = "unlikely"
DETERMINATION_RANK = {UNLIKELY: 0, "needs_info": 1, "possible": 2, "likely": 3}


@dataclass(frozen=True)
class StoredScreening:
    screening_id: int
    seeker_id: int
    channel: str
    address: str
    first_name: str | None
    language: str | None
    opted_out: bool
    completed_at: datetime
    rules_version: str | None
    # Program -> determination, as stored with the screening.
    determinations: Mapping[str, str]


@dataclass(frozen=True)
class Improvement:
    program: str
    before: str
    after: str


@dataclass(frozen=True)
class RecontactEntry:
    screening: StoredScreening
    improvements: tuple[Improvement, ...]

    @property
    def was_told_unlikely(self) -> bool:
        return any(change.before == UNLIKELY for change in self.improvements)


def improvements(before: Mapping[str, str], after: Mapping[str, str]) -> tuple[Improvement, ...]:
    """Programs whose determination moved up the ladder, in the order of `after`.

    A program the old result did not have, or a determination neither side knows, is no improvement
    to report: the list must only hold changes staff can explain.
    """
    found = []
    for program, new in after.items():
        old = before.get(program)
        if old in DETERMINATION_RANK and new in DETERMINATION_RANK and DETERMINATION_RANK[new] > DETERMINATION_RANK[old]:
            found.append(Improvement(program, old, new))
    return tuple(found)


def recontact_list(
    screenings: Iterable[StoredScreening], current: Mapping[int, Mapping[str, str]]
) -> list[RecontactEntry]:
    """Entries for the screenings (by id in `current`: their determinations under today's rules)
    that would come out better now; told "unlikely" first, then oldest first."""
    entries = []
    for screening in screenings:
        now = current.get(screening.screening_id)
        if now is None:
            continue
        better = improvements(screening.determinations, now)
        if better:
            entries.append(RecontactEntry(screening, better))
    entries.sort(key=lambda entry: (not entry.was_told_unlikely, entry.screening.completed_at, entry.screening.screening_id))
    return entries


def stored_determinations(results: object) -> dict[str, str]:
    """Program -> determination from a stored results document; {} for anything else."""
    programs = results.get("programs") if isinstance(results, dict) else None
    if not isinstance(programs, dict):
        return {}
    return {
        name: entry["determination"]
        for name, entry in programs.items()
        if isinstance(entry, dict) and isinstance(entry.get("determination"), str)
    }
