"""English or Spanish for one text message, and whether it is clear enough to switch on.

Two signals are added as log-odds of Spanish over English:
- the words (function words, verb forms, texting abbreviations, accents, ¿ ¡ ñ), which carry
  short messages where character statistics have too little to work with;
- langdetect's character n-grams restricted to English and Spanish, which carry words that no
  list holds. Its confidence is capped and scaled by length, since on a few letters it is
  overconfident.
A small prior leans to English, the default language of the service, so a tie goes to English.

Greetings, thanks and yes ("hola", "gracias", "si", "hi", "thanks") do give a guess ("hola" is
read as Spanish, so a first message "hola" starts a Spanish conversation) but never make a
message decisive: anyone in Chicago may text "hola", so alone it must not switch a conversation.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from bot.language import ngram_model
from bot.language.lexical_score import LexicalEvidence, score_words
from bot.language.lexicon import NEUTRAL_WORDS
from bot.language.text import SPANISH_ONLY_CHARACTERS, words

ENGLISH = "en"
SPANISH = "es"

_LEXICAL_WEIGHT = 1.5
_NGRAM_LOG_ODDS_CAP = 3.0
# Letters at which langdetect's vote counts in full; below, it counts in proportion.
_NGRAM_FULL_TRUST_LETTERS = 25
_NGRAM_DEFERENCE = 0.5
_ENGLISH_PRIOR = 0.2

# A switch needs a confident answer resting on at least two words' worth of grammar, and the
# other language's words must not be close behind (Spanglish goes to its grammar's language,
# but a message that is half and half is no reason to switch).
_DECISIVE_CONFIDENCE = 0.9
_DECISIVE_SUPPORT = 2.0
_DECISIVE_MARGIN_RATIO = 2.0
# Or one word's worth of grammar, nothing against it, and langdetect agreeing on a message
# long enough for its vote to mean something ("estoy embarazada", "no tengo carro").
_CORROBORATED_SUPPORT = 1.0
_CORROBORATING_NGRAM_PROBABILITY = 0.9
_CORROBORATED_MIN_LETTERS = 12
_CORROBORATED_MIN_WORDS = 2


@dataclass(frozen=True)
class Detection:
    """The language of one message.

    language: "en", "es", or None when the message has nothing to go on (digits, emoji, "ok").
    confidence: 0..1, how sure the guess is (0 when language is None).
    decisive: long and clear enough to justify switching a conversation's language.
    """

    language: str | None
    confidence: float
    decisive: bool


UNKNOWN = Detection(language=None, confidence=0.0, decisive=False)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _ngram_log_odds(
    probability: float | None, letter_count: int, lexical_weight: float
) -> float:
    if probability is None:
        return 0.0
    # Keep away from 0 and 1 so the log stays finite; the cap does the real limiting.
    probability = min(max(probability, 1e-6), 1 - 1e-6)
    log_odds = math.log(probability / (1 - probability))
    capped = max(-_NGRAM_LOG_ODDS_CAP, min(_NGRAM_LOG_ODDS_CAP, log_odds))
    length_trust = min(1.0, letter_count / _NGRAM_FULL_TRUST_LETTERS)
    # Grammar words outrank letter statistics: in Spanglish the English nouns pull the n-grams
    # to English while "tienen ... para" says Spanish. So the more the word lists found, the
    # less langdetect's vote counts.
    return capped * length_trust / (1.0 + _NGRAM_DEFERENCE * lexical_weight)


def _is_decisive(
    language: str,
    confidence: float,
    evidence: LexicalEvidence,
    ngram_spanish_probability: float | None,
    letter_count: int,
) -> bool:
    if confidence < _DECISIVE_CONFIDENCE:
        return False
    if language == SPANISH:
        support, against = evidence.spanish_support, evidence.english_support
        ngram_agreement = ngram_spanish_probability
    else:
        support, against = evidence.english_support, evidence.spanish_support
        ngram_agreement = None if ngram_spanish_probability is None else 1 - ngram_spanish_probability
    if support >= _DECISIVE_SUPPORT and support >= _DECISIVE_MARGIN_RATIO * against:
        return True
    return (
        support >= _CORROBORATED_SUPPORT
        and against == 0
        and ngram_agreement is not None
        and ngram_agreement >= _CORROBORATING_NGRAM_PROBABILITY
        and letter_count >= _CORROBORATED_MIN_LETTERS
        and evidence.word_count >= _CORROBORATED_MIN_WORDS
    )


def detect(text: str) -> Detection:
    message_words = words(text)
    spanish_marks = any(ch in SPANISH_ONLY_CHARACTERS for ch in text.lower())
    if not message_words and not spanish_marks:
        return UNKNOWN
    if all(word in NEUTRAL_WORDS for word in message_words) and not spanish_marks:
        return UNKNOWN

    evidence = score_words(text)
    letter_count = sum(len(word) for word in message_words)
    ngram_spanish_probability = ngram_model.spanish_probability(text)
    spanish_log_odds = (
        _LEXICAL_WEIGHT * (evidence.spanish - evidence.english)
        + _ngram_log_odds(
            ngram_spanish_probability, letter_count, evidence.spanish + evidence.english
        )
        - _ENGLISH_PRIOR
    )
    spanish_probability = _sigmoid(spanish_log_odds)
    language = SPANISH if spanish_probability > 0.5 else ENGLISH
    confidence = max(spanish_probability, 1 - spanish_probability)
    return Detection(
        language=language,
        confidence=round(confidence, 4),
        decisive=_is_decisive(
            language, confidence, evidence, ngram_spanish_probability, letter_count
        ),
    )
