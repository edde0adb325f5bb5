"""Whether a text is sent for someone else who wants the work: "my son is 17 and needs a job",
"im texting for my daughter", "mi hijo necesita trabajo". Pure.

The intake's questions are about the person looking for work, so a parent, a spouse or a friend
is told so once (they may answer for that person, or have them text us), and nothing in such a
text is taken as the texter's own sex ("im a single mom texting for my son"). A relative who
is only mentioned ("i have a son he is 3 and i need a job", "my mom lost her job so i need
one") does not make the text someone else's: the relative must be the one looking, or the
texter must say the search is for them.
"""
from __future__ import annotations

import re

from bot.understanding.text import fold

_RELATIVE_EN = (
    r"(?:son|daughter|kid|child|boy|girl|teen|teenager|grandson|granddaughter|grandkid|grandchild|nephew|niece|"
    r"brother|sister|husband|wife|spouse|boyfriend|girlfriend|bf|gf|fiance|fiancee|cousin|friend|stepson|stepdaughter)"
)
_RELATIVE_ES = (
    r"(?:hijo|hija|nieto|nieta|sobrino|sobrina|hermano|hermana|esposo|esposa|marido|mujer|novio|novia|"
    r"primo|prima|amigo|amiga|chamaco|chamaca)"
)
# What the relative does that makes them the one looking for work. Losing a job is not among
# them: "my husband got laid off" often explains why the texter needs work now.
_LOOKS_EN = (
    r"(?:needs|need|wants|want|is looking|looking|is trying|trying|is searching|cant find|can t find|cannot find|"
    r"couldnt find|is out of work|is unemployed|has no job|is interested|would like|is applying|has been looking)"
)
_LOOKS_ES = (
    r"(?:necesita|quiere|busca|esta buscando|anda buscando|no encuentra|no consigue|esta desempleado|esta desempleada|"
    r"le interesa)"
)
# Between the relative and what they do, a few words about them ("is 17 and", ", 17,", "got laid
# off and"), none about the texter ("my son is 3 and i need a job").
_ABOUT_THEM = r"(?:[\s,]+(?!(?:i|im|me|yo)\b)[a-z0-9]+){0,6}?"
# What they look for must be work, so "my daughter is 2 and needs daycare" is not about her job.
_WORK = (
    r"(?:(?!\b(?:i|im|yo)\b)[^.?!]){0,30}?\b(?:jobs?|work|employment|hired|training|career|program|cna|cdl|"
    r"trabajo|chamba|empleo|capacitacion|programa)\b"
)
_SOMEONE_ELSE = (
    # "my son is 17 and needs a job", "my wife is looking for cna jobs", "mi hijo tiene 17 y busca trabajo"
    re.compile(rf"\bmy (?:\d{{1,2}} ?(?:yo|y o|year old|yr old) )?{_RELATIVE_EN}{_ABOUT_THEM}[\s,]+{_LOOKS_EN}\b{_WORK}"),
    re.compile(rf"\bmi {_RELATIVE_ES}{_ABOUT_THEM}[\s,]+{_LOOKS_ES}\b{_WORK}"),
    # "texting for my daughter", "a job for my son", "asking about my nephew", "help my son find work"
    re.compile(
        rf"\b(?:texting|asking|writing|messaging|inquiring|looking|searching|here|reaching out|job|jobs|work|"
        rf"training|something|anything) (?:for|about) my {_RELATIVE_EN}\b"
    ),
    re.compile(rf"\bon behalf of my {_RELATIVE_EN}\b"),
    re.compile(rf"\bhelp my {_RELATIVE_EN} (?:find|get|look)\b"),
    re.compile(rf"\b(?:escribo|escribiendo|pregunto|preguntando|busco|buscando|trabajo|chamba|empleo|algo) (?:para|por) mi {_RELATIVE_ES}\b"),
    re.compile(rf"\bayudar a mi {_RELATIVE_ES}\b"),
)
# "for my kids" is why a parent works ("i need a job for my kids"), not who looks for one.
_FOR_THEIR_SAKE = re.compile(
    r"\b(?:i|im|i am|yo|necesito|busco)\b.{0,40}\b(?:for|para|por) (?:my|mi|mis) (?:kids|children|family|hijos|familia)\b"
)


def texting_for_someone_else(text: str) -> bool:
    """True when the text says the job search is for another person (a child, a spouse...)."""
    folded = fold(text).folded
    if _FOR_THEIR_SAKE.search(folded):
        return False
    return any(pattern.search(folded) for pattern in _SOMEONE_ELSE)
