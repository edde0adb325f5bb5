"""Ages written in words: "twenty two", "twenty-two", "veinte", "veintidos", "treinta y cinco".

Only 10 to 99 are read (the ages a seeker can have); small counts ("two kids", "dos hijos") are left
alone. The words are replaced by digits padded with spaces to the same length, so every offset in
the folded text stays where it was and spans found in the spelled-out text can be blanked in the
original one.
"""
from __future__ import annotations

import re

_EN_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_EN_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
# "once" (11) is left out: in English it means "one time".
_ES_TEENS = {
    "diez": 10, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciseis": 16,
    "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiun": 21,
    "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26,
    "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
}
_ES_TENS = {
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80,
    "noventa": 90,
}
_ES_UNITS = {
    "uno": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9,
}


def _alternatives(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_SPELLED = re.compile(
    r"(?<![a-z0-9])(?:"
    rf"(?P<en_tens>{_alternatives(_EN_TENS)})(?:[ -](?P<en_unit>{_alternatives(_EN_UNITS)}))?"
    rf"|(?P<es_tens>{_alternatives(_ES_TENS)}|veinte)(?: y (?P<es_unit>{_alternatives(_ES_UNITS)}))?"
    rf"|(?P<en_teen>{_alternatives(_EN_TEENS)})"
    rf"|(?P<es_teen>{_alternatives(_ES_TEENS)})"
    r")(?![a-z0-9])"
)


def _value(match: re.Match[str]) -> int:
    if match["en_tens"]:
        return _EN_TENS[match["en_tens"]] + (_EN_UNITS[match["en_unit"]] if match["en_unit"] else 0)
    if match["es_tens"]:
        tens = 20 if match["es_tens"] == "veinte" else _ES_TENS[match["es_tens"]]
        # "veinte y dos" is an older spelling of "veintidos", still texted.
        return tens + (_ES_UNITS[match["es_unit"]] if match["es_unit"] else 0)
    if match["en_teen"]:
        return _EN_TEENS[match["en_teen"]]
    return _ES_TEENS[match["es_teen"]]


def spell_out_numbers(folded: str) -> str:
    """The folded text with spelled numbers 10-99 written as digits, same length, same offsets."""

    def as_digits(match: re.Match[str]) -> str:
        return str(_value(match)).ljust(len(match.group()))

    return _SPELLED.sub(as_digits, folded)
