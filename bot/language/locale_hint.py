"""A channel's language hint, such as Telegram's `language_code`, as "en", "es" or None."""
from __future__ import annotations

import re

# Two-letter (ISO 639-1) and three-letter (ISO 639-2/3) codes of the two languages we serve.
_PRIMARY_CODES = {"en": "en", "eng": "en", "es": "es", "spa": "es"}


def language_from_locale(code: str | None) -> str | None:
    """ "es-MX", "es_419", "ES" -> "es"; "en", "en-US" -> "en"; anything else or None -> None."""
    if not code:
        return None
    primary = re.split(r"[-_.@]", code.strip().lower(), maxsplit=1)[0]
    return _PRIMARY_CODES.get(primary)
