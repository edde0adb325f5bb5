"""English or Spanish for one text message, and whether it is clear enough to switch on.

Two signals are added as log-odds of Spanish over English:
- the words (function words, verb forms, texting abbreviations, accents, ¿ ¡ ñ), which carry
  short messages where character statistics have too little to work with;
- a character n-gram model trained on this project's tuning messages (bot/language/char_model.py),
  which carries words no list holds ("laborer", "dental assistant", "la villita"). Its vote is
  capped and counts less the more the word lists found: in Spanglish the grammar decides.
A prior leans to English, the default language of the service, so a short text with nothing
Spanish about it reads as English.

The weights were chosen by 5-fold cross-validation on the tuning messages (tests/language:
dev_messages.tsv, labelled_messages.tsv, tuning_messages.tsv), never on the held-out set
(heldout_messages.tsv), whose score `make test` prints.

Greetings, thanks and yes ("hola", "gracias", "si", "hi", "thanks") do give a guess ("hola" is
read as Spanish, so a first message "hola" starts a Spanish conversation) but never make a
message decisive: anyone in Chicago may text "hola", so alone it must not switch a conversation.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from bot.language import char_model
from bot.language.lexical_score import LexicalEvidence, score_words
from bot.language.lexicon import NEUTRAL_WORDS
from bot.language.text import SPANISH_ONLY_CHARACTERS, words

ENGLISH = "en"
SPANISH = "es"

_LEXICAL_WEIGHT = 1.5
_CHAR_MODEL_WEIGHT = 0.3
# On a word or two the model has seen little and its log-odds run high ("electrician" shares most
# of its letters with "electricista"): a small cap. From a sentence's worth of letters on it has
# real evidence and may count for more.
_CHAR_MODEL_SHORT_CAP = 2.0
_CHAR_MODEL_LONG_CAP_GAIN = 10.0
_CHAR_MODEL_FULL_TRUST_LETTERS = 15
_CHAR_MODEL_DEFERENCE = 0.5
_ENGLISH_PRIOR = 0.5

# A switch needs a confident answer resting on at least two words' worth of grammar, and the
# other language's words must not be close behind (Spanglish goes to its grammar's language,
# but a message that is half and half is no reason to switch).
_DECISIVE_CONFIDENCE = 0.9
_DECISIVE_SUPPORT = 2.0
_DECISIVE_MARGIN_RATIO = 2.0
# Or one word's worth of grammar, nothing against it, and the character model agreeing on a message
# long enough for its vote to mean something ("estoy embarazada", "no tengo carro").
_CORROBORATED_SUPPORT = 1.0
_CORROBORATING_CHAR_PROBABILITY = 0.9
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
    # Written both ways so math.exp never overflows: a 4,096-character message gives log-odds
    # of several thousand, and exp(-x) of one past -709 raised OverflowError.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    ratio = math.exp(x)
    return ratio / (1.0 + ratio)


def _char_model_vote(log_odds: float, letter_count: int, lexical_weight: float) -> float:
    cap = _CHAR_MODEL_SHORT_CAP + _CHAR_MODEL_LONG_CAP_GAIN * min(1.0, letter_count / _CHAR_MODEL_FULL_TRUST_LETTERS)
    capped = max(-cap, min(cap, log_odds))
    # Grammar words outrank letter statistics: in Spanglish the English nouns pull the letters
    # to English while "tienen ... para" says Spanish. So the more the word lists found, the
    # less the character model's vote counts.
    return _CHAR_MODEL_WEIGHT * capped / (1.0 + _CHAR_MODEL_DEFERENCE * lexical_weight)


def _is_decisive(
    language: str,
    confidence: float,
    evidence: LexicalEvidence,
    char_spanish_probability: float | None,
    letter_count: int,
) -> bool:
    if confidence < _DECISIVE_CONFIDENCE:
        return False
    if language == SPANISH:
        support, against = evidence.spanish_support, evidence.english_support
        char_agreement = char_spanish_probability
    else:
        support, against = evidence.english_support, evidence.spanish_support
        char_agreement = None if char_spanish_probability is None else 1 - char_spanish_probability
    if support >= _DECISIVE_SUPPORT and support >= _DECISIVE_MARGIN_RATIO * against:
        return True
    return (
        support >= _CORROBORATED_SUPPORT
        and against == 0
        and char_agreement is not None
        and char_agreement >= _CORROBORATING_CHAR_PROBABILITY
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
    char_log_odds, _ = char_model.spanish_log_odds(text)
    char_spanish_probability = _sigmoid(char_log_odds) if message_words else None
    spanish_log_odds = (
        _LEXICAL_WEIGHT * (evidence.spanish - evidence.english)
        + _char_model_vote(char_log_odds, letter_count, evidence.spanish + evidence.english)
        - _ENGLISH_PRIOR
    )
    spanish_probability = _sigmoid(spanish_log_odds)
    language = SPANISH if spanish_probability > 0.5 else ENGLISH
    confidence = max(spanish_probability, 1 - spanish_probability)
    return Detection(
        language=language,
        confidence=round(confidence, 4),
        decisive=_is_decisive(
            language, confidence, evidence, char_spanish_probability, letter_count
        ),
    )
