"""Which WARN notice a laid-off worker means when they name their employer in their own words
("i worked at the amazon in joliet", "trabajaba en Sears", "walgrens on 95th"). Pure: stdlib and
rapidfuzz (a maintained C++ implementation of edit-distance similarity).

Names are compared word by word after dropping what does not tell employers apart: legal forms
(Inc., LLC, Corp.), punctuation, accents, and "&"/"and". People name an employer by its first
word or its most unusual one ("Sears" for "Sears, Roebuck and Co."; "Savista" for "Savista at
N'western Memorial Hospital"), so one of those two must be in what the worker wrote; the rest of
the name, each word weighted by how rare it is among the notices ("Services" hardly counts),
adds to the score. A word the worker wrote matches a name word when they are close (a typo or
two in a long word). A notice whose city the worker names is preferred. Several notices scoring
alike (one employer's several sites or layoffs) are all returned, for the worker to choose.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

# Words that name a legal form or fill space, never the employer.
_NOISE_WORDS = frozenset(
    "inc incorporated llc l l c corp corporation co company companies ltd limited lp llp plc pc "
    "the of and a an dba at in on de del la el los las en y group holdings usa us na".split()
)
# Words a worker wraps the name in.
_SENTENCE_WORDS = frozenset(
    "i im i'm was were worked work working at for the in on from my job jobs laid off layoff fired "
    "trabajaba trabaje trabajo trabajé en para de la el me despidieron despidio cerro cerró cierra "
    "closed closing plant store company empresa fabrica fábrica tienda near by".split()
)
# Words that say what an employer does, not which one it is: they never name it on their own.
_GENERIC_WORDS = frozenset(
    "services service systems system solutions logistics manufacturing products product foods food "
    "industries industrial international national american center centers health healthcare hospital "
    "hospitals medical care stores store restaurant restaurants hotel hotels bank school schools "
    "university college distribution warehouse transportation management technologies technology "
    "enterprises associates partners plant division unit office home specialty supply".split()
)
MIN_SCORE = 0.6
AMBIGUITY_MARGIN = 0.08  # candidates this close to the best are offered together
WORD_SIMILARITY = 84  # rapidfuzz ratio (0-100) for two words to count as the same


@dataclass(frozen=True)
class EmployerCandidate:
    notice_id: int
    employer: str
    dba: str | None = None
    city: str | None = None
    reported_on: date | None = None


@dataclass(frozen=True)
class EmployerMatch:
    candidate: EmployerCandidate
    score: float


def name_words(text: str) -> list[str]:
    """Lower case, accents and punctuation gone, "&" read as "and", legal forms dropped."""
    plain = unicodedata.normalize("NFKD", text.lower().replace("&", " and "))
    plain = "".join(character for character in plain if not unicodedata.combining(character))
    words = re.findall(r"[a-z0-9]+", plain)
    return [word for word in words if word not in _NOISE_WORDS]


def _said_words(text: str) -> list[str]:
    return [word for word in name_words(text) if word not in _SENTENCE_WORDS]


def _similar(word: str, said: Sequence[str]) -> float:
    """How well the worker's words contain `word`, 0..1; short words must match exactly."""
    if word in said:
        return 1.0
    if len(word) < 4 or word.isdigit():
        return 0.0
    best = max((fuzz.ratio(word, other) for other in said if abs(len(other) - len(word)) <= 2), default=0.0)
    return best / 100 if best >= WORD_SIMILARITY else 0.0


class EmployerIndex:
    """The notices' names, with each word's weight, ready to match many texts."""

    def __init__(self, candidates: Sequence[EmployerCandidate]) -> None:
        self._candidates = list(candidates)
        # Town names say where, not who: they never name an employer ("Chicago Heights Steel" is
        # named by "steel" when a worker also names the town).
        self._town_words = {word for candidate in self._candidates for word in name_words(candidate.city or "")}
        self._names = [
            [words for words in (name_words(c.employer), name_words(c.dba or "")) if words] for c in self._candidates
        ]
        document_frequency: Counter[str] = Counter()
        for names in self._names:
            document_frequency.update({word for words in names for word in words})
        total = max(len(self._candidates), 1)
        self._weight = {word: math.log(1 + total / count) for word, count in document_frequency.items()}

    def match(self, text: str) -> list[EmployerMatch]:
        """The notices the worker most likely means, best first; empty when none fits."""
        said = _said_words(text)
        if not said:
            return []
        said_cities = set(name_words(text))
        scored: list[tuple[EmployerMatch, float]] = []
        for candidate, names in zip(self._candidates, self._names):
            best, coverage = max((self._name_score(words, said) for words in names), default=(0.0, 0.0))
            if best < MIN_SCORE:
                continue
            city_words = name_words(candidate.city or "")
            if city_words and all(word in said_cities for word in city_words):
                best += 0.1  # the worker named this site's town
            scored.append((EmployerMatch(candidate, round(best, 4)), coverage))
        if not scored:
            return []
        scored.sort(key=lambda item: (-item[0].score, -item[1], -(item[0].candidate.reported_on or date.min).toordinal()))
        top = scored[0][0].score
        return [found for found, _ in scored if found.score >= top - AMBIGUITY_MARGIN]

    def _name_score(self, words: Sequence[str], said: Sequence[str]) -> tuple[float, float]:
        """(score, coverage). The score: 0.6 for the name's first or most unusual telling word,
        found among the worker's own telling words ("warehouse" names no employer, however
        like "Waterhouse" it looks); 0.4 for the share of the worker's words the name covers (so
        "Liberty Steel" prefers Liberty to US Steel). Coverage, the share of the name's weight
        the worker's words match, only orders equal scores."""
        weights = [self._weight.get(word, 1.0) for word in words]
        telling = [i for i, word in enumerate(words) if word not in _GENERIC_WORDS and word not in self._town_words]
        if not telling:
            telling = [i for i, word in enumerate(words) if word not in _GENERIC_WORDS] or list(range(len(words)))
        rarest = max(telling, key=lambda index: weights[index])
        said_telling = [word for word in said if word not in _GENERIC_WORDS]
        naming = max(_similar(words[telling[0]], said_telling), _similar(words[rarest], said_telling))
        if naming == 0:
            return 0.0, 0.0
        similarity = [_similar(word, said) for word in words]
        coverage = sum(weight * found for weight, found in zip(weights, similarity)) / sum(weights)
        said_weights = [self._weight.get(word, 1.0) for word in said]
        covered = sum(weight for word, weight in zip(said, said_weights) if _similar(word, words) > 0)
        return 0.6 * naming + 0.4 * covered / sum(said_weights), coverage
