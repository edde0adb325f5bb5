"""Combining rule checks into a determination.

Each rule returns a Check: it passes, fails, cannot be judged without an answer (unknown), or
needs a staff judgement. One failure makes a program unlikely; otherwise one unknown makes it
needs_info; otherwise one staff judgement makes it possible; otherwise it is likely.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from bot.screening.results import LIKELY, NEEDS_INFO, POSSIBLE, UNLIKELY, Reason

PASS = "pass"
FAIL = "fail"
UNKNOWN = "unknown"
STAFF = "staff"

_BEST_FIRST = (LIKELY, POSSIBLE, NEEDS_INFO, UNLIKELY)


@dataclass(frozen=True)
class Check:
    status: str  # PASS | FAIL | UNKNOWN | STAFF
    reasons: tuple[Reason, ...] = ()
    missing: tuple[str, ...] = ()  # answer keys that would settle it
    review: tuple[str, ...] = ()  # needs_staff_review codes


@dataclass(frozen=True)
class Outcome:
    determination: str
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]
    review: tuple[str, ...]


def passed(*reasons: Reason, review: Iterable[str] = ()) -> Check:
    return Check(PASS, tuple(reasons), review=tuple(review))


def failed(*reasons: Reason) -> Check:
    return Check(FAIL, tuple(reasons))


def unknown(*reasons: Reason, missing: Iterable[str] = ()) -> Check:
    return Check(UNKNOWN, tuple(reasons), missing=tuple(missing))


def staff(*reasons: Reason, review: Iterable[str] = (), missing: Iterable[str] = ()) -> Check:
    return Check(STAFF, tuple(reasons), missing=tuple(missing), review=tuple(review))


def combine(checks: Iterable[Check]) -> Outcome:
    checks = list(checks)
    failures = [check for check in checks if check.status == FAIL]
    if failures:
        # Only the first thing that rules the seeker out (checks come most important first): one clear sentence.
        return Outcome(UNLIKELY, _reasons(failures[:1]), (), ())
    unknowns = [check for check in checks if check.status == UNKNOWN]
    staff_checks = [check for check in checks if check.status == STAFF]
    passes = [check for check in checks if check.status == PASS]
    if unknowns:
        determination = NEEDS_INFO
        shown = unknowns + staff_checks
    elif staff_checks:
        determination = POSSIBLE
        shown = staff_checks + passes
    else:
        determination = LIKELY
        shown = passes
    return Outcome(
        determination,
        _reasons(shown),
        _unique(key for check in unknowns + staff_checks for key in check.missing),
        _unique(code for check in checks for code in check.review),
    )


def best(outcomes: Iterable[Outcome]) -> Outcome:
    """The most favourable of several alternative routes into a program (first wins ties)."""
    return min(outcomes, key=lambda outcome: _BEST_FIRST.index(outcome.determination))


def _reasons(checks: list[Check]) -> tuple[Reason, ...]:
    seen: list[Reason] = []
    for check in checks:
        for reason in check.reasons:
            if reason not in seen:
                seen.append(reason)
    return tuple(seen)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
