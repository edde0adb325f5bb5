"""Dated rule parameters (openfisca style) read from data/programs/*.yaml.

Each parameter has `values: {date: value}`; the value in force on a day is the one with the latest
date not after it, so a rule change is a new dated line, not an edit of history.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

PROGRAMS_DIR = Path(__file__).resolve().parents[2] / "data" / "programs"
PARAMETER_FILES = ("wioa.yaml", "ceja.yaml", "constructionworks.yaml", "settings.yaml")


@dataclass(frozen=True)
class Parameter:
    name: str  # "group.parameter", e.g. "wioa_adult.min_age"
    description: str
    reference: str
    values: tuple[tuple[date, Any], ...]  # sorted by date

    def on(self, day: date) -> Any:
        in_force = [value for start, value in self.values if start <= day]
        if not in_force:
            raise LookupError(f"{self.name} has no value on {day.isoformat()}")
        return in_force[-1]


@dataclass(frozen=True)
class RuleBook:
    """All parameters as they stand on one day."""

    day: date
    rules_version: str
    parameters: Mapping[str, Parameter]

    def __call__(self, name: str) -> Any:
        return self.parameters[name].on(self.day)


def rule_book(day: date) -> RuleBook:
    parameters, version = _load()
    return RuleBook(day, version, parameters)


def rules_version() -> str:
    return _load()[1]


def all_parameters() -> Mapping[str, Parameter]:
    return _load()[0]


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, Parameter], str]:
    parameters: dict[str, Parameter] = {}
    version = ""
    for file_name in PARAMETER_FILES:
        with open(PROGRAMS_DIR / file_name, encoding="utf-8") as handle:
            content = yaml.safe_load(handle)
        version = content.get("rules_version", version)
        for group, entries in content.items():
            if not isinstance(entries, dict) or group == "source":
                continue
            for key, entry in entries.items():
                name = f"{group}.{key}"
                values = tuple(sorted((_as_date(start), value) for start, value in entry["values"].items()))
                parameters[name] = Parameter(name, entry["description"], entry["reference"], values)
    if not version:
        raise ValueError("settings.yaml must set rules_version")
    return parameters, version


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
