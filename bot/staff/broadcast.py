"""A text from staff to an event's registrants: who gets it, in which language (pure: no Flask,
no database)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.reports.registrants import Registrant
from bot.staff.reply_rules import MAX_REPLY_LENGTH
from bot.store.vocabulary import CONSENT_OPTED_OUT

@dataclass(frozen=True)
class BroadcastMessage:
    registrant: Registrant
    language: str
    text: str


@dataclass(frozen=True)
class BroadcastPlan:
    messages: tuple[BroadcastMessage, ...]
    opted_out: int


def broadcast_problem(text_en: str, text_es: str) -> str | None:
    """What is wrong with the texts typed, or None."""
    if not text_en.strip() and not text_es.strip():
        return "Write the text to send, in English, Spanish or both."
    for language, text in (("English", text_en), ("Spanish", text_es)):
        if len(text.strip()) > MAX_REPLY_LENGTH:
            return f"The {language} text is longer than {MAX_REPLY_LENGTH} characters; shorten it."
    return None


def plan_broadcast(people: Sequence[Registrant], text_en: str, text_es: str) -> BroadcastPlan:
    """One text per person in their language when it was written, else in the one that was;
    people who opted out get nothing (and are counted)."""
    texts = {language: text.strip() for language, text in (("en", text_en), ("es", text_es)) if text.strip()}
    fallback = "en" if "en" in texts else "es"
    messages = []
    opted_out = 0
    for person in people:
        if person.consent_status == CONSENT_OPTED_OUT:
            opted_out += 1
            continue
        language = person.language if person.language in texts else fallback
        messages.append(BroadcastMessage(person, language, texts[language]))
    return BroadcastPlan(tuple(messages), opted_out)
