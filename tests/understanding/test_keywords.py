"""Carrier and consent keywords: what must match exactly, and the near misses that must not."""
from __future__ import annotations

import string

import pytest

from bot.understanding import keywords
from bot.understanding.keywords import (
    HELP_KEYWORDS_BOTH,
    HELP_KEYWORDS_EN,
    HELP_KEYWORDS_ES,
    MIN_LENGTH_FOR_TYPO,
    OPT_IN_KEYWORDS_EN,
    OPT_IN_KEYWORDS_ES,
    OPT_OUT_KEYWORDS_EN,
    OPT_OUT_KEYWORDS_ES,
    KeywordMatch,
    classify_keyword,
    is_one_typo_away,
    is_resubscribe_word,
)

GROUPS = [
    (OPT_OUT_KEYWORDS_EN, "opt_out", "en"),
    (OPT_OUT_KEYWORDS_ES, "opt_out", "es"),
    (OPT_IN_KEYWORDS_EN, "opt_in", "en"),
    (OPT_IN_KEYWORDS_ES, "opt_in", "es"),
    (HELP_KEYWORDS_EN, "help", "en"),
    (HELP_KEYWORDS_ES, "help", "es"),
    (HELP_KEYWORDS_BOTH, "help", None),
]
EVERY_KEYWORD = [(keyword, kind, language) for keywords, kind, language in GROUPS for keyword in keywords]


@pytest.mark.parametrize(
    "text, kind, keyword, language",
    [
        # The carrier set, however it is typed.
        ("STOP", "opt_out", "STOP", "en"),
        ("stop", "opt_out", "STOP", "en"),
        ("  Stop \n", "opt_out", "STOP", "en"),
        ("STOP.", "opt_out", "STOP", "en"),
        ("stop!!", "opt_out", "STOP", "en"),
        ("*STOP*", "opt_out", "STOP", "en"),
        ('"stop"', "opt_out", "STOP", "en"),
        ("🛑 STOP 🛑", "opt_out", "STOP", "en"),
        ("stop stop stop", "opt_out", "STOP", "en"),
        ("STOP. STOP.", "opt_out", "STOP", "en"),
        ("stop all", "opt_out", "STOPALL", "en"),
        ("Stop-all", "opt_out", "STOPALL", "en"),
        ("STOPALL", "opt_out", "STOPALL", "en"),
        ("opt out", "opt_out", "OPTOUT", "en"),
        ("Opt-Out", "opt_out", "OPTOUT", "en"),
        ("opt\u2013out", "opt_out", "OPTOUT", "en"),  # en dash from a phone's auto-correct
        ("opt_out", "opt_out", "OPTOUT", "en"),
        ("OPTOUT", "opt_out", "OPTOUT", "en"),
        ("Unsubscribe", "opt_out", "UNSUBSCRIBE", "en"),
        ("un subscribe", "opt_out", "UNSUBSCRIBE", "en"),
        ("cancel", "opt_out", "CANCEL", "en"),  # a carrier word: never ask seekers to reply it
        ("End.", "opt_out", "END", "en"),
        ("quit", "opt_out", "QUIT", "en"),
        ("revoke", "opt_out", "REVOKE", "en"),
        # Spanish opt-out.
        ("ALTO", "opt_out", "ALTO", "es"),
        ("alto!", "opt_out", "ALTO", "es"),
        ("Parar", "opt_out", "PARAR", "es"),
        ("pare", "opt_out", "PARE", "es"),
        ("Para.", "opt_out", "PARA", "es"),
        ("¡Basta!", "opt_out", "BASTA", "es"),
        ("detener", "opt_out", "DETENER", "es"),
        ("BAJA", "opt_out", "BAJA", "es"),
        ("desuscribir", "opt_out", "DESUSCRIBIR", "es"),
        ("cancelar suscripcion", "opt_out", "CANCELAR SUSCRIPCION", "es"),
        ("Cancelar Suscripción", "opt_out", "CANCELAR SUSCRIPCION", "es"),
        ("CANCELAR-SUSCRIPCIÓN", "opt_out", "CANCELAR SUSCRIPCION", "es"),
        # One typo in a long keyword.
        ("unsuscribe", "opt_out", "UNSUBSCRIBE", "en"),
        ("unsubscibe", "opt_out", "UNSUBSCRIBE", "en"),
        ("unsubsrcibe", "opt_out", "UNSUBSCRIBE", "en"),
        ("usubscribe", "opt_out", "UNSUBSCRIBE", "en"),
        ("desuscrbir", "opt_out", "DESUSCRIBIR", "es"),
        ("cancelar subscripcion", "opt_out", "CANCELAR SUSCRIPCION", "es"),
        ("infromacion", "help", "INFORMACION", "es"),
        # Opt-in.
        ("START", "opt_in", "START", "en"),
        ("start.", "opt_in", "START", "en"),
        ("Unstop", "opt_in", "UNSTOP", "en"),
        ("un-stop", "opt_in", "UNSTOP", "en"),
        ("subscribe", "opt_in", "SUBSCRIBE", "en"),
        ("ALTA", "opt_in", "ALTA", "es"),
        ("alta!", "opt_in", "ALTA", "es"),
        ("Comenzar", "opt_in", "COMENZAR", "es"),
        ("iniciar", "opt_in", "INICIAR", "es"),
        ("empezar", "opt_in", "EMPEZAR", "es"),
        # Help.
        ("HELP", "help", "HELP", "en"),
        ("help?", "help", "HELP", "en"),
        ("info", "help", "INFO", None),
        ("AYUDA", "help", "AYUDA", "es"),
        ("¿Ayuda?", "help", "AYUDA", "es"),
        ("información", "help", "INFORMACION", "es"),
        ("INFORMACION", "help", "INFORMACION", "es"),
    ],
)
def test_keyword_matches(text, kind, keyword, language):
    assert classify_keyword(text) == KeywordMatch(kind, keyword, language)


