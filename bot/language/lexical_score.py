"""Evidence for English or Spanish from the words, spelling and punctuation of a message."""
from __future__ import annotations

from dataclasses import dataclass

from bot.language.lexicon import (
    COURTESY_WORDS,
    ENGLISH_ENDINGS,
    NAME_PARTICLES,
    ENGLISH_WORDS,
    NEUTRAL_WORDS,
    SPANISH_ENDINGS,
    SPANISH_WORDS,
)
from bot.language.text import ACCENTED_VOWELS, SPANISH_ONLY_CHARACTERS, words, words_with_accents

# A word ending counts only if the word is clearly longer than the ending ("dad" is not "-dad").
_MIN_STEM_LETTERS = 3
# ¿ ¡ ñ and accents are near proof of Spanish, but one accent can be a phone's autocorrect.
_SPANISH_MARK_WEIGHT = 1.0
_ACCENTED_WORD_WEIGHT = 0.6
_MAX_SPELLING_WEIGHT = 2.0


@dataclass(frozen=True)
class LexicalEvidence:
    """How much the words of a message point to each language.

    `*_support` counts the same evidence except greetings, thanks and yes/no, which anyone may
    send, and the small words of surnames: it is what a switch of the conversation's language
    may rest on.
    """

    spanish: float
    english: float
    spanish_support: float
    english_support: float
    word_count: int
    informative_word_count: int


def _ending_weight(word: str, endings: tuple[tuple[str, float], ...]) -> float:
    for ending, weight in endings:
        if word.endswith(ending) and len(word) >= len(ending) + _MIN_STEM_LETTERS:
            return weight
    return 0.0


def _spelling_weight(text: str) -> float:
    """Spanish-only characters and accented words, capped so one long message cannot run away."""
    lowered = text.lower()
    weight = _SPANISH_MARK_WEIGHT * sum(1 for ch in lowered if ch in SPANISH_ONLY_CHARACTERS)
    accented_words = [w for w in words_with_accents(lowered) if ACCENTED_VOWELS & set(w)]
    weight += _ACCENTED_WORD_WEIGHT * len(accented_words)
    return min(weight, _MAX_SPELLING_WEIGHT)


def score_words(text: str) -> LexicalEvidence:
    spanish = english = spanish_support = english_support = 0.0
    message_words = words(text)
    informative = 0
    for word in message_words:
        if word in NEUTRAL_WORDS:
            continue
        if word in SPANISH_WORDS or word in ENGLISH_WORDS:
            to_spanish = SPANISH_WORDS.get(word, 0.0)
            to_english = ENGLISH_WORDS.get(word, 0.0)
        else:
            to_spanish = _ending_weight(word, SPANISH_ENDINGS)
            to_english = _ending_weight(word, ENGLISH_ENDINGS)
        if to_spanish or to_english:
            informative += 1
        spanish += to_spanish
        english += to_english
        if word not in COURTESY_WORDS and word not in NAME_PARTICLES:
            spanish_support += to_spanish
            english_support += to_english

    spelling = _spelling_weight(text)
    return LexicalEvidence(
        spanish=spanish + spelling,
        english=english,
        spanish_support=spanish_support + spelling,
        english_support=english_support,
        word_count=len(message_words),
        informative_word_count=informative,
    )
