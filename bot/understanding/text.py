"""Text folding and word helpers shared by the parsers.

Seekers text in any case, with or without accents and apostrophes ("Sí", "si", "SI", "i'm", "im").
Every parser works on one folded form so a rule is written once. The folded text keeps a map back
to the original characters, so a parser can return the seeker's own spelling (a name with its
accents, an employer as typed).
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass

# Apostrophes are dropped, not spaced: "don't" and "dont", "i'm" and "im" fold to the same word.
_APOSTROPHES = {"'", "\u2019", "\u2018", "`", "\u00b4"}
# Emoji keycaps ("1\ufe0f\u20e3" shows as a boxed 1) are digits to the seeker: cheap-phone
# keyboards offer them next to the numbers. Dropping the selector and the keycap leaves the digit.
_DIGIT_DECORATIONS = {"\ufe0f", "\u20e3"}

# Emoji and other pictures ("Keisha 😊", "IT 💻") are set apart like spaces: they decorate a reply
# and never change it. The thumbs-up that means yes is read before folding (yes_no.py).
_PICTURE_CATEGORIES = frozenset({"So", "Sk", "Cs", "Co"})
_JOINERS = frozenset({"\u200d", "\ufe0e"})


def _is_picture(character: str) -> bool:
    return character in _JOINERS or unicodedata.category(character) in _PICTURE_CATEGORIES


WORD_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z]+)*")

# Spanish texting shorthand, read as the words it stands for so each rule is written once in full:
# "lo q sea", "xq me escribieron", "salud y tmb hoteles". Only short forms that are no English or
# job word ("tb" is a TB test, "pa" a physician assistant, "k" an ok) are expanded.
_SHORTHAND = {"q": "que", "xq": "porque", "pq": "porque", "porq": "porque", "xk": "porque", "tmb": "tambien", "tmbn": "tambien", "tbn": "tambien"}
_SHORTHAND_WORD = re.compile(r"(?<![a-z0-9&])(?:" + "|".join(_SHORTHAND) + r")(?![a-z0-9&])")

NEGATION_WORDS = frozenset(
    {
        "no", "not", "dont", "didnt", "doesnt", "never", "havent", "hasnt", "isnt", "aint",
        "cant", "wont", "nope", "without", "nunca", "sin", "ni", "tampoco", "nor", "neither",
        "nah", "wasnt", "werent", "arent", "nada",
    }
)


@dataclass(frozen=True)
class FoldedText:
    """A message lower-cased, without accents or apostrophes, with single spaces."""

    original: str
    folded: str
    # origin[i] is the index in `original` of folded character i; one extra entry marks the end.
    origin: tuple[int, ...]

    def original_span(self, start: int, end: int) -> str:
        """The seeker's own characters behind folded[start:end]."""
        return self.original[self.origin[start] : self.origin[end - 1] + 1] if end > start else ""

    def original_start(self, folded_index: int) -> int:
        return self.origin[folded_index]

    def folded_start(self, original_index: int) -> int:
        """Where the seeker's character at `original_index` (or the next one kept) is in folded."""
        return bisect.bisect_left(self.origin, original_index)

    def original_end(self, folded_end: int) -> int:
        return self.origin[folded_end - 1] + 1 if folded_end > 0 else 0


def bounded_prefix(text: str, characters: int) -> str:
    """The start of `text`, at most `characters` long, cut after a whole word when one ends in
    the last tenth of the limit (the answers people give come first; what follows a very long
    message's first lines is not read)."""
    if len(text) <= characters:
        return text
    cut = text[:characters]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return cut[:space] if space >= characters * 0.9 else cut


@dataclass(frozen=True)
class Word:
    text: str
    start: int  # in the folded text
    end: int


