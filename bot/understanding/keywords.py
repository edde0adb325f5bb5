"""Carrier and consent keywords (STOP, START, HELP and their Spanish forms), read exactly. Pure.

These words must work whatever the NLU thinks, so they are matched before it: only when the whole
message is the keyword. "STOP", "stop!!", "*Stop*", "opt-out", "stop all", "ALTO." match;
"stop by the center tomorrow" or "help me find a job" do not, and go to the NLU like any message
(its `opt_out` intent catches the free-form "stop texting me", "ya no me escriban").

Folding: case, accents ("SUSCRIPCIÓN"), punctuation and symbols around the word, and spaces,
hyphens and underscores inside it are ignored, so "opt out", "opt-out" and "OPTOUT" are one
keyword. A message that repeats one keyword ("stop stop", "ALTO ALTO") is that keyword.
Keywords of 8 letters or more also match with one typo (a letter missing, extra, wrong or two
swapped, first letter kept): "unsuscribe" is a common spelling of UNSUBSCRIBE among Spanish
speakers. Shorter keywords must be exact, because one letter turns them into ordinary words or
into a keyword of the opposite meaning (END/AND, QUIT/QUITE, ALTO/ALTA).

What the channel must keep in step:
- Twilio blocks a number on its own default opt-out words before our webhook sees the message,
  and unblocks it on its default opt-in words, which include YES. The Spanish words below and
  SUBSCRIBE are not Twilio defaults: add them to the Messaging Service's Advanced Opt-Out
  keywords, or a Spanish speaker who opts back in with ALTA stays blocked at Twilio and our
  confirmation is refused (error 21610).
- CANCEL is a carrier opt-out word, so the product must never ask a seeker to reply "cancel" to
  drop an event registration; Spanish "cancelar" alone is deliberately not a keyword for that use.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

KeywordKind = Literal["opt_out", "opt_in", "help"]

# Opt-out, English. Twilio's default opt-out keywords for long codes and toll-free numbers
# (Twilio Messaging docs, "Customize users' opt-in and opt-out experience with Advanced
# Opt-Out"; help.twilio.com article 223134027): STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT,
# REVOKE, OPTOUT. REVOKE and OPT OUT come from the FCC's 2024 TCPA consent-revocation order
# (47 CFR 64.1200(a)(10), in force since 2025-04-11), which names stop, quit, end, revoke,
# opt out, cancel and unsubscribe as reply words that always revoke consent. STOP, END, CANCEL,
# UNSUBSCRIBE and QUIT are the carriers' universal opt-out keywords (CTIA Messaging Principles
# and Best Practices; CTIA Short Code Monitoring Handbook).
OPT_OUT_KEYWORDS_EN = ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT")

# Opt-out, Spanish. No carrier standard exists; these are the plain Spanish words for "stop" and
# "unsubscribe" that a whole message can be. ALTO is the word our own messages advertise
# ("Responde ALTO para parar", flows/consent/domain.yml). PARA is the imperative of parar and
# alone can only mean "stop"; the preposition "para" never makes a whole message ("para mi" is
# not a keyword: the whole message must be one). BAJA is short for "dar de baja" (unsubscribe).
# Missing an opt-out is a compliance failure while a wrong one costs one confirmation text that
# says how to rejoin, so the list leans inclusive. "CANCELAR" alone is excluded on purpose: the
# product uses it for cancelling an event registration; "CANCELAR SUSCRIPCION" is unambiguous.
OPT_OUT_KEYWORDS_ES = (
    "ALTO", "PARAR", "PARE", "PARA", "BASTA", "DETENER", "BAJA", "DESUSCRIBIR", "CANCELAR SUSCRIPCION",
)

# Opt-in, English. START and UNSTOP are Twilio's default opt-in keywords (same sources as above;
# Twilio also honours YES, see RESUBSCRIBE_WORDS). SUBSCRIBE is added: alone it can only be a
# request to receive messages, and it is the word a seeker who sent UNSUBSCRIBE reaches for.
OPT_IN_KEYWORDS_EN = ("START", "UNSTOP", "SUBSCRIBE")

# Opt-in, Spanish. ALTA ("dar de alta") is the counterpart of BAJA and the word our opt-out
# confirmation advertises ("Responde ALTA para volver"). COMENZAR, INICIAR and EMPEZAR are how
# Spanish speakers translate START; a whole message of one of them from an opted-out person can
# only mean "start again", and an opt-in only matters for an opted-out person (the caller may
# pass the word on to the NLU for someone already opted in, where "empezar" may mean "begin the
# questions").
OPT_IN_KEYWORDS_ES = ("ALTA", "COMENZAR", "INICIAR", "EMPEZAR")

# Help. HELP and INFO are the carriers' help keywords (CTIA Short Code Monitoring Handbook) and
# Twilio's defaults; AYUDA and INFORMACION are their Spanish forms. INFO is the same word in
# both languages.
HELP_KEYWORDS_EN = ("HELP",)
HELP_KEYWORDS_ES = ("AYUDA", "INFORMACION")
HELP_KEYWORDS_BOTH = ("INFO",)

# Twilio's default opt-in list includes YES, but "yes" and "sí" are ordinary answers to the
# intake's questions, so they re-subscribe only a person who is opted out: see
# `is_resubscribe_word`. SI needs adding to Twilio's Advanced Opt-Out opt-in keywords as well.
RESUBSCRIBE_WORDS = ("YES", "SI")

# Keywords this long tolerate one typo; shorter ones are one letter away from other words.
MIN_LENGTH_FOR_TYPO = 8

# Spaces, hyphens (ASCII and Unicode dashes) and underscores inside a keyword are dropped.
_INNER_SEPARATORS = re.compile(r"[\s\-_\u2010-\u2015\u2212]+")


@dataclass(frozen=True)
class KeywordMatch:
    kind: KeywordKind
    keyword: str  # the canonical keyword, upper case, without accents: "STOP", "CANCELAR SUSCRIPCION"
    language: Literal["en", "es"] | None  # None when the word is the same in both languages


# Emoji keycaps ("2\ufe0f\u20e3" shows as a boxed 2) are plain characters to the seeker.
_KEYCAP_MARKS = re.compile("[\ufe0f\u20e3]")


def fold_text(text: str) -> str:
    """Lower case without accents or keycap marks: "SÍ" -> "si", "Opción" -> "opcion".
    Shared with `bot.understanding.numbered_choices` so both read a reply the same way."""
    decomposed = unicodedata.normalize("NFKD", _KEYCAP_MARKS.sub("", text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _strip_symbols(word: str) -> str:
    """The word without the punctuation, symbols and emoji around it: "*stop*!!" -> "stop"."""
    start, end = 0, len(word)
    while start < end and not word[start].isalnum():
        start += 1
    while end > start and not word[end - 1].isalnum():
        end -= 1
    return word[start:end]


def _candidate(text: str) -> str:
    """The message folded to the form keywords are stored in, or "" when it cannot be one."""
    folded = _strip_symbols(fold_text(text or "").strip())
    pieces = [_strip_symbols(piece) for piece in _INNER_SEPARATORS.split(folded)]
    pieces = [piece for piece in pieces if piece]
    if len(pieces) > 1 and len(set(pieces)) == 1:
        return pieces[0]  # "stop stop stop"
    return "".join(pieces)


def is_one_typo_away(word: str, target: str) -> bool:
    """True when `word` is `target` with one letter inserted, deleted or replaced, or two
    neighbouring letters swapped, and the first letter kept: seekers rarely mistype it, and
    requiring it keeps ordinary words away ("purse" is one letter from "nurse"). False for the
    same word. Shared with `bot.understanding.numbered_choices`."""
    if word == target or not word or not target or word[0] != target[0]:
        return False
    if abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        differences = [i for i, (a, b) in enumerate(zip(word, target)) if a != b]
        if len(differences) == 1:
            return True
        first, second = differences[0], differences[-1]
        return (
            len(differences) == 2
            and second == first + 1
            and word[first] == target[second]
            and word[second] == target[first]
        )
    shorter, longer = (word, target) if len(word) < len(target) else (target, word)
    index = next((i for i, (a, b) in enumerate(zip(shorter, longer)) if a != b), len(shorter))
    return shorter[index:] == longer[index + 1 :]


def _table() -> dict[str, KeywordMatch]:
    groups: tuple[tuple[tuple[str, ...], KeywordKind, Literal["en", "es"] | None], ...] = (
        (OPT_OUT_KEYWORDS_EN, "opt_out", "en"),
        (OPT_OUT_KEYWORDS_ES, "opt_out", "es"),
        (OPT_IN_KEYWORDS_EN, "opt_in", "en"),
        (OPT_IN_KEYWORDS_ES, "opt_in", "es"),
        (HELP_KEYWORDS_EN, "help", "en"),
        (HELP_KEYWORDS_ES, "help", "es"),
        (HELP_KEYWORDS_BOTH, "help", None),
    )
    table: dict[str, KeywordMatch] = {}
    for keywords, kind, language in groups:
        for keyword in keywords:
            table[_candidate(keyword)] = KeywordMatch(kind, keyword, language)
    return table


_KEYWORDS = _table()
_RESUBSCRIBE = frozenset(_candidate(word) for word in RESUBSCRIBE_WORDS)


def classify_keyword(text: str) -> KeywordMatch | None:
    """The keyword the whole message is, or None for any other message.

    A typo match counts only when exactly one keyword is one typo away: a slip that could be
    either of two keywords is never guessed (none can be today, because a typo keeps the first
    letter; the rule keeps that true if the lists grow) and goes to the NLU.
    """
    candidate = _candidate(text)
    if not candidate:
        return None
    exact = _KEYWORDS.get(candidate)
    if exact is not None:
        return exact
    near = [
        match
        for keyword, match in _KEYWORDS.items()
        if len(keyword) >= MIN_LENGTH_FOR_TYPO and is_one_typo_away(candidate, keyword)
    ]
    return near[0] if len(near) == 1 else None


def is_resubscribe_word(text: str) -> bool:
    """True when the whole message is YES or SÍ (folded like keywords). Apply it only to a person
    who is opted out: for anyone else "yes"/"si" is an ordinary answer."""
    return _candidate(text) in _RESUBSCRIBE
