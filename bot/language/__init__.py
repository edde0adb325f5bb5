"""English/Spanish detection for short text messages and the sticky-language rule.

Pure: standard library only; the character model's table (data/char_ngrams.json) loads on first use.
"""
from __future__ import annotations

from bot.language.detection import ENGLISH, SPANISH, Detection, detect
from bot.language.locale_hint import language_from_locale
from bot.language.sticky import DEFAULT_LANGUAGE, choose_language
from bot.language.switch_request import explicit_request

__all__ = [
    "DEFAULT_LANGUAGE",
    "ENGLISH",
    "SPANISH",
    "Detection",
    "choose_language",
    "detect",
    "explicit_request",
    "language_from_locale",
]
