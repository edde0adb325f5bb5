"""A character n-gram model of English against Spanish text messages, trained on this project's
own tuning messages (bot/language/training.py) and shipped as data (data/char_ngrams.json).

langdetect's profiles were built from Wikipedia: on a two-word text such as "restaurant jobs",
"dental assistant" or "laborer" its letters look Spanish. This model has seen how career seekers
text in both languages (short answers, sector words, Spanglish, place names) and scores those by
naive Bayes over the 1- to 4-letter pieces of each word, padded with spaces so beginnings and
endings count. Pure: standard library only; the table is read once, on first use.
"""
from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent / "data" / "char_ngrams.json"
ORDERS = (1, 2, 3, 4)
# Add-alpha smoothing: a piece never seen in one language is not proof of the other.
SMOOTHING = 0.5

_model: "CharModel | None" = None
_model_lock = threading.Lock()


def pieces(text: str) -> list[str]:
    """The character n-grams naive Bayes counts: per word, lowercase, accents kept (ñ and á are
    evidence), each word padded with one space on both sides."""
    found: list[str] = []
    for word in "".join(ch if ch.isalpha() or ch == "'" else " " for ch in text.lower()).split():
        padded = f" {word} "
        for order in ORDERS:
            found.extend(padded[i : i + order] for i in range(len(padded) - order + 1) if padded[i : i + order].strip())
    return found


class CharModel:
    """Per-language n-gram counts and the log-odds of Spanish they give a text."""

    def __init__(self, counts: Mapping[str, Mapping[str, int]]) -> None:
        self._counts = counts
        self._totals = {language: sum(table.values()) for language, table in counts.items()}
        self._vocabulary = len(set(counts["en"]) | set(counts["es"]))

    def _log_probability(self, piece: str, language: str) -> float:
        count = self._counts[language].get(piece, 0)
        return math.log((count + SMOOTHING) / (self._totals[language] + SMOOTHING * self._vocabulary))

    def spanish_log_odds(self, text: str) -> tuple[float, int]:
        """(log P(text | es) - log P(text | en) averaged per letter-piece of order 3 and up
        times the number of words, how many pieces were scored). Averaging keeps a long message
        from drowning the word lists; the word count gives more words more weight."""
        scored = pieces(text)
        if not scored:
            return 0.0, 0
        total = sum(self._log_probability(p, "es") - self._log_probability(p, "en") for p in scored)
        return total, len(scored)

    def to_json(self) -> dict:
        return {"orders": list(ORDERS), "smoothing": SMOOTHING, "counts": self._counts}


def train(examples: Iterable[tuple[str, str]]) -> CharModel:
    """Counts the pieces of (text, "en"|"es") examples."""
    counts: dict[str, dict[str, int]] = {"en": {}, "es": {}}
    for text, language in examples:
        table = counts[language]
        for piece in pieces(text):
            table[piece] = table.get(piece, 0) + 1
    return CharModel(counts)


def load(path: Path = MODEL_FILE) -> CharModel:
    with path.open(encoding="utf-8") as handle:
        document = json.load(handle)
    return CharModel(document["counts"])


def model() -> CharModel:
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = load()
    return _model


def spanish_log_odds(text: str) -> tuple[float, int]:
    return model().spanish_log_odds(text)
