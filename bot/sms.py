"""SMS cost rules: which encoding a text needs and how many billed segments it takes. Pure.

GSM-7 (3GPP TS 23.038) fits 160 characters in one segment, 153 per segment when split; the
extension characters count twice. One character outside GSM-7 turns the whole message into UCS-2:
70 characters, 67 per segment, and characters beyond the Basic Multilingual Plane (most emoji)
count twice. Spanish á, í, ó, ú are outside GSM-7, so `fold_to_gsm` writes them without the
accent for SMS (é, ñ, ü, ¿, ¡ are inside and stay).
"""
from __future__ import annotations

import unicodedata

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

# Characters people and editors type that have a plain GSM-7 equivalent.
_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u00a0": " ", "\u2022": "-", "\t": " ",
}

MAX_SEGMENTS = 3  # the product's budget per message (Twilio advises 320 characters or fewer)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)


def fold_to_gsm(text: str) -> str:
    """The text as the SMS channel sends it: accents GSM-7 lacks removed, so Spanish costs what
    English costs. Characters with no plain equivalent (emoji) are kept; they make it UCS-2."""
    folded = []
    for ch in text:
        if ch in GSM_BASIC or ch in GSM_EXTENSION:
            folded.append(ch)
        elif ch in _REPLACEMENTS:
            folded.append(_REPLACEMENTS[ch])
        else:
            base = unicodedata.normalize("NFKD", ch)[0]
            folded.append(base if base in GSM_BASIC else ch)
    return "".join(folded)


def segments(text: str) -> int:
    """Billed segments for this exact text (no folding)."""
    if not text:
        return 1
    if is_gsm7(text):
        units = sum(2 if ch in GSM_EXTENSION else 1 for ch in text)
        return 1 if units <= 160 else -(-units // 153)
    units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
    return 1 if units <= 70 else -(-units // 67)
