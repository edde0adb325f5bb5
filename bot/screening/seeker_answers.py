"""Check and normalise a seeker's answers (keys and canonical values of bot/answers.py).

A missing key, None, or the string "unknown" all leave the answer unknown; which of them it was is
kept, because "they told us they don't know" needs staff help while "not asked yet" needs a question.
Any other value outside the canonical ones is an error (AnswerError), never a silent guess.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from bot import answers as keys
from bot.geography import normalize_zip

OLDEST_PLAUSIBLE_AGE = 120
EARLIEST_PLAUSIBLE_BIRTH_YEAR = 1900
LARGEST_PLAUSIBLE_FAMILY = 30
LARGEST_PLAUSIBLE_INCOME = 10_000_000


class AnswerError(ValueError):
    """An answer key or value the rules cannot use."""


@dataclass(frozen=True)
class SeekerAnswers:
    zip_code: str | None = None
    sectors: tuple[str, ...] | None = None
    age: int | None = None
    birth_year: int | None = None
    sex: str | None = None
    work_authorized: bool | None = None
    employment_status: str | None = None
    family_support_lost: bool | None = None
    layoff_employer: str | None = None
    layoff_date: str | None = None
    warn_notice_reason: str | None = None  # the Reason of the WARN notice the layoff is on
    ui_status: str | None = None  # keeps "unknown": it is a canonical value of its own
    in_school: bool | None = None
    education: str | None = None
    veteran: bool | None = None
    military_spouse: bool | None = None
    public_assistance: tuple[str, ...] | None = None
    selective_service: str | None = None  # keeps "unknown"
    barriers: tuple[str, ...] | None = None
    family_size: int | None = None
    family_income: int | None = None  # yearly, in dollars
    said_unknown: frozenset[str] = frozenset()  # keys answered "unknown"

    def answered_unknown(self, key: str) -> bool:
        return key in self.said_unknown


_CHOICES: Mapping[str, tuple[str, ...]] = {
    keys.SEX: keys.SEX_VALUES,
    keys.EMPLOYMENT_STATUS: keys.EMPLOYMENT_VALUES,
    keys.UI_STATUS: keys.UI_VALUES,
    keys.EDUCATION: keys.EDUCATION_VALUES,
    keys.SELECTIVE_SERVICE: keys.SELECTIVE_SERVICE_VALUES,
}
_LIST_CHOICES: Mapping[str, tuple[str, ...]] = {
    keys.SECTORS: keys.SECTOR_VALUES,
    keys.PUBLIC_ASSISTANCE: keys.PUBLIC_ASSISTANCE_VALUES,
    keys.BARRIERS: keys.BARRIER_VALUES,
}
_FREE_TEXT = (keys.FIRST_NAME, keys.LAYOFF_EMPLOYER, keys.LAYOFF_DATE)
# Answers whose "unknown" is a canonical value the rules read, not just a blank.
_UNKNOWN_IS_A_VALUE = (keys.UI_STATUS, keys.SELECTIVE_SERVICE)


def parse_answers(answers: Mapping[str, Any], today: date) -> SeekerAnswers:
    """SeekerAnswers from a mapping of answer key -> value; AnswerError on unknown keys or bad values."""
    if not isinstance(answers, Mapping):
        raise AnswerError(f"answers must be an object of answer names to values, got {type(answers).__name__}")
    unknown_keys = sorted(set(answers) - set(keys.ALL_ANSWERS))
    if unknown_keys:
        raise AnswerError(f"unknown answer name(s): {', '.join(map(str, unknown_keys))}")
    values: dict[str, Any] = {}
    said_unknown: set[str] = set()
    for key, raw in answers.items():
        if raw is None:
            continue
        if isinstance(raw, str) and raw == keys.UNKNOWN:
            said_unknown.add(key)
            if key in _UNKNOWN_IS_A_VALUE:
                values[key] = keys.UNKNOWN
            continue
        if key == keys.FIRST_NAME:
            continue  # never needed by the rules
        if key == keys.WARN_NOTICE:
            values["warn_notice_reason"] = _warn_notice_reason(raw)
            continue
        values[key] = _parse_one(key, raw, today)
    return SeekerAnswers(**values, said_unknown=frozenset(said_unknown))


def _parse_one(key: str, raw: Any, today: date) -> Any:
    if key == keys.ZIP_CODE:
        try:
            return normalize_zip(raw if isinstance(raw, str) else str(raw))
        except ValueError:
            raise AnswerError(f"zip_code must be 5 digits, got {raw!r}") from None
    if key == keys.AGE:
        return _whole_number(key, raw, 0, OLDEST_PLAUSIBLE_AGE)
    if key == keys.BIRTH_YEAR:
        return _whole_number(key, raw, EARLIEST_PLAUSIBLE_BIRTH_YEAR, today.year)
    if key == keys.FAMILY_SIZE:
        return _whole_number(key, raw, 1, LARGEST_PLAUSIBLE_FAMILY)
    if key == keys.FAMILY_INCOME:
        return _whole_number(key, raw, 0, LARGEST_PLAUSIBLE_INCOME)
    if key in keys.BOOLEAN_ANSWERS:
        return _boolean(key, raw)
    if key in _CHOICES:
        return _choice(key, raw, _CHOICES[key])
    if key in _LIST_CHOICES:
        return _choices(key, raw, _LIST_CHOICES[key])
    if key in _FREE_TEXT:
        if not isinstance(raw, str):
            raise AnswerError(f"{key} must be text, got {raw!r}")
        return raw.strip() or None
    raise AnswerError(f"no rule reads answer {key!r}")  # a key added to answers.py but not here


def _warn_notice_reason(raw: Any) -> str:
    """{"id": "...", "reason": "Plant Closure"}: the notice's Reason, as the state wrote it."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str) or not isinstance(raw.get("reason"), str):
        raise AnswerError('warn_notice must be {"id": "...", "reason": "..."} with text values')
    if not raw["id"].strip() or not raw["reason"].strip():
        raise AnswerError("warn_notice needs its id and its reason")
    return " ".join(raw["reason"].split())


def _whole_number(key: str, raw: Any, lowest: int, highest: int) -> int:
    if isinstance(raw, bool):
        raise AnswerError(f"{key} must be a whole number, got {raw!r}")
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, float) and raw.is_integer():
        number = int(raw)
    elif isinstance(raw, str) and raw.strip().isdigit():
        number = int(raw.strip())
    else:
        raise AnswerError(f"{key} must be a whole number, got {raw!r}")
    if not lowest <= number <= highest:
        raise AnswerError(f"{key} must be between {lowest} and {highest}, got {number}")
    return number


def _boolean(key: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if raw in ("true", "false"):
        return raw == "true"
    raise AnswerError(f"{key} must be true or false, got {raw!r}")


def _choice(key: str, raw: Any, allowed: tuple[str, ...]) -> str:
    if raw not in allowed:
        raise AnswerError(f"{key} must be one of {', '.join(allowed)}, got {raw!r}")
    return raw


def _choices(key: str, raw: Any, allowed: tuple[str, ...]) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)):
        raise AnswerError(f"{key} must be a list of {', '.join(allowed)}, got {raw!r}")
    bad = [item for item in items if item not in allowed]
    if bad:
        raise AnswerError(f"{key} must only hold {', '.join(allowed)}, got {bad!r}")
    return tuple(dict.fromkeys(items))  # drop repeats, keep order
