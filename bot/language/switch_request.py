"""Spotting a seeker asking for English or Spanish: "en español por favor", "english please".

A message is a request when it names exactly one of the two languages and every other word
belongs to the small vocabulary of asking for a language ("in", "please", "can we do this",
"habla", "prefiero"...). So "español?" and "can we do this in spanish" are requests, while
"busco trabajo de maestra de ingles" (a job) and "i speak spanish and english" (both languages)
are not. Saying one cannot speak or understand a language asks for the other one
("no hablo ingles", "i dont understand spanish").
"""
from __future__ import annotations

import re

from bot.language.text import strip_accents, words

ENGLISH = "en"
SPANISH = "es"

# Spellings people text for each language's name (accents are already stripped).
_LANGUAGE_NAMES: dict[str, str] = {
    **dict.fromkeys(
        "english englis inglish inglis ingles engles englich eng".split(), ENGLISH
    ),
    **dict.fromkeys(
        "spanish spanich espanish espanol espaniol espanyol espanhol castellano esp".split(),
        SPANISH,
    ),
}
_OTHER = {ENGLISH: SPANISH, SPANISH: ENGLISH}

# Words that may stand around a language's name in a request, in either language.
_REQUEST_WORDS = frozenset(
    # English
    "in to into please pls plz can could we do this it you u speak speaks speaking talk "
    "text texting chat write switch change go back continue use prefer want would like "
    "rather i i'd id is there anyone someone somebody who a an the ok okay yes yeah no hi "
    "hello hey thanks thank let's lets us me only language version one instead "
    "do does are have has please continue keep "
    # Spanish
    "en a al el la por favor porfa porfavor xfa plis puede pueden puedes podemos podria "
    "hablar hablo habla hablas hablan hable hablen hablamos platicar escribir escribe escribeme "
    "cambiar cambia cambiame cambio pasar pasa seguir sigue continuar quiero queremos "
    "prefiero preferible mejor me gustaria si se hay alguien que quien usted ustedes tu "
    "mandar manda mandame mensajes solo idioma mas buenas buenos hola gracias oye oiga "
    "tienen tiene de lo mismo otra vez favor mandenme".split()
)

# "no hablo ingles", "i don't understand english", "my english is not good", "no english".
# Matched on text that keeps its punctuation, so "no, english" (an answer) is not "no english".
_NEGATION = r"(?:no|not|dont|don't|cant|can't|do not|cannot|casi no|no se|no puedo)"
_ABILITY_WORDS = (
    r"(?:hablo|habla|entiendo|entiende|leo|escribo|speak|understand|read|write|know|se|"
    r"mucho|much|bien|good|well|very|really|muy|nada de|i|u|el|the)"
)
_CANNOT_USE = re.compile(
    rf"\b{_NEGATION}\s+(?:{_ABILITY_WORDS}\s+)*(?P<language>[a-z]+)\b"
    r"|\b(?:mi|my)\s+(?P<language2>[a-z]+)\s+"
    r"(?:is not|isnt|isn't|is no|not|no es|no esta|ain't|aint)\s+"
    r"(?:very\s+|so\s+|too\s+|muy\s+|tan\s+)?(?:good|great|bueno|buena|bien)\b"
    r"|\b(?:mi|my)\s+(?P<language3>[a-z]+)\s+(?:is|es|esta)\s+"
    r"(?:very\s+|so\s+|really\s+|muy\s+|kinda\s+)?(?:bad|poor|malo|mala|limited|basic|basico)\b"
    r"|\b(?:poco|poquito|little|bit of|not much)\s+(?:de\s+)?(?P<language4>[a-z]+)\b"
)


def _canonical_language(word: str) -> str | None:
    return _LANGUAGE_NAMES.get(word)


def _language_one_cannot_use(plain_text: str) -> str | None:
    for match in _CANNOT_USE.finditer(plain_text):
        name = next(name for name in match.groups() if name)
        language = _canonical_language(name)
        if language:
            return language
    return None


def explicit_request(text: str) -> str | None:
    """The language ("en" or "es") the seeker asks to be spoken to in; None if they don't ask."""
    message_words = words(text)
    named = {_canonical_language(w) for w in message_words} - {None}
    if not named:
        return None

    plain_text = " ".join(strip_accents(text.lower().replace("\u2019", "'")).split())
    cannot_use = _language_one_cannot_use(plain_text)
    if cannot_use:
        return _OTHER[cannot_use]

    if len(named) != 1:
        return None
    other_words = [w for w in message_words if _canonical_language(w) is None]
    if all(w in _REQUEST_WORDS for w in other_words):
        return named.pop()
    return None
