"""Checks on what callers hand the store, so bad input fails loudly before it reaches SQL.

Error messages name the problem, never the value: values can be phone numbers or answers.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from bot.answers import ALL_ANSWERS
from bot.store.vocabulary import ADDRESS_MAX, CHANNEL_MAX, KEYWORD_MAX, LANGUAGES, RULES_VERSION_MAX

_CHANNEL_PATTERN = re.compile(rf"[a-z0-9_\-]{{1,{CHANNEL_MAX}}}")
_KNOWN_ANSWERS = frozenset(ALL_ANSWERS)


def checked_channel(channel: str) -> str:
    """Channel names are lowercase identifiers (`twilio`, `telegram`, `rest`)."""
    normalized = channel.strip().lower() if isinstance(channel, str) else ""
    if not _CHANNEL_PATTERN.fullmatch(normalized):
        raise ValueError(f"channel must be 1-{CHANNEL_MAX} letters, digits, '_' or '-'")
    return normalized


def checked_address(address: str) -> str:
    """The address is kept as the channel gave it, minus surrounding spaces."""
    if isinstance(address, int) and not isinstance(address, bool):
        address = str(address)  # Telegram chat ids arrive as integers
    stripped = address.strip() if isinstance(address, str) else ""
    if not stripped or len(stripped) > ADDRESS_MAX:
        raise ValueError(f"address must be 1-{ADDRESS_MAX} characters")
    return stripped


def checked_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    return language


def checked_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the shared answer names (bot.answers) are stored: nothing else about a seeker."""
    if not isinstance(answers, Mapping):
        raise TypeError("answers must be a mapping of answer name to value")
    unknown = sorted(str(name) for name in answers if name not in _KNOWN_ANSWERS)
    if unknown:
        raise ValueError(f"not answer names from bot.answers: {', '.join(unknown)}")
    return checked_json_document(answers, "answers")


def checked_json_document(document: Mapping[str, Any], what: str) -> dict[str, Any]:
    """A plain-JSON copy; dates, sets and NaN are refused here rather than half-way into SQL."""
    if not isinstance(document, Mapping):
        raise TypeError(f"{what} must be a mapping")
    try:
        return json.loads(json.dumps(dict(document), allow_nan=False))
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{what} must hold only JSON values (str, number, bool, list, dict)"
        ) from error


def checked_rules_version(rules_version: str | None) -> str | None:
    if rules_version is None:
        return None
    if not isinstance(rules_version, str) or not 0 < len(rules_version) <= RULES_VERSION_MAX:
        raise ValueError(f"rules_version must be 1-{RULES_VERSION_MAX} characters")
    return rules_version


def clipped_keyword(keyword: str | None) -> str | None:
    """The word that triggered a consent event, whitespace collapsed and cut short.

    Cut because it is evidence of intent ("STOP", "BAJA"), not a place to keep whole messages.
    """
    if keyword is None:
        return None
    collapsed = " ".join(str(keyword).split())
    return collapsed[:KEYWORD_MAX] or None
