"""A small helper for phrase rules: regular expressions over folded text that give a value."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.understanding.text import is_negated


@dataclass(frozen=True)
class PhraseRule:
    value: Any
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class RuleHit:
    value: Any
    start: int
    end: int
    negated: bool  # a "no"/"not"/"never" shortly before, in the same clause


def rules(value: Any, *patterns: str) -> tuple[PhraseRule, ...]:
    """Rules giving `value`, one per pattern; patterns are matched as whole words."""
    return tuple(PhraseRule(value, re.compile(rf"(?<![a-z0-9])(?:{p})(?![a-z0-9])")) for p in patterns)


def find_hits(folded: str, phrase_rules: tuple[PhraseRule, ...], negation_window: int = 3) -> list[RuleHit]:
    """Every rule match in text order."""
    hits = [
        RuleHit(rule.value, m.start(), m.end(), is_negated(folded, m.start(), negation_window))
        for rule in phrase_rules
        for m in rule.pattern.finditer(folded)
    ]
    return sorted(hits, key=lambda hit: (hit.start, -hit.end))