@pytest.mark.parametrize(
    "text",
    [
        "stop by the center tomorrow",
        "help me find a job",
        "end of month",
        "cancelar",  # cancelling an event registration, not an opt-out
        "Cancelar.",
        "para mi",
        "para mi hijo",
        "quit my job last week",
        "startup",
        "stop please",  # left to the NLU's opt_out intent, like any sentence
        "please stop",
        "stop and start",
        "alto alta",
        "ends",
        "and",
        "stp",  # short keywords do not tolerate typos: one letter away is another word
        "stopp",
        "hlep",
        "alot",
        "start up",  # "startup" with a space is still not START
        "baja california",
        "info session tomorrow?",
        "yes",  # re-subscribe words are not keywords: see is_resubscribe_word
        "si",
        "sí",
        "60623",
        "",
        "   ",
        "!!!",
        "🛑",
        "cancelarsuscripcionya",
        "unsubscribed me from what",
    ],
)
def test_near_misses_do_not_match(text):
    assert classify_keyword(text) is None


@pytest.mark.parametrize("keyword, kind, language", EVERY_KEYWORD)
def test_every_listed_keyword_matches_as_itself_in_any_case(keyword, kind, language):
    """Also fails when two lists hold the same folded word, since one would shadow the other."""
    expected = KeywordMatch(kind, keyword, language)
    for typed in (keyword, keyword.lower(), keyword.title(), f" {keyword.lower()}. "):
        assert classify_keyword(typed) == expected, typed


def _one_typo_variants(word: str) -> set[str]:
    letters = string.ascii_lowercase
    deletions = {word[:i] + word[i + 1 :] for i in range(len(word))}
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    replacements = {word[:i] + c + word[i + 1 :] for i in range(len(word)) for c in letters}
    insertions = {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in letters}
    return (deletions | swaps | replacements | insertions) - {word}


