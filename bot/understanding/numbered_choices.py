"""Reading the reply that picks one of the numbered choices an SMS showed. Pure.

SMS has no buttons, so the channel shows the options as numbers (`bot.sms.sms_choice_text`) and
turns a reply that picks one into that button's payload before the NLU sees it. A button is a
mapping with "title" and "payload" (Rasa's format); the number shown is the button's position,
whatever its payload ("/affirm", "1", ...).

Only a bare selection counts: "2", "#2", "(2)", "option 2", "opción dos", "two", the title
("yes", "Sí", "healthcare") or a word only one title has. A reply that merely contains a number
("2 kids", "I am 24", "60623") is an answer to the question, not a choice, so it returns None
and the caller passes the text on unchanged. Choosing several options ("1 y 3") is also left to
the NLU and the form, which read lists.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.sms import Button
from bot.understanding.keywords import fold_text, is_one_typo_away

# Words that may come before the number without changing the choice: "option 2", "opcion 2",
# "number 2", "numero 2" ("#" is decoration). "no" is left out: "no 2" can mean "not 2".
_NUMBER_PREFIXES = frozenset({"option", "opcion", "opt", "number", "numero", "num", "nro", "choice"})

# Cardinal words up to ten: a reply of only "two" or "dos" is the second option.
CARDINAL_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
}

# Replies that answer yes or no: they pick an option only by being its whole title ("No").
_YES_NO_WORDS = frozenset({
    "no", "nope", "nah", "not", "yes", "yeah", "yea", "yep", "yup", "si", "ok", "okay", "claro",
})

# Words too common to pick an option on their own: "and" must not select "Hotels and food" just
# because no other title has an "and". "it" is kept: "Computers (IT)" is a real title.
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "at", "by", "my", "i",
    "me", "is", "am", "el", "la", "los", "las", "un", "y", "o", "e", "de", "del", "en", "con",
    "por", "para", "mi", "al", "lo", "se",
})

# Words around a choice that do not choose: "evening please", "the morning one", "quiero la de
# la tarde". Never a negation: "not" and "no" change what a reply picks.
_FILLER_WORDS = frozenset({
    "please", "pls", "plz", "porfa", "favor", "thanks", "thank", "you", "ty", "gracias", "want", "would",
    "like", "prefer", "quiero", "prefiero", "one", "option", "opcion", "shift", "turno", "do", "id",
})

# Punctuation that decorates a bare reply ("2.", "(2)", "#2", "*yes*"). Anything else left in
# the reply ("$2", "2%", "2:30", an emoji) makes it something other than a bare choice.
_DECORATION = re.compile(r"[\s.,;:!?¡¿#()\[\]*_\-'\"\u2018\u2019\u201c\u201d]+")
_WORD = re.compile(r"[a-z0-9]+")

MIN_LENGTH_FOR_TYPO = 5


@dataclass(frozen=True)
class _Option:
    payload: str
    words: tuple[str, ...]  # the folded title's words
    answer: str | None = None  # the yes/no a title opens with before a comma ("Yes, I get them")


def select_choice(text: str, buttons: Sequence[Button]) -> str | None:
    """The payload of the button a bare reply picks, or None when the reply is anything else."""
    options = [_option(button) for button in buttons]
    words = _reply_words(text)
    if not options or not words:
        return None
    had_prefix = words[0] in _NUMBER_PREFIXES
    while words and words[0] in _NUMBER_PREFIXES:
        words = words[1:]
    if not words:
        return None
    number = _number(words[0])
    if number is None:
        # "option healthcare" is not a way anyone writes; only numbers follow the prefix.
        return None if had_prefix else _by_title(words, options)
    by_number = _by_number(number, words[1:], options)
    if words[0].isdigit() or had_prefix:
        return by_number
    # A number word can also be a title's word ("Two or more", "Just one"): read the reply both
    # ways, and when the two readings pick different options, pick nothing.
    by_title = _by_title(words, options)
    if by_number is not None and by_title is not None and by_number != by_title:
        return None
    return by_number if by_number is not None else by_title


_OPENING_ANSWER = re.compile(r"^\s*(\w+)\s*,")


def _option(button: Button) -> _Option:
    title = fold_text(str(button.get("title", "")))
    opening = _OPENING_ANSWER.match(title)
    answer = opening[1] if opening and opening[1] in _YES_NO_WORDS else None
    return _Option(str(button.get("payload", "")), tuple(_WORD.findall(title)), answer)


def _by_number(number: int, rest: Sequence[str], options: Sequence[_Option]) -> str | None:
    if not 1 <= number <= len(options):
        return None
    chosen = options[number - 1]
    if not rest:
        return chosen.payload
    # The menu line copied back ("1 Healthcare") picks its option; "2 kids" picks nothing.
    return chosen.payload if _by_title(rest, options) == chosen.payload else None


def _reply_words(text: str) -> list[str]:
    """The reply's words, or [] when something other than words and decoration is in it."""
    pieces = [piece for piece in _DECORATION.split(fold_text(text or "")) if piece]
    if not all(_WORD.fullmatch(piece) for piece in pieces):
        return []
    return pieces


def _number(word: str) -> int | None:
    # A ZIP code, an age or a year is simply out of range of the options.
    return int(word) if word.isdigit() else CARDINAL_WORDS.get(word)


def _by_title(words: Sequence[str], options: Sequence[_Option]) -> str | None:
    """The payload of the one option whose title holds every word of the reply.

    The whole title wins outright ("No" over "No, I did not register"). Otherwise the reply needs
    a word that is not a function word, and exactly one title may hold all its words: exact
    spellings first, then with one typo in words of 5 letters or more.
    """
    reply = tuple(words)
    whole = [option for option in options if option.words == reply]
    if len(whole) == 1:
        return whole[0].payload
    if all(word in _FUNCTION_WORDS for word in reply):
        return None
    if all(word in _YES_NO_WORDS for word in reply):
        # A bare "yes"/"no" picks the option that is that answer ("Yes, I get them", "No, I did
        # not register"), never one that merely holds the word ("No stable home").
        answering = [option for option in options if option.answer is not None and option.answer == reply[0]]
        return answering[0].payload if len(answering) == 1 else None
    holders = _holders(reply, options)
    # "evening please", "the morning one", "en la mañana": the words that carry the choice.
    content = tuple(word for word in reply if word not in _FUNCTION_WORDS and word not in _FILLER_WORDS)
    if not holders and content and content != reply and not all(word in _YES_NO_WORDS for word in content):
        holders = _holders(content, options)
    return holders[0].payload if len(holders) == 1 else None


def _holders(reply: tuple[str, ...], options: Sequence[_Option]) -> list[_Option]:
    """The options whose title holds every word of the reply: exact spellings, else with one typo."""
    for tolerate_typo in (False, True):
        holders = [
            option
            for option in options
            if all(any(_same_word(word, own, tolerate_typo) for own in option.words) for word in reply)
        ]
        if holders:
            return holders
    return []


def _same_word(word: str, title_word: str, tolerate_typo: bool) -> bool:
    if word == title_word:
        return True
    return tolerate_typo and len(title_word) >= MIN_LENGTH_FOR_TYPO and is_one_typo_away(word, title_word)
