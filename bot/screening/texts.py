"""Seeker-facing words for reasons and documents, read from data/programs/ (English and Spanish)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

PROGRAMS_DIR = Path(__file__).resolve().parents[2] / "data" / "programs"
LANGUAGES = ("en", "es")

# Reasons whose {topic} comes from the per-answer topic table.
_TOPIC_REASONS = ("missing_answer", "unknown_answer")


def reason_text(code: str, params: Mapping[str, Any], language: str) -> str:
    """One plain sentence for a reason code in 'en' or 'es' (KeyError for an unknown code)."""
    language = _checked(language)
    texts = _reason_file()
    template = texts["reasons"][code][language]
    values = dict(params)
    if code in _TOPIC_REASONS:
        values["topic"] = texts["topics"][params["answer"]][language]
    return template.format(**values)


def reason_codes() -> frozenset[str]:
    return frozenset(_reason_file()["reasons"])


def topic_answers() -> frozenset[str]:
    return frozenset(_reason_file()["topics"])


def document_name(document_id: str, language: str) -> str:
    return _document_file()["documents"][document_id][_checked(language)]


def program_documents(program: str) -> tuple[str, ...]:
    return tuple(_document_file()["programs"][program])


def conditional_documents(program: str) -> Mapping[str, str]:
    """Document id -> the fact about the seeker that adds it to `program`'s list (documents.yaml `when`)."""
    return {
        document: rule["fact"]
        for document, rule in _document_file()["when"].items()
        if program in rule["programs"]
    }


def _checked(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    return language


@lru_cache(maxsize=1)
def _reason_file() -> dict:
    with open(PROGRAMS_DIR / "reasons.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def _document_file() -> dict:
    with open(PROGRAMS_DIR / "documents.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)
