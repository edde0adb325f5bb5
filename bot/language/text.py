"""Turning a text message into the lowercase, accent-free words the language rules look at."""
from __future__ import annotations

import re
import unicodedata

# Apostrophes are kept inside words so "don't" and "i'm" stay one word; phones send three kinds.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")

SPANISH_ONLY_CHARACTERS = frozenset("ñ¿¡")
ACCENTED_VOWELS = frozenset("áéíóúü")


def strip_accents(text: str) -> str:
    """Remove accents (and the tilde of ñ) so "español" and "espanol" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Lowercase, accent-free words; digits, emoji and punctuation are dropped."""
    plain = strip_accents(text.lower().translate(_APOSTROPHES))
    return _WORD.findall(plain)


def words_with_accents(text: str) -> list[str]:
    """Lowercase words keeping accents and ñ, to spot Spanish spelling."""
    return re.findall(r"[^\W\d_]+", text.lower())
