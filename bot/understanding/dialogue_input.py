"""Turns an inbound text into what the dialogue receives.

Carrier keywords must work exactly, whatever the NLU thinks, so they become intents directly
(`/opt_out`, Rasa's syntax for "this intent, no NLU"). The HELP keyword has an intent of its own,
`help_keyword`, apart from the NLU's `help` ("i need help", "how does this work"): the carrier's
HELP always gets the HELP text and nothing more, while asking for help in words as a first
message starts the intake (the consent notice says who we are), which is what a person who
writes "yes i need help" to a layoff outreach text wants. A reply that picks one of the numbered
choices the bot just offered becomes that choice's payload, as a Telegram button press does.
A lone "0" asks for a person, unless 0 is one of the choices offered.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.understanding.numbered_choices import select_choice
from bot.understanding.keywords import classify_keyword, is_one_typo_away, is_resubscribe_word
from bot.understanding.text import bounded_prefix, fold_phrase

OPT_OUT = "/opt_out"
OPT_IN = "/opt_in"
# The HELP keyword's intent, named apart from the NLU's `help` (see above).
HELP_KEYWORD_INTENT = "help_keyword"
HELP = f"/{HELP_KEYWORD_INTENT}"
GREET = "/greet"
SWITCH_LANGUAGE = "/switch_language"
ASK_EVENTS = "/ask_events"
REQUEST_HUMAN = "/request_human"

# "Press 0 for a person", as on every phone line; unless the bot just offered a choice 0.
PERSON_DIGIT = "0"

# The dialogue reads at most an SMS's worth of a message (NLU and the actions' parsers); the whole
# text stays in the transcript for staff. A 4,096-character Telegram message read in full would
# hold both servers for every other conversation.
MAX_DIALOGUE_CHARACTERS = 1_600

# Telegram commands and what they mean here.
TELEGRAM_COMMANDS = {"stop": OPT_OUT, "help": HELP, "language": SWITCH_LANGUAGE, "idioma": SWITCH_LANGUAGE}


# What people text to reach a person, AGENT/AGENTE above all (every "Reply AGENT" tells them to).
_PERSON_WORDS = frozenset({
    "agent", "agente", "agents", "person", "persona", "human", "humano", "representative", "representante",
    "operator", "operador", "operadora", "staff", "real person", "a person", "una persona", "live agent",
    "talk to a person", "talk to someone", "hablar con alguien", "hablar con una persona", "un agente",
})


def asks_for_a_person(text: str) -> bool:
    """True when the whole message asks for a person ("AGENT", "agnet", "una persona", "0").
    Used where the NLU does not run first: while staff have the conversation, such a message
    still reaches the dialogue, which tells the person they are in line and the wait."""
    folded = " ".join(fold_phrase(bounded_prefix(text, 80)).replace("!", " ").replace(".", " ").split())
    if folded == PERSON_DIGIT or folded in _PERSON_WORDS:
        return True
    return len(folded) >= 5 and " " not in folded and any(
        is_one_typo_away(folded, word) for word in ("agent", "agente")
    )


@dataclass(frozen=True)
class DialogueInput:
    text: str
    # Read by actions: the keyword that was sent (for the consent ledger) and its language.
    metadata: dict[str, Any] = field(default_factory=dict)


def dialogue_input(
    text: str,
    *,
    opted_out: bool,
    offered_buttons: list[dict[str, str]] | None,
    command: str | None = None,
    command_payload: str | None = None,
    language: str | None = None,
) -> DialogueInput:
    """`command` is a Telegram command without its slash ("start"), if the message was one."""
    if command is not None:
        return _command_input(command, command_payload, opted_out, text, language)
    keyword = classify_keyword(text)
    if keyword is not None and keyword.kind == "opt_in" and not opted_out:
        keyword = None  # "start"/"empezar" mid-conversation means the words, not re-subscribing
    if keyword is not None:
        intent = {"opt_out": OPT_OUT, "opt_in": OPT_IN, "help": HELP}[keyword.kind]
        metadata: dict[str, Any] = {"keyword": keyword.keyword}
        if keyword.language:
            metadata["keyword_language"] = keyword.language
        return DialogueInput(intent, metadata)
    if opted_out and is_resubscribe_word(text):
        return DialogueInput(OPT_IN, {"keyword": text.strip().upper()[:40]})
    if offered_buttons:
        payload = select_choice(text, offered_buttons)
        if payload is not None:
            return DialogueInput(payload, {"chose": text.strip()[:40]})
    if text.strip() == PERSON_DIGIT and not _offers_zero(offered_buttons):
        return DialogueInput(REQUEST_HUMAN, {"keyword": PERSON_DIGIT})
    return DialogueInput(as_words(text))


def _offers_zero(buttons: list[dict[str, str]] | None) -> bool:
    """Choices are numbered from 1, so only a choice that is itself "0" makes 0 an answer."""
    return any(
        PERSON_DIGIT in (str(button.get("title", "")).strip(), str(button.get("payload", "")).strip())
        for button in buttons or []
    )


def as_words(text: str) -> str:
    """A person's own text never reaches Rasa as "/intent" syntax: leading slashes are dropped;
    and never more of it than the dialogue reads."""
    words = text.lstrip().lstrip("/").lstrip() if text.lstrip().startswith("/") else text
    return bounded_prefix(words, MAX_DIALOGUE_CHARACTERS)


def _command_input(
    command: str, payload: str | None, opted_out: bool, text: str, language: str | None
) -> DialogueInput:
    keyword = {"keyword": f"/{command}"}
    if command == "start":
        # /start after blocking or /stop is the Telegram way of coming back.
        if opted_out:
            return DialogueInput(OPT_IN, keyword)
        return DialogueInput(GREET, {**keyword, "deep_link": payload} if payload else keyword)
    intent = TELEGRAM_COMMANDS.get(command)
    if intent == SWITCH_LANGUAGE:
        # "/language" names no language: it means "the other one" (/idioma from English too).
        # The target is fixed here, so reading the message twice cannot flip it back.
        return DialogueInput(intent, {**keyword, "switch_to": "en" if language == "es" else "es"})
    if intent is None:
        # An unknown command is read as words ("/trabajo" -> "trabajo").
        return DialogueInput(as_words(" ".join(part for part in (command, payload) if part) or text))
    return DialogueInput(intent, keyword)
