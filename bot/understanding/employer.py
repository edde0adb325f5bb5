"""The employer in a reply to "Where were you laid off from?": "at Amazon" -> "Amazon",
"en la Target" -> "Target", "I worked at Mariano's for 5 years" -> "Mariano's". The seeker's own
spelling is kept; only the words around the name go."""
from __future__ import annotations

import re

from bot.understanding.text import fold

MAX_EMPLOYER_LENGTH = 60

_LEAD = re.compile(
    r"^(?:(?:i|yo)\s+)?(?:(?:was|got|were)\s+)?(?:"
    r"worked|used to work|was working|work|laid off|layed off|let go|fired|"
    r"trabajaba|trabaje|trabajo|me despidieron|me corrieron|it was|its|it is|"
    r"(?:the company|la compania|la empresa|my employer|mi empleador|mi trabajo)(?: (?:is|was|es|era|fue))?|"
    r"era|es|fue)?\s*"
    r"(?:(?:at|from|for|with|by|en|de|del|con|para)\s+)?(?:(?:la|el|the)\s+(?=\S+\s*\S))?"
)
# Where the employer's name stops: a time phrase, a reason, a second clause.
_TAIL = re.compile(
    r"\s+(?:for \d|for (?:a|one|two|three|many|like)|last|since|until|in (?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december|\d)|on \d|hace|desde|por \d|por (?:un|dos|tres|muchos)|el (?:mes|ano)|"
    r"because|porque|about|like|ago|yesterday|ayer|and|but|pero|y (?:ahora|me|no|tengo)|\d+ (?:years|weeks|months|anos|meses|semanas))\b.*$"
)


def clean_employer(text: str) -> str | None:
    """The employer's name from a free-text reply, or None when nothing name-like is left."""
    message = fold(text)
    folded = message.folded.rstrip(" .!?,;")
    lead = _LEAD.match(folded)
    start = lead.end() if lead else 0
    tail = _TAIL.search(folded, start)
    end = tail.start() if tail else len(folded)
    if end <= start:
        return None
    name = message.original_span(start, end).strip(" .,!?;:\"'")
    if not name or not re.search(r"[^\W\d_]", name) or len(name) > MAX_EMPLOYER_LENGTH:
        return None
    return name
