"""What screening returns: a determination per program, with reasons a seeker can read."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from bot.geography import Center, Referral
from bot.screening.texts import document_name, reason_text

LIKELY = "likely"
POSSIBLE = "possible"
UNLIKELY = "unlikely"
NEEDS_INFO = "needs_info"
DETERMINATIONS = (LIKELY, POSSIBLE, UNLIKELY, NEEDS_INFO)

PROGRAMS = ("wioa_adult", "wioa_dislocated_worker", "wioa_youth", "ceja", "constructionworks")


@dataclass(frozen=True)
class Reason:
    """A stable code (for logic, storage and tests) plus the values its sentence needs."""

    code: str
    # Excluded from the hash so a Reason stays usable in sets even though params is a dict.
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def text(self, language: str = "en") -> str:
        return reason_text(self.code, self.params, language)


def missing(answer: str) -> Reason:
    return Reason("missing_answer", {"answer": answer})


def said_unknown(answer: str) -> Reason:
    return Reason("unknown_answer", {"answer": answer})


@dataclass(frozen=True)
class ProgramResult:
    program: str
    determination: str  # one of DETERMINATIONS
    reasons: tuple[Reason, ...] = ()
    documents: tuple[str, ...] = ()
    # Answer keys that would settle a needs_info (or sharpen a possible), for the dialogue to ask next.
    missing_answers: tuple[str, ...] = ()
    # WIOA Adult only: priority of service 1 (first) to 4; None when answers do not settle it.
    priority_group: int | None = None
    # WIOA Adult only: every group the answers still allow (one when settled), first first.
    priority_groups: tuple[int, ...] = ()
    # Did the seeker pick this program's sector? None for programs without one or when not asked yet.
    interested: bool | None = None

    def reason_texts(self, language: str = "en") -> list[str]:
        return [reason.text(language) for reason in self.reasons]

    def reason_codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]

    def document_names(self, language: str = "en") -> list[str]:
        return [document_name(document, language) for document in self.documents]


@dataclass(frozen=True)
class ScreeningReferral:
    """Where the seeker goes next, from their ZIP and chosen sectors."""

    zip_code: str
    area: str
    center: Center | None
    ceja_hub: Center | None
    sector_centers: tuple[Center, ...]
    # Outside Cook (or unknown ZIP): the local workforce area or locator to contact instead.
    outside: Referral | None
    partly_in_cook: bool
    contact_website: str

    def as_dict(self, language: str = "en") -> dict[str, Any]:
        def describe(place: Center | None) -> dict[str, Any] | None:
            if place is None:
                return None
            return {
                "id": place.id,
                "name": place.name(language),
                "address": place.address,
                "verified": place.verified,
                "website": place.website,
            }

        return {
            "zip_code": self.zip_code,
            "area": self.area,
            "center": describe(self.center),
            "ceja_hub": describe(self.ceja_hub),
            "sector_centers": [describe(place) for place in self.sector_centers],
            "outside": None
            if self.outside is None
            else {
                "kind": self.outside.kind,
                "name": self.outside.name(language),
                "website": self.outside.website,
                "lwia": self.outside.lwia,
            },
            "partly_in_cook": self.partly_in_cook,
            "contact_website": self.contact_website,
        }


@dataclass(frozen=True)
class ScreeningResult:
    rules_version: str
    programs: Mapping[str, ProgramResult]
    referral: ScreeningReferral | None
    needs_staff_review: tuple[str, ...]
    # Whether Selective Service registration matters for this seeker: None means ask (or staff check).
    selective_service_required: bool | None
    missing_answers: tuple[str, ...] = ()

    def program(self, name: str) -> ProgramResult:
        return self.programs[name]

    def as_dict(self, language: str = "en") -> dict[str, Any]:
        """The CLI's JSON shape, texts in one language."""
        programs: dict[str, Any] = {}
        for name, result in self.programs.items():
            entry: dict[str, Any] = {
                "determination": result.determination,
                "reasons": result.reason_texts(language),
                "reason_codes": result.reason_codes(),
                "documents": result.document_names(language),
            }
            if name == "wioa_adult":
                entry["priority_group"] = result.priority_group
                entry["priority_groups"] = list(result.priority_groups)
            programs[name] = entry
        return {
            "rules_version": self.rules_version,
            "programs": programs,
            "referral": None if self.referral is None else self.referral.as_dict(language),
            "needs_staff_review": list(self.needs_staff_review),
        }
