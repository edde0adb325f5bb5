"""ZIP codes in a message: "60623", "my zip is 60623", "codigo postal 60629", "60623-1234"."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.understanding.text import fold

# A five-digit number on its own is a ZIP (never an age or a year), unless it is money.
_FIVE_DIGITS = re.compile(r"(?<![\d$.,/-])(\d{5})(?:-\d{4})?(?![\d]|[.,/:-]\d)")
_MONEY_AFTER = re.compile(r"^\s*(?:k\b|dollars|dolares|usd|bucks|a year|per year|a yr|/yr|al ano|por ano|anual)")
_MONEY_BEFORE = re.compile(r"(?:\$|usd|make|made|earn|earned|gane|gano|salary|salario|pay|paid)\s*$")


@dataclass(frozen=True)
class ZipMention:
    zip_code: str
    start: int  # span in the folded text, including a "+4" suffix
    end: int


def find_zip_codes(folded: str) -> list[ZipMention]:
    """Every ZIP code in the folded text, in order."""
    mentions = []
    for match in _FIVE_DIGITS.finditer(folded):
        if match[1] == "00000":
            continue
        if _MONEY_AFTER.match(folded[match.end() :]) or _MONEY_BEFORE.search(folded[: match.start()]):
            continue
        mentions.append(ZipMention(match[1], match.start(), match.end()))
    return mentions


# "60632 not 60629", "60632 no 60629", "no es 60629, es 60632": the ZIP right after these is the
# wrong one. Only right after: "60623 no perdon 60629" corrects with the last one.
_DENIED_BEFORE = re.compile(
    r"(?:^|[\s,])(?:no|not|ni|nope|isnt|wasnt|aint|instead of|rather than|no es|no era|en vez de|en lugar de)"
    r"\s*(?:the |my |el |mi )?$"
)


def is_denied(folded: str, mention: ZipMention) -> bool:
    """Whether the text says this ZIP is not theirs ("60632 not 60629")."""
    return bool(_DENIED_BEFORE.search(folded[: mention.start]))


def find_zip_code(folded: str) -> ZipMention | None:
    """The ZIP the seeker means: the last one, since a correction comes after the mistake
    ("60623 no perdon 60629")."""
    mentions = find_zip_codes(folded)
    return mentions[-1] if mentions else None


_NAMES_THE_ZIP_CODE = re.compile(r"(?<![a-z])(?:zip|zipcode|codigo|postal|cp)(?![a-z])")


def names_the_zip_code(text: str) -> bool:
    """"pq necesitan mi zip?", "para que quieren mi codigo postal": a question about the ZIP names it
    (a question about WIOA asked while the ZIP is pending is not one)."""
    return bool(_NAMES_THE_ZIP_CODE.search(fold(text).folded))
