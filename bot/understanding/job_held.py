"""Sectors a seeker wants, told apart from the sector of a job they have or had.

"I was laid off from a hotel" or "I work at a warehouse" name a sector, but as the old job, not
as a wish. Sectors are read from every message, so without this, telling the work situation
would overwrite the sectors the seeker picked. The old job still counts when it is all we have
and the sector question is open ("got laid off from my warehouse job" as a first message): a
laid-off warehouse worker most often looks for the same work, and the summary shows it.
"""
from __future__ import annotations

import re

from bot.answers import EMPLOYMENT_STATUS, SECTOR_VALUES, SECTORS
from bot.understanding.sectors import SectorMatch, match_sectors
from bot.understanding.text import NEGATION_LOOKBACK_CHARACTERS, FoldedText, is_negated, text_just_before, words_of

# Phrases that introduce the job held. Spanish "trabajo en ..." is left out: "busco trabajo en
# construccion" is the most common way to say what one wants.
_JOB_HELD = re.compile(
    r"(?<![a-z])(?:i work|i worked|i used to work|used to work|i was working|im working|i am working|"
    r"i work(?:ed)? (?:at|in|for|as)|worked (?:at|in|for|as)|i was an?|i used to be an?|my (?:old|last|current) job|"
    r"laid off|layed off|let go|fired|lost my job|my job (?:at|in)|"
    r"trabajaba|trabaje|estoy trabajando|ahorita trabajo|yo trabajo|me corrieron|me despidieron|"
    r"perdi mi trabajo|mi trabajo (?:en|de)|era)(?![a-z])"
)
# Asked for the work situation, a reply opening "trabajo de/en/como ..." tells the job held, not
# the one wanted ("trabajo de housekeeping").
_JOB_HELD_IN_REPLY = re.compile(r"^(?:si |yo |ahorita |ahora |pues )?trabajo (?:de|en|como|para|por)(?![a-z])")
# Words between the job phrase and the sector word that start a wish or a new clause.
_NEW_CLAUSE = re.compile(
    r"[.;!?]|(?<![a-z])(?:but|pero|want|wanna|would like|like to|quiero|quisiera|busco|buscando|looking|"
    r"interested|me gustaria|now|ahora|next|instead|en vez)(?![a-z])"
)


def _is_job_held(match: SectorMatch, message: FoldedText, requested: str | None) -> bool:
    folded = message.folded
    start = next((i for i, origin in enumerate(message.origin) if origin >= match.start), len(folded))
    before = folded[:start]
    phrases = list(_JOB_HELD.finditer(before))
    if requested == EMPLOYMENT_STATUS:
        phrases = list(_JOB_HELD_IN_REPLY.finditer(before)) + phrases
    if not phrases:
        return False
    between = before[phrases[-1].end() :]
    return not _NEW_CLAUSE.search(between)


# Wide enough for "i dont want to work in construction"; a comma or "but" ends the negation.
_TURN_DOWN_WINDOW = 5


# "no experience in construction" turns down the experience, not the wish.
_LACKING = frozenset(
    "experience exp experiencia license licencia certificate certificado cert training entrenamiento".split()
)


def _is_turned_down(match: SectorMatch, message: FoldedText) -> bool:
    position = message.folded_start(match.start)
    just_before = text_just_before(message.folded, position, NEGATION_LOOKBACK_CHARACTERS)
    before = {word.text for word in words_of(just_before)[-_TURN_DOWN_WINDOW:]}
    return is_negated(message.folded, position, _TURN_DOWN_WINDOW) and not before & _LACKING


def wanted_sectors(message: FoldedText, requested: str | None) -> list[str]:
    """The sectors in the message, in the order of SECTOR_VALUES, leaving out the job held.

    The job held counts only when the message names no other sector and the sector question is
    open (`requested` is SECTORS, or None for a first message).
    """
    # "I don't want construction", "no quiero limpieza de hoteles": a sector turned down is no wish.
    matches = [m for m in match_sectors(message.original) if not _is_turned_down(m, message)]
    wished = [m for m in matches if not _is_job_held(m, message, requested)]
    if not wished and requested in (None, SECTORS):
        wished = matches
    mentioned = {m.sector for m in wished}
    return [sector for sector in SECTOR_VALUES if sector in mentioned]
