"""What the seeker is told at the end of the screening, in their language: pure, no Rasa.

The message templates live in the Rasa domain (flows/intake/domain.yml); this module fills their
blanks: interests, one line per program worth mentioning, documents, and where to go next.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from bot import answers as a
from bot.screening import LIKELY, POSSIBLE, ScreeningResult
from bot.screening.results import ScreeningReferral
from bot.understanding.sectors import vocabulary

NAMES_FILE = Path(__file__).resolve().parents[1] / "data" / "programs" / "program_names.yaml"

# Sector programs are only worth a line for seekers who picked that sector.
SECTOR_PROGRAMS = {"ceja": "clean_energy", "constructionworks": "construction"}
MENTIONED = (LIKELY, POSSIBLE)


@dataclass(frozen=True)
class ProgramLine:
    program: str
    name: str
    determination: str
    verdict: str  # the determination in the seeker's words
    reason: str

    def text(self) -> str:
        return f"- {self.name}: {self.verdict}. {self.reason}".rstrip()


@dataclass(frozen=True)
class Summary:
    sectors: str
    programs: tuple[ProgramLine, ...]
    documents: tuple[str, ...]
    next_step: str
    staff_review: bool


@lru_cache(maxsize=1)
def _names() -> dict[str, Any]:
    return yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8"))


def program_name(program: str, language: str, priority_groups: tuple[int, ...] = ()) -> str:
    """The program's name, with its priority group, or the two it may be (all four open says nothing)."""
    names = _names()
    name = names["programs"][program][language]
    if len(priority_groups) == 1:
        name += " (" + names["priority_group"][language].format(group=priority_groups[0]) + ")"
    elif len(priority_groups) == 2:
        first, second = priority_groups
        name += " (" + names["priority_group_pair"][language].format(first=first, second=second) + ")"
    return name


def sector_names(sectors: list[str], language: str) -> list[str]:
    vocab = vocabulary()
    return [getattr(vocab.sector(s), f"name_{language}") for s in sectors if s in a.SECTOR_VALUES]


def _worth_mentioning(program: str, determination: str, chosen_sectors: list[str]) -> bool:
    if determination not in MENTIONED:
        return False
    sector = SECTOR_PROGRAMS.get(program)
    return sector is None or sector in chosen_sectors


def next_step(referral: ScreeningReferral | None, chosen_sectors: list[str], language: str) -> str:
    if referral is None:
        return "chicookworks.org"
    website = referral.contact_website.removeprefix("https://").removeprefix("http://")
    if referral.outside is not None and referral.center is None:
        outside_site = referral.outside.website.removeprefix("https://").removeprefix("http://")
        return f"{referral.outside.name(language)}, {outside_site}"
    places = [referral.center] if referral.center else []
    if "clean_energy" in chosen_sectors and referral.ceja_hub:
        places.append(referral.ceja_hub)
    places.extend(referral.sector_centers[:1])
    names = "; ".join(place.name(language) for place in places)
    return f"{names}. {website}" if names else website


def summarize(result: ScreeningResult, answers: Mapping[str, Any], language: str) -> Summary:
    chosen = [s for s in (answers.get(a.SECTORS) or []) if s in a.SECTOR_VALUES]
    lines: list[ProgramLine] = []
    documents: list[str] = []
    for program, outcome in result.programs.items():
        if not _worth_mentioning(program, outcome.determination, chosen):
            continue
        reasons = outcome.reason_texts(language)
        lines.append(
            ProgramLine(
                program=program,
                name=program_name(program, language, outcome.priority_groups),
                determination=outcome.determination,
                verdict=_names()["determinations"][outcome.determination][language],
                reason=reasons[0] if reasons else "",
            )
        )
        documents.extend(d for d in outcome.document_names(language) if d not in documents)
    interests = ", ".join(sector_names(chosen, language)) or _names()["no_sectors"][language]
    return Summary(
        sectors=interests,
        programs=tuple(lines),
        documents=tuple(documents),
        next_step=next_step(result.referral, chosen, language),
        staff_review=bool(result.needs_staff_review),
    )
