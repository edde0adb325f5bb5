"""Find the sectors a seeker mentions: "cna", "trabajo en construccion", "forklif", "in IT"."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.answers import SECTOR_VALUES
from bot.understanding.text import FoldedText, Word, fold, fold_phrase, is_typo_of, words_of

SECTORS_FILE = Path(__file__).resolve().parents[2] / "data" / "sectors.yml"


@dataclass(frozen=True)
class SectorMatch:
    sector: str
    start: int  # character offsets in the seeker's original text
    end: int
    text: str  # the seeker's own words
    synonym: str  # the synonym they matched, as written in data/sectors.yml


@dataclass(frozen=True)
class Synonym:
    sector: str
    written: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Sector:
    id: str
    name_en: str
    name_es: str


@dataclass(frozen=True)
class SectorVocabulary:
    sectors: tuple[Sector, ...]
    synonyms: tuple[Synonym, ...]
    needs_job_context: frozenset[str]
    context_before: tuple[tuple[str, ...], ...]
    context_after: frozenset[str]
    not_sector_phrases: tuple[tuple[str, ...], ...]
    ordinary_words: frozenset[str]

    def sector(self, sector_id: str) -> Sector:
        return next(s for s in self.sectors if s.id == sector_id)


def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(word.text for word in words_of(fold_phrase(phrase)))


@lru_cache(maxsize=1)
def vocabulary() -> SectorVocabulary:
    """The sector words from data/sectors.yml, read on first use."""
    raw: dict[str, Any] = yaml.safe_load(SECTORS_FILE.read_text(encoding="utf-8"))
    sectors: list[Sector] = []
    synonyms: dict[tuple[str, tuple[str, ...]], Synonym] = {}
    for sector_id, entry in raw["sectors"].items():
        if sector_id not in SECTOR_VALUES:
            raise ValueError(f"unknown sector {sector_id!r} in {SECTORS_FILE}")
        sectors.append(Sector(sector_id, entry["name_en"], entry["name_es"]))
        for written in entry["synonyms"]:
            words = _phrase_words(written)
            synonyms.setdefault((sector_id, words), Synonym(sector_id, written, words))
    # Longest synonyms first, so "pharmacy tech" wins over "tech" when both fit.
    ordered = sorted(synonyms.values(), key=lambda s: (-len(s.words), -len(" ".join(s.words))))
    return SectorVocabulary(
        sectors=tuple(sectors),
        synonyms=tuple(ordered),
        needs_job_context=frozenset(fold_phrase(w) for w in raw.get("needs_job_context", [])),
        context_before=tuple(_phrase_words(p) for p in raw.get("context_before", [])),
        context_after=frozenset(fold_phrase(w) for w in raw.get("context_after", [])),
        not_sector_phrases=tuple(_phrase_words(p) for p in raw.get("not_sector_phrases", [])),
        ordinary_words=frozenset(fold_phrase(w) for w in raw.get("ordinary_words", [])),
    )


def _word_matches(word: str, target: str, ordinary: frozenset[str]) -> bool:
    if word == target:
        return True
    # Plurals: "nurses", "cnas", "cocineros", "electricians".
    if len(target) >= 3 and (word == target + "s" or word == target + "es"):
        return True
    if word in ordinary:
        return False
    return is_typo_of(word, target)


def _blocked_positions(words: list[Word], vocab: SectorVocabulary) -> set[int]:
    blocked: set[int] = set()
    texts = [w.text for w in words]
    for phrase in vocab.not_sector_phrases:
        size = len(phrase)
        for i in range(len(texts) - size + 1):
            if tuple(texts[i : i + size]) == phrase:
                blocked.update(range(i, i + size))
    return blocked


def _in_job_context(index: int, words: list[Word], message: FoldedText, vocab: SectorVocabulary) -> bool:
    """Whether a short everyday word like "it" is meant as the sector here."""
    word = words[index]
    if len(words) == 1:
        return True
    written = message.original_span(word.start, word.end)
    if written.isupper() and not message.original.isupper():
        return True
    if index + 1 < len(words) and words[index + 1].text in vocab.context_after:
        return True
    before = tuple(w.text for w in words[:index])
    return any(before[-len(phrase) :] == phrase for phrase in vocab.context_before)


@lru_cache(maxsize=1)
def _synonyms_by_first_letter() -> dict[str, tuple[tuple[int, Synonym], ...]]:
    """Synonyms grouped by the first letter of their first word, each with its rank (longest
    first). A word can only match a synonym that starts with its own first letter (misspellings
    keep it), so a message is compared with a few dozen synonyms instead of all of them."""
    groups: dict[str, list[tuple[int, Synonym]]] = {}
    for rank, synonym in enumerate(vocabulary().synonyms):
        groups.setdefault(synonym.words[0][:1], []).append((rank, synonym))
    return {letter: tuple(members) for letter, members in groups.items()}


def match_sectors(text: str) -> list[SectorMatch]:
    """Every sector mention in the text, in order, without overlaps (longest synonym wins)."""
    vocab = vocabulary()
    message = fold(text)
    words = words_of(message.folded)
    blocked = _blocked_positions(words, vocab)
    by_letter = _synonyms_by_first_letter()
    candidates: list[tuple[int, int, Synonym]] = []
    for i, word in enumerate(words):
        for rank, synonym in by_letter.get(word.text[:1], ()):
            size = len(synonym.words)
            if i + size <= len(words) and all(
                _word_matches(words[i + k].text, synonym.words[k], vocab.ordinary_words) for k in range(size)
            ):
                candidates.append((rank, i, synonym))
    # Longest synonyms claim their words first, then left to right.
    candidates.sort(key=lambda candidate: (candidate[0], candidate[1]))
    taken: set[int] = set()
    found: list[tuple[int, SectorMatch]] = []
    out_of_context: list[tuple[int, Synonym]] = []

    def take(i: int, synonym: Synonym) -> None:
        size = len(synonym.words)
        taken.update(range(i, i + size))
        start = message.original_start(words[i].start)
        end = message.original_end(words[i + size - 1].end)
        found.append((i, SectorMatch(synonym.sector, start, end, message.original[start:end], synonym.written)))

    for _, i, synonym in candidates:
        size = len(synonym.words)
        if any(j in taken or j in blocked for j in range(i, i + size)):
            continue
        if size == 1 and synonym.words[0] in vocab.needs_job_context:
            if not _in_job_context(i, words, message, vocab):
                out_of_context.append((i, synonym))
                continue
        take(i, synonym)
    # A list of jobs is a job context for the words in it: "warehouse o hospital". Not for "it",
    # which is a pronoun in most messages that also name a job ("hotel work, can you help with it").
    if found:
        for i, synonym in out_of_context:
            if i not in taken and len(synonym.words[0]) > 2:
                take(i, synonym)
    return [match for _, match in sorted(found, key=lambda pair: pair[0])]


def sectors_in(text: str) -> list[str]:
    """The distinct sectors mentioned, in the fixed order of bot.answers.SECTOR_VALUES."""
    mentioned = {match.sector for match in match_sectors(text)}
    return [sector for sector in SECTOR_VALUES if sector in mentioned]
