"""Barriers in words, read when the barriers question is the one asked: "I'm homeless", "tengo un
record", "single mom", "no hablo mucho ingles". Outside that question these words are left alone:
they are sensitive, and a passing "my mom" is not a disclosure."""
from __future__ import annotations

from bot.understanding.rules import find_hits, rules

_BARRIER_RULES = (
    rules(
        "homeless",
        r"homeless|no (?:home|place to (?:live|stay))|nowhere to (?:live|stay)|(?:in|at) a shelter|shelter|couch ?surfing|"
        r"(?:sleeping|living|live|sleep) in (?:my|a) (?:car|truck)|sin hogar|sin casa|no tengo (?:casa|donde vivir|hogar|donde quedarme)|"
        r"albergue|refugio|vivo en (?:mi|un) (?:carro|coche|troca)|en la calle|indigente|"
        # Sharing someone else's housing after losing one's own is homeless too (McKinney-Vento,
        # 42 U.S.C. 11434a(2)(B)(i), which WIOA 3(36)(A)(iii) points to): staff confirm.
        r"(?:staying|living|sleeping|crashing) (?:with|at) (?:a |my )?(?:friends?|family|relatives|cousins?|someone|somebody)s?(?: house| place| couch)?|"
        r"(?:me estoy quedando|me quedo|estoy viviendo|vivo) (?:con|en casa de) (?:unos |unas |mis |un |una )?(?:amigos?|amigas?|familiares|parientes|primos?)",
    ),
    rules(
        "justice_involved",
        r"(?:criminal )?record|felony|felonies|felon|conviction|convicted|jail|prison|probation|parole|incarcerated|"
        r"locked up|arrested|background|carcel|prision|antecedentes(?: penales)?|record criminal|libertad condicional|"
        r"probatoria|arrestad[oa]|me arrestaron|estuve preso|estuve encerrado|caso criminal",
    ),
    rules("foster_care", r"foster(?: care| home| kid)?|dcfs|group home|hogar de crianza|hogar temporal|hogar sustituto|casa hogar"),
    rules(
        "pregnant_or_parenting",
        r"pregnant|expecting a baby|embarazada|espero (?:un )?bebe|"
        r"i have (?:a |an |\d+ |one |two |three |four |my )?(?:kids?|children|child|son|daughter|baby|babies|toddler)|"
        # A parent says so ("single mom", "im a dad", "mom of 2"); "living with my mom" is not it.
        r"(?:single|im a|i am a|im|i am|a|new|young|teen|working|stay at home) (?:mom|mother|dad|father|parent)\b|"
        r"(?:mom|mother|dad|father|parent) (?:of|to) (?:a |an |one |two |three |four |\d+ |my )?\w+|^(?:mom|mother|dad|father|parent|parenting)$|parenting|"
        r"tengo (?:un |una |\d+ |dos |tres |cuatro |mis )?(?:hijos?|hijas?|bebes?|ninos?|ninas?|nino|nina|chamacos|plebes|kids?|babies|baby)|"
        r"madre soltera|padre soltero|soy (?:mama|papa|madre|padre)",
    ),
    rules(
        "disability",
        r"disability|disabilities|disabled|handicap(?:ped)?|iep|wheelchair|silla de ruedas|discapacidad|discapacitad[oa]|incapacidad|incapacitad[oa]|minusvalid[oa]",
        # Conditions people name instead of the word "disability" (staff confirm it).
        r"deaf|hard of hearing|blind|legally blind|low vision|autism|autistic|asperger|cerebral palsy|amputee|"
        r"sordo|sorda|ciego|ciega|autista",
    ),
    rules(
        "english_learner",
        r"english learner|learning english|esl|(?:my )?english (?:is )?(?:not good|bad|poor|not great|not very good|limited|a little)|"
        r"(?:a )?little english|no english|(?:dont|do not|cant) (?:speak|read|write|understand) (?:much |good |a lot of )?english(?: (?:well|good|very well))?|"
        r"no hablo (?:mucho |bien |nada de )?(?:el )?ingles|poco (?:de )?ingles|poquito (?:de )?ingles|"
        r"(?:estoy aprendiendo|aprendiendo) ingles|no se (?:mucho |bien )?ingles|clases de ingles|mi ingles (?:no es bueno|es malo|es poco)",
    ),
)
_ORDER = ("homeless", "justice_involved", "foster_care", "pregnant_or_parenting", "disability", "english_learner")


def find_barriers(folded: str) -> list[str]:
    """The barriers named in the text, in canonical order. Negated ones ("no record", "no kids")
    are left out."""
    found: set[str] = set()
    for group in _BARRIER_RULES:
        for hit in find_hits(folded, group, negation_window=4):
            if not hit.negated:
                found.add(hit.value)
    return [value for value in _ORDER if value in found]