def fold_char(character: str) -> str:
    decomposed = unicodedata.normalize("NFD", character.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> FoldedText:
    original = unicodedata.normalize("NFC", text or "")
    folded_chars: list[str] = []
    origin: list[int] = []
    for index, character in enumerate(original):
        if character in _APOSTROPHES or character in _DIGIT_DECORATIONS:
            continue
        if character.isspace() or _is_picture(character):
            if folded_chars and folded_chars[-1] != " ":
                folded_chars.append(" ")
                origin.append(index)
            continue
        for piece in fold_char(character):
            folded_chars.append(piece)
            origin.append(index)
    while folded_chars and folded_chars[-1] == " ":
        folded_chars.pop()
        origin.pop()
    folded, origin = _expand_shorthand("".join(folded_chars), origin)
    origin.append(len(original))
    return FoldedText(original=original, folded=folded, origin=tuple(origin))


def _expand_shorthand(folded: str, origin: list[int]) -> tuple[str, list[int]]:
    """`folded` with texting shorthand written out; the letters of a written-out word map back to
    the shorthand's, the last ones to its last, so the seeker's own spelling is still found."""
    if not _SHORTHAND_WORD.search(folded):
        return folded, origin
    pieces: list[str] = []
    mapped: list[int] = []
    kept = 0
    for match in _SHORTHAND_WORD.finditer(folded):
        pieces.append(folded[kept : match.start()])
        mapped.extend(origin[kept : match.start()])
        word = _SHORTHAND[match.group()]
        pieces.append(word)
        last = match.end() - 1
        mapped.extend(origin[min(match.start() + i, last)] for i in range(len(word)))
        kept = match.end()
    pieces.append(folded[kept:])
    mapped.extend(origin[kept:])
    return "".join(pieces), mapped


def fold_phrase(text: str) -> str:
    """The folded form of a short phrase, for comparing with folded messages."""
    return fold(text).folded


def words_of(folded: str) -> list[Word]:
    return [Word(m.group(), m.start(), m.end()) for m in WORD_PATTERN.finditer(folded)]


def typo_distance(first: str, second: str) -> int:
    """Edit distance where swapping two neighbouring letters counts as one typo."""
    previous_previous: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, start=1):
            cost = 0 if a == b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        previous_previous, previous = previous, current
    return previous[-1]


def allowed_typos(length: int) -> int:
    """Typos tolerated for a word of this length: none for short words, where one letter changes
    the word ("cna"/"can"), one for 5-7 letters, two for 8 or more."""
    if length < 5:
        return 0
    return 1 if length <= 7 else 2


# Messages repeat their words, and the same few hundred targets are tried against each.
@lru_cache(maxsize=8192)
def is_typo_of(word: str, target: str) -> bool:
    """True when `word` is `target`, or a plausible misspelling of it.

    Misspellings must keep the first letter: seekers rarely get it wrong, and requiring it keeps
    ordinary words away ("purse" is one letter from "nurse").
    """
    if word == target:
        return True
    budget = allowed_typos(len(target))
    if budget == 0 or not word or word[0] != target[0] or abs(len(word) - len(target)) > budget:
        return False
    return typo_distance(word, target) <= budget


# Words that start a new clause: a negation before them does not reach past them.
CLAUSE_BREAKS = frozenset({"but", "pero", "and", "y", "because", "porque", "so", "though", "aunque", "mas"})


# How far back `is_negated` reads. Its windows are a few words, and reading only this many
# characters keeps each call constant-time: reading back to the start of the message made a long
# message cost the square of its length (a 4,096-character one held the action server for seconds).
NEGATION_LOOKBACK_CHARACTERS = 120


def text_just_before(folded: str, position: int, characters: int) -> str:
    """At most `characters` of `folded` before `position`, starting at a word's beginning, so a
    cut word ("casi|no") is never read as a word of its own."""
    start = max(0, position - characters)
    if start > 0 and re.match(r"[a-z0-9]", folded[start - 1]):
        boundary = re.search(r"[^a-z0-9]", folded[start:position])
        start = start + boundary.start() if boundary else position
    return folded[start:position]


def is_negated(folded: str, position: int, window: int = 3) -> bool:
    """True when one of the few words before `position`, in the same clause, negates what follows:
    "no tengo papeles", "i dont get snap or medicaid" (window 6), but not "no, i am a veteran"."""
    clause = re.split(r"[,.;:!?]", text_just_before(folded, position, NEGATION_LOOKBACK_CHARACTERS))[-1]
    negated = False
    for word in WORD_PATTERN.findall(clause)[-window:]:
        if word in CLAUSE_BREAKS:
            negated = False
        elif word in NEGATION_WORDS:
            negated = True
    return negated
