"""Yes, no or "I don't know" in English, Spanish and texting style."""
from __future__ import annotations

import re
from typing import Literal

from bot.understanding.text import NEGATION_WORDS, fold_phrase, words_of

YesNo = Literal["yes", "no", "unknown"]

# Checked before "no": "no se" and "no estoy seguro" start with "no" but mean "I don't know".
UNKNOWN_PHRASES = (
    "idk", "idc", "i dont know", "i do not know", "dont know", "dunno", "i dunno", "not sure",
    "im not sure", "i am not sure", "no sure", "unsure", "maybe", "i guess", "perhaps", "skip",
    "pass", "next", "prefer not to say", "i prefer not to say", "rather not say", "id rather not say",
    "i would rather not say", "no comment", "no idea", "no clue", "who knows", "not certain",
    "no se", "nose", "nose la verdad", "no lo se", "yo no se", "no se la verdad", "ni idea",
    "no tengo idea", "no estoy seguro", "no estoy segura", "no estoy seguro a", "nose bien",
    "no se bien", "quizas", "quiza", "tal vez", "talvez", "a lo mejor", "puede ser", "saltar",
    "saltar pregunta", "paso", "siguiente", "prefiero no decir", "prefiero no decirlo",
    "prefiero no contestar", "prefiero no responder", "no quiero decir", "no quiero contestar",
    "no recuerdo", "no me acuerdo", "i dont remember", "dont remember", "i forgot", "not sure tbh",
)

YES_WORDS = (
    "yes", "y", "yeah", "yea", "ya", "yah", "yep", "yup", "yess", "yesss", "yes i am", "sure",
    "ok", "okay", "k", "of course", "ofc", "correct", "right", "affirmative", "absolutely",
    "definitely", "true", "thats right", "that is right", "thats correct", "yes please", "yes sir",
    "yes maam", "si", "sii", "siii", "sip", "simon", "claro", "claro que si", "por supuesto",
    "asi es", "correcto", "dale", "si claro", "afirmativo", "cierto", "exacto", "aja", "sep",
    "sí",
    # A reply that repeats the verb of the question: "Are you signed up?" "I did."
    "i did", "i do", "i am", "i have", "i can", "yes i did", "si lo hice", "ya lo hice",
    # Thumb slips on a phone keyboard.
    "ys", "yse", "yeh", "ye", "yesh", "yas", "siu",
)

NO_WORDS = (
    "no", "n", "nah", "nope", "nop", "naw", "not really", "never", "negative", "no thanks",
    "no thank you", "nah thanks", "not at all", "no gracias", "para nada", "nel", "nel pastel",
    "tampoco", "nunca", "de ninguna manera", "no no", "nooo", "noo", "negativo", "none", "no sir",
    "no maam", "false", "no senor", "no senora",
    "i didnt", "i did not", "i dont", "i do not", "im not", "i am not", "i havent", "i have not",
    "i cant", "i cannot", "never did", "no lo hice", "nunca lo hice",
    # Not done so far is a no now: "did you sign up?" "not yet".
    "not yet", "nope not yet", "no not yet", "todavia no", "aun no", "aún no", "todavía no", "no todavia", "no aun",
)

# Short endings that keep a reply plain: "yes i am", "no i dont", "si lo soy", "no gracias".
_TAIL_WORDS = (
    "i", "am", "im", "i am", "i do", "i dont", "i have", "i havent", "i did", "i didnt", "i was",
    "i wasnt", "i can", "i cant", "i will", "it is", "its", "it isnt", "thanks", "thank you", "ty",
    "please", "pls", "sir", "maam", "miss", "soy", "lo soy", "no soy", "estoy", "no estoy",
    "tengo", "no tengo", "si tengo", "lo tengo", "gracias", "por favor", "senor", "senora",
    "senorita", "senorita", "mija", "mijo", "lol", "haha", "jaja", "jeje", "thx", "sorry",
    "i am not", "im not", "i do not", "i have not", "i did not", "i was not", "ok", "okay",
)


