"""SMS cost rules: which encoding a text needs and how many billed segments it takes. Pure.

GSM-7 (3GPP TS 23.038) fits 160 characters in one segment, 153 per segment when split; the
extension characters count twice. One character outside GSM-7 turns the whole message into UCS-2:
70 characters, 67 per segment, and characters beyond the Basic Multilingual Plane (most emoji)
count twice. Spanish á, í, ó, ú are outside GSM-7, so `fold_to_gsm` writes them without the
accent for SMS (é, ñ, ü, ¿, ¡ are inside and stay).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

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


# Numbered choices: SMS has no buttons, so the options go after the text. The text added is plain
# ASCII, so it never makes a message UCS-2 by itself; titles are used as written and folded with
# the rest of the message by `sms_body`. A button is a mapping with "title" and "payload".
Button = Mapping[str, str]

# Inline ("Reply 1 for Yes, 2 for No") reads as an instruction and suits a few short titles.
# Beyond that, one option per line costs fewer characters (3 per option against 8 in English,
# 9 in Spanish) and stays readable on a small screen, where a long inline list wraps mid-option.
# A title with a comma ("Yes, I get them") goes on its own line too: inline, its comma would
# read as the end of the option.
MAX_INLINE_OPTIONS = 3
MAX_INLINE_TITLE_LENGTH = 20

_INLINE_TEMPLATES = {
    "en": ("Reply ", "{number} for {title}", ", "),
    "es": ("Responde ", "{number} para {title}", ", "),
}


def sms_choice_text(buttons: Sequence[Button], language: str) -> str:
    """The line(s) the SMS channel appends to the bot's text: "Reply 1 for Yes, 2 for No" for up
    to three short titles, otherwise one numbered option per line. Spanish for "es", English for
    any other language. Empty when there are no buttons."""
    titles = [" ".join(str(button.get("title", "")).split()) for button in buttons]
    if not titles:
        return ""
    fits_inline = len(titles) <= MAX_INLINE_OPTIONS and all(
        len(title) <= MAX_INLINE_TITLE_LENGTH and "," not in title for title in titles
    )
    if not fits_inline:
        return "\n".join(f"{number} {title}" for number, title in enumerate(titles, start=1))
    lead, item, separator = _INLINE_TEMPLATES.get(language, _INLINE_TEMPLATES["en"])
    return lead + separator.join(
        item.format(number=number, title=title) for number, title in enumerate(titles, start=1)
    )


def sms_body(text: str, buttons: Sequence[Button] | None, language: str) -> str:
    """The whole SMS for a bot message: its text, its choices as numbers, folded to GSM-7 where
    a character has a plain equivalent (an accent outside GSM-7 would double the cost)."""
    if buttons:
        text = f"{text}\n{sms_choice_text(buttons, language)}"
    return fold_to_gsm(text)
