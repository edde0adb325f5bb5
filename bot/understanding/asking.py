"""Whether a reply asks what the question means ("what is that?", "que es eso", "no entiendo")."""
from __future__ import annotations

import re

from bot.understanding.text import fold

_ASKS = re.compile(
    r"^(?:what|wat|wht|whats|what is|what does|what do you mean|why|huh|explain|"
    r"que|ke|q es|que es|que significa|como que|por que|porque|pq|xq|"
    r"i dont understand|dont understand|no entiendo|no entendi|"
    r"(?:no se|i dont know|dont know|idk) (?:que|lo que|what) (?:es|son|significa|that|this|it|eso|esto))\b"
)


def asks_what_it_means(text: str) -> bool:
    """A question of any kind: a question word first, or a question mark last."""
    folded = fold(text).folded.strip().lstrip("¿¡ ")
    return bool(folded) and (folded.endswith("?") or bool(_ASKS.match(folded)))


def opens_with_a_question_word(text: str) -> bool:
    """"what is snap", "que es eso": what it names is asked about, not stated ("I get SNAP")."""
    return bool(_ASKS.match(fold(text).folded.strip().lstrip("¿¡ ")))


def asks_something(text: str) -> bool:
    """A question anywhere in the message: a question mark ("60623, es gratis?") or a question
    word first. Wider than `is_a_question` (a question mark only at the end, or a question verb
    first): this one decides whether an answer may have a question beside it."""
    return "?" in text or opens_with_a_question_word(text)


# Where an answer ends and a question starts: "28 y si, cuanto dura la capacitacion?".
_LAST_BREAK_BEFORE_QUESTION = re.compile(r"^(?P<answer>.*\w.*?)\s*[,;.!]+\s*(?P<question>[^,;.!]*\?[\s?!]*)$")


def answer_before_question(text: str) -> str | None:
    """The part of a message before the question it ends with, when punctuation sets them apart:
    "60623, es gratis?" -> "60623"; None when the message is not an answer followed by a question."""
    match = _LAST_BREAK_BEFORE_QUESTION.match(text.strip())
    return match["answer"] if match else None


# A question of any kind: a question word or a verb that opens a question, first.
_OPENS_A_QUESTION = re.compile(
    r"^(?:(?:wait|ok|okay|so|and|but|hey|um|also)[\s,]+)?"
    r"(?:what|wat|wht|whats|when|where|wheres|who|whos|why|how|hows|which|"
    r"do|does|did|can|could|will|would|is|are|am|should|may|r u|u got|"
    r"que|cuando|donde|quien|como|cual|cuanto|cuantos|por que|porque|puedo|puede|pueden|hay|tienen|es|son)\b"
)


def is_a_question(text: str) -> bool:
    """"what time do yall close", "can u call me", "do i need a diploma?": a question, whatever
    it asks (the intake answers the ones it knows; see `asks_what_it_means` for the question
    itself)."""
    folded = fold(text).folded.strip().lstrip("¿¡ ")
    # One word ("Will", "es") is a reply, not a question, unless it asks with a question mark.
    return bool(folded) and (folded.endswith("?") or (" " in folded and bool(_OPENS_A_QUESTION.match(folded))))
