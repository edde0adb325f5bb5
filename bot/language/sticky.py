"""The sticky-language rule: which language a conversation continues in after a message.

A conversation keeps its language unless the seeker asks for the other one or writes a message
that is clearly in it. Short answers ("si", "ok", "60623", "yes", a name, 👍) never flip it:
people answer in whatever is quickest to type, and a wrong switch in the middle of a screening
is worse than staying put.
"""
from __future__ import annotations

from bot.language.detection import ENGLISH, detect
from bot.language.switch_request import explicit_request

DEFAULT_LANGUAGE = ENGLISH


def choose_language(current: str | None, text: str) -> str:
    """The conversation's language after `text`; `current` is None for a first message."""
    requested = explicit_request(text)
    if requested:
        return requested
    detection = detect(text)
    if current is None:
        # First message: the best guess, however weak; English when there is nothing to go on.
        return detection.language or DEFAULT_LANGUAGE
    if detection.decisive and detection.language:
        return detection.language
    return current