def _alternation(phrases: tuple[str, ...]) -> str:
    folded = sorted({fold_phrase(p) for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(p) for p in folded)


# What is not known, named after the words: "idk my zip", "not sure what my zip is", "dont
# remember the exact date", "no se cual es mi codigo postal". A thing must be named: "idk what it
# is" and "no se que es" may ask what the question means, and "i guess so" is a yes.
_NOT_KNOWN_THINGS = (
    "mine", "zip", "zipcode", "zip code", "code", "date", "day", "year", "number", "name", "company", "income",
    "codigo", "codigo postal", "postal", "fecha", "dia", "ano", "numero", "nombre", "compania", "empresa",
)
_AROUND_THE_THING = (
    "my", "the", "what", "which", "exact", "exactly", "it", "its", "that", "is", "was", "right now", "now",
    "rn", "offhand", "off hand", "mi", "el", "la", "cual", "es", "era", "ahorita", "exacto", "exacta",
)
_NAMED_THING = (
    rf"(?:[\s,.!]+(?:{_alternation(_AROUND_THE_THING)}))*(?:[\s,.!]+(?:{_alternation(_NOT_KNOWN_THINGS)}))+"
    rf"(?:[\s,.!]+(?:{_alternation(_AROUND_THE_THING + _NOT_KNOWN_THINGS)}))*"
)
_TAIL = rf"(?:[\s,.!]+(?:{_alternation(_TAIL_WORDS)}))*"
_UNKNOWN_RE = re.compile(
    rf"^(?:{_alternation(UNKNOWN_PHRASES)})(?:[\s,.!]+(?:{_alternation(UNKNOWN_PHRASES)}))*"
    rf"(?:{_NAMED_THING})?{_TAIL}$"
)
_YES_RE = re.compile(rf"^(?:{_alternation(YES_WORDS)})(?:[\s,.!]+(?:{_alternation(YES_WORDS)}))*{_TAIL}$")
_NO_RE = re.compile(rf"^(?:{_alternation(NO_WORDS)})(?:[\s,.!]+(?:{_alternation(NO_WORDS)}))*{_TAIL}$")
_LEADING_RE = re.compile(
    rf"^(?P<word>{_alternation(YES_WORDS + NO_WORDS)})\s*[,.!;:]+\s*(?P<rest>.*\w.*)$"
)


_EMOJI_WORDS = {"\U0001F44D": " yes ", "\U0001F44C": " yes ", "\u2705": " yes ", "\u2714": " yes ",
                "\U0001F44E": " no ", "\u274C": " no ", "\U0001F937": " idk "}


def _clean(text: str) -> str:
    # A thumbs-up is a yes on a phone. Other emoji, "?" and stray punctuation around a short
    # reply do not change it.
    for emoji, word in _EMOJI_WORDS.items():
        text = text.replace(emoji, word)
    folded = fold_phrase(text)
    folded = re.sub(r"[^\w\s,.!]", " ", folded)
    folded = re.sub(r"\s+", " ", folded).strip(" ,.!")
    return folded


# Words a reply opens with before its yes or no: "pos si", "pues no", "bueno si", "well yeah".
_OPENING_FILLER = re.compile(r"^(?:(?:pues|pos|pus|bueno|este|mmm+|mm|ah|oh|eh|well|um+|uh+|hmm+)[\s,.!]+)+(?=\w)")


def parse_yes_no(text: str) -> YesNo | None:
    """"yes", "no" or "unknown" when the whole message is such a reply, else None.

    "no, I am 24" and "no tengo papeles" are not plain replies and give None: whether a leading
    "no" answers the question or starts a statement is for the extractor to decide (see
    `leading_yes_no`).
    """
    reply = _OPENING_FILLER.sub("", _clean(text))
    if not reply:
        return None
    if _UNKNOWN_RE.match(reply):
        return "unknown"
    if _YES_RE.match(reply):
        return "yes"
    if _NO_RE.match(reply):
        return "no"
    return None


# Words that open a yes without a comma: "yes community college", "si tengo papeles". Not "ya"
# ("ya termine" is "I already finished") and not "no" ("no tengo papeles" is a statement).
_OPENING_YES = re.compile(r"^(?:yes|yeah|yea|yep|yup|si|sip|claro)\s+(?P<rest>.*\w.*)$")


def opening_yes(text: str) -> bool:
    """True when a reply starts with a plain yes word and nothing after it says no:
    "yes community college", "si voy a la escuela"; not "yes but not now", "si no puedo"."""
    match = _OPENING_YES.match(fold_phrase(text).strip())
    if not match:
        return False
    return not any(word.text in NEGATION_WORDS for word in words_of(match.group("rest")))


def leading_yes_no(text: str) -> tuple[YesNo, str] | None:
    """A yes/no word set off by punctuation at the start, and the rest: "no, I am 24" ->
    ("no", "I am 24"). Without the comma ("no tengo papeles") the word belongs to the sentence."""
    match = _LEADING_RE.match(fold_phrase(text).strip())
    if not match:
        return None
    word = match.group("word")
    answer: YesNo = "yes" if _YES_RE.match(word) else "no"
    return answer, match.group("rest")


# Where a reply answering two questions at once divides: "3, no", "diploma y no", "some college / yes".
_ANSWER_SEPARATOR = re.compile(r"\s*(?:[,;/&]|\band\b|\by\b)\s*")


def split_off_yes_no(text: str) -> tuple[str, YesNo] | None:
    """A reply to a question asked together with a yes/no one, taken apart: ("3", "no") from
    "3, no", "no, 3", "3 no" or "college y si". None when no plain yes or no stands at either end
    beside something else ("no school" and "not in school" are statements, not two answers)."""
    folded = _clean(text)
    pieces = [piece for piece in _ANSWER_SEPARATOR.split(folded) if piece]
    if len(pieces) >= 2:
        for said, rest in ((pieces[-1], pieces[:-1]), (pieces[0], pieces[1:])):
            answer = parse_yes_no(said)
            if answer in ("yes", "no"):
                return ", ".join(rest), answer
        if opening_yes(pieces[-1]):
            return ", ".join(pieces[:-1]), "yes"  # "2, yes taking college classes"
        return None
    words = folded.split()
    # Without punctuation only a yes or no at the end is set apart: "3 no", "diploma si".
    if len(words) >= 2 and words[-1] in _BARE_YES_NO:
        return " ".join(words[:-1]), _BARE_YES_NO[words[-1]]
    return None


_BARE_YES_NO: dict[str, YesNo] = {
    **{word: "yes" for word in ("yes", "yeah", "yep", "yup", "si", "sip")},
    **{word: "no" for word in ("no", "nope", "nah")},
}
