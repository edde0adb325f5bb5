"""Canned replies for the conversation page, from data/handoff/canned_replies.yml."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.store.vocabulary import LANGUAGES

CANNED_REPLIES_FILE = Path(__file__).resolve().parents[2] / "data" / "handoff" / "canned_replies.yml"


@dataclass(frozen=True)
class CannedReply:
    id: str
    title: str
    # One text per language in LANGUAGES.
    texts: tuple[tuple[str, str], ...]

    def text(self, language: str) -> str:
        return dict(self.texts)[language]


def load_canned_replies(path: Path = CANNED_REPLIES_FILE) -> tuple[CannedReply, ...]:
    """Every reply, in file order; ValueError naming the entry when one lacks a language or an id
    repeats (a file error should stop the console at start, not show half a menu)."""
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    replies: list[CannedReply] = []
    seen: set[str] = set()
    for position, entry in enumerate(document.get("replies") or [], start=1):
        reply_id = str(entry.get("id") or "").strip()
        if not reply_id or reply_id in seen:
            raise ValueError(f"{path.name}: reply {position} needs a unique id")
        seen.add(reply_id)
        missing = [language for language in LANGUAGES if not str(entry.get(language) or "").strip()]
        if missing:
            raise ValueError(f"{path.name}: reply {reply_id!r} has no text in {', '.join(missing)}")
        replies.append(
            CannedReply(
                id=reply_id,
                title=str(entry.get("title") or reply_id),
                texts=tuple((language, str(entry[language]).strip()) for language in LANGUAGES),
            )
        )
    return tuple(replies)


@lru_cache(maxsize=1)
def canned_replies() -> tuple[CannedReply, ...]:
    return load_canned_replies()