LONG_KEYWORDS = [
    (keyword, kind, language)
    for keyword, kind, language in EVERY_KEYWORD
    if len(keyword.replace(" ", "")) >= MIN_LENGTH_FOR_TYPO
]


@pytest.mark.parametrize("keyword, kind, language", LONG_KEYWORDS)
def test_every_single_typo_of_a_long_keyword_reads_as_that_keyword_or_nothing(keyword, kind, language):
    """A typo keeping the first letter is the keyword, never another one and never nothing (so no
    typo is ambiguous); one changing the first letter is not this keyword (it can be another
    keyword or its typo: "usubscribe" is UNSUBSCRIBE, not SUBSCRIBE with a stray letter)."""
    folded = keyword.replace(" ", "").lower()
    spelled_keywords = {k.replace(" ", "").lower() for k, _, _ in EVERY_KEYWORD}
    for variant in _one_typo_variants(folded):
        match = classify_keyword(variant)
        if variant in spelled_keywords:
            assert match is not None and match.keyword.replace(" ", "").lower() == variant
        elif variant[0] == folded[0]:
            assert match == KeywordMatch(kind, keyword, language), variant
        else:
            assert match is None or match.keyword != keyword, variant


def test_a_typo_of_two_keywords_is_not_guessed(monkeypatch):
    """No listed keyword allows it today (see above); a future pair like these two must not
    turn a slip into the wrong consent change."""
    monkeypatch.setitem(keywords._KEYWORDS, "reenlist", KeywordMatch("opt_in", "REENLIST", "en"))
    monkeypatch.setitem(keywords._KEYWORDS, "reenliss", KeywordMatch("opt_out", "REENLISS", "en"))
    assert classify_keyword("reenlist") == KeywordMatch("opt_in", "REENLIST", "en")
    assert classify_keyword("reenlisd") is None  # one letter from both
    assert classify_keyword("reenlistt") == KeywordMatch("opt_in", "REENLIST", "en")


@pytest.mark.parametrize("keyword, kind, language", [k for k in EVERY_KEYWORD if k not in LONG_KEYWORDS])
def test_short_keywords_must_be_exact(keyword, kind, language):
    folded = keyword.replace(" ", "").lower()
    spelled_keywords = {k.replace(" ", "").lower() for k, _, _ in EVERY_KEYWORD}
    for variant in _one_typo_variants(folded) - spelled_keywords:
        assert classify_keyword(variant) is None, variant


@pytest.mark.parametrize(
    "word, target, expected",
    [
        ("unsuscribe", "unsubscribe", True),  # deletion
        ("unsubscribee", "unsubscribe", True),  # insertion
        ("unsubscrive", "unsubscribe", True),  # replacement
        ("unsubcsribe", "unsubscribe", True),  # neighbours swapped
        ("unsubscribe", "unsubscribe", False),  # the same word is not a typo
        ("nsubscribe", "unsubscribe", False),  # first letter lost
        ("xnsubscribe", "unsubscribe", False),  # first letter changed
        ("unsuscrib", "unsubscribe", False),  # two letters lost
        ("unsubsrcibee", "unsubscribe", False),  # swap and insertion
        ("unbuscsribe", "unsubscribe", False),  # two swaps apart
        ("", "stop", False),
    ],
)
def test_is_one_typo_away(word, target, expected):
    assert is_one_typo_away(word, target) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("YES", True),
        ("yes", True),
        ("Yes!", True),
        (" yes. ", True),
        ("SI", True),
        ("si", True),
        ("Sí", True),
        ("SÍ!!", True),
        ("si si", True),
        ("yes please", False),
        ("yeah", False),
        ("sip", False),
        ("y", False),
        ("s", False),
        ("yes i am", False),
        ("si quiero", False),
        ("start", False),  # an opt-in keyword, handled by classify_keyword
        ("", False),
    ],
)
def test_is_resubscribe_word(text, expected):
    assert is_resubscribe_word(text) is expected
