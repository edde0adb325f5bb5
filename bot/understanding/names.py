"""A first name from a reply: "Maria", "my name is maria lopez", "soy jose", "me llamo Ana",
"its Luis". Greetings, yes/no words and sentences are not names."""
from __future__ import annotations

import re

from bot.understanding.sectors import match_sectors
from bot.understanding.text import FoldedText, fold
from bot.understanding.yes_no import parse_yes_no

MAX_NAME_LENGTH = 40

# Words that follow "I'm"/"soy" or stand alone in a reply but are not names. Names that are also
# words ("Rosa", "Luz", "Angel", "Will", "Hope") are deliberately not here.
NOT_NAMES = frozenset(
    """
    hi hello hey hola buenas buenos buen dia dias tardes noches good morning afternoon evening
    ok okay yes no si yeah nope thanks thank gracias please porfa help ayuda info stop start
    i im me my you your it its is am are was the a an and or but to of in on at for from with
    de del la el los las un una y o en con para por que como mi tu su yo es soy estoy
    fine great well bad sad tired here there ready interested looking trying searching just only
    new back sorry confused lost unemployed employed working work job jobs looking single married
    student veteran citizen resident residente ciudadano ciudadana mujer hombre man woman girl guy
    estudiante desempleado desempleada trabajando buscando bien mal aqui listo lista interesado
    interesada nuevo nueva casado casada soltero soltera chicago mexico illinois cook county name
    nombre llamo call this that what who not nothing none nada nadie ninguno someone anyone
    years year old anos edad zip code codigo postal unemployment desempleo wait espera hmm lol
    idk sure maybe yo busco quiero need want necesito tengo have got trabajo empleo sir maam
    why how when where huh wut wat porque por quien cuando donde cual para que eh
    senor senora senorita miss mister mr mrs ms dr the best cool nice happy glad excited
    from de calling texting escribiendo llamando again otra vez also tambien still todavia
    instead back later asap now today tomorrow tonight anytime soon
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis
    diecisiete dieciocho diecinueve veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa
    algo nel simon sip orale wepa ntp escuela colegio prepa secundaria primaria universidad college school
    """.split()
)

_STATED = re.compile(r"(?:^|\b)(?:my name is|my names|my name|name is|name|nombre|mi nombre es|me llamo|call me|me dicen|i go by)\s*:?\s+(?P<name>.+)")
_INTRODUCED = re.compile(r"^(?:(?:hi|hello|hey|hola|buenas|buenos dias|buenas tardes)[\s,!.]*)?(?:im|i am|its|it is|this is|soy|yo soy|es|aqui|here is)\s+(?P<name>.+)")
_FRIENDLY_ARTICLE = re.compile(r"(?:el|la) (?=[a-z]+$)")
_GREETING = re.compile(r"^(?:(?:hi|hello|hey|hola|buenas|buenos dias|buenas tardes|buenas noches|good morning)[\s,!.]*)+")
_NAME_WORD = re.compile(r"[a-z][a-z-]*")
_PUNCTUATION_OR_AND = re.compile(r"[,.;!?]| and | y | i | tengo ")
# After "my name is", where the name's clause ends when nobody typed a comma: "my name is Derrick im 45 laid off...",
# "me llamo Rosa tengo 34", "soy Luis vivo en Cicero". Each is a word that starts the next thing
# said about oneself, or a number, never part of a name.
_AFTER_STATED_NAME = re.compile(
    r"[,.;!?]|\s(?=\d)|\s(?:and|y|i|im|i m|tengo|soy|estoy|vivo|busco|quiero|necesito|me|from|de|looking|need|"
    r"want|live|living|got|was|just|laid|fui|trabajo|trabaje|work|worked|age|edad|zip)(?=\s|$)"
)


def _title(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _first_name_at(message: FoldedText, start: int, max_words: int, clause_end: re.Pattern = _PUNCTUATION_OR_AND) -> str | None:
    """The first word at `start` when what follows, up to punctuation or "and" (or `clause_end`),
    looks like a name of at most `max_words` words."""
    rest = message.folded[start:]
    clause = clause_end.split(rest, maxsplit=1)[0].strip()
    words = clause.split()
    if not words or len(words) > max_words:
        return None
    if not all(_NAME_WORD.fullmatch(w) for w in words):
        return None
    if words[0] in NOT_NAMES or any(w in NOT_NAMES for w in words[1:] if len(w) > 3):
        return None
    first_start = start + rest.index(words[0])
    written = message.original_span(first_start, first_start + len(words[0]))
    if len(written) > MAX_NAME_LENGTH or len(words[0]) < 2:
        return None
    return _title(written)


# An age may follow an introduced name without a comma: "Soy Pedro de 45 años", "Soy Luis y tengo
# 30" (other words running on, "I'm Jose and I need work", may be no name).
_CLAUSE_AFTER_NAME = r"(?:de|tengo|y tengo) \d"
_INTRODUCTION_END = re.compile(_PUNCTUATION_OR_AND.pattern + r"| de (?=\d)")


def find_stated_name(text: str) -> str | None:
    """A name given with "my name is", "me llamo", "mi nombre es": clear in any question; or an
    introduction opening the message with a capitalised name set off by punctuation ("Hi, I'm
    Kayla, 19, ...", "Soy Jose. Busco trabajo"): a capital is how a phone writes a name, and the
    comma keeps "I'm looking for work" from reading as one."""
    message = fold(text)
    match = _STATED.search(message.folded)
    if match:
        return _first_name_at(message, match.start("name"), 4, _AFTER_STATED_NAME)
    introduced = _INTRODUCED.match(message.folded)
    if introduced is None:
        return None
    start = introduced.start("name")
    # A first name, and a surname if any, each capitalised, then punctuation or the end.
    words = re.match(
        rf"([a-z][a-z-]*)(?: (?!{_CLAUSE_AFTER_NAME})([a-z][a-z-]*))?(?=\s*(?:[,.;!]|$)|\s{_CLAUSE_AFTER_NAME})",
        message.folded[start:],
    )
    if words is None:
        return None
    for index in (1, 2):
        if words.group(index) is not None:
            written = message.original_span(start + words.start(index), start + words.end(index))
            # "Kayla", not "kayla" nor "TWENTY-TWO" (in a message in capitals every word is one).
            if not written[:1].isupper() or written.isupper():
                return None
    return _first_name_at(message, start, 2, _INTRODUCTION_END)


def parse_first_name(text: str, allow_bare: bool = True) -> str | None:
    """The first name in a reply to "What is your first name?", or None.

    `allow_bare=False` keeps only introduced names ("soy maria, tengo 30"): when the message
    carries other answers, a bare word is more likely part of them than a name.
    """
    stated = find_stated_name(text)
    if stated:
        return stated
    message = fold(text)
    if parse_yes_no(text) is not None:
        return None
    introduced = _INTRODUCED.match(message.folded)
    if introduced:
        return _first_name_at(message, introduced.start("name"), 3)
    if not allow_bare or match_sectors(text):
        return None
    greeting = _GREETING.match(message.folded)
    start = greeting.end() if greeting else 0
    # "el Brayan", "la Yesi": how a name is said among friends in Mexican Spanish.
    article = _FRIENDLY_ARTICLE.match(message.folded, start)
    return _first_name_at(message, article.end() if article else start, 3)
