"""The dialogue's response texts as the repository ships them (flows/*/domain.yml), read once by
the action server.

The summary measures a response against the SMS budget before choosing it. It used to be sent
Rasa's whole domain for that (42 KB of JSON on each of two calls per intake, serialised by the
Rasa server and parsed again here); the texts are the same files the model was trained from.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

FLOWS = Path(__file__).resolve().parents[2] / "flows"


@lru_cache(maxsize=1)
def shipped_responses() -> dict[str, list[dict[str, Any]]]:
    """Every response of every flow's domain, by name."""
    responses: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(FLOWS.glob("*/domain.yml")):
        responses.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return responses
