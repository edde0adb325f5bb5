"""Statements about the seeker's background: veteran or military spouse, work authorization,
schooling, public assistance and sex. Each finder returns a value only when the seeker states it;
"not"/"no" shortly before flips or drops it as each docstring says."""
from __future__ import annotations

import re

from bot.understanding.rules import RuleHit, find_hits, rules
from bot.understanding.text import NEGATION_LOOKBACK_CHARACTERS, text_just_before, words_of

_FAMILY = re.compile(
    r"(?:dad|father|mom|mother|brother|sister|son|daughter|uncle|aunt|grandpa|grandfather|cousin|"
    r"friend|papa|mama|padre|madre|hermano|hermana|hijo|hija|tio|tia|abuelo|primo|prima|amigo|amiga)"
    r"(?: is| was| es| fue| era)?(?: a| an| un| una)?\s*$"
)

_SPOUSE_RULES = rules(
    True,
    r"(?:military|army|navy|marine|air force|veterans?|soldiers?|service members?) (?:spouse|wife|husband)",
    r"(?:husband|wife|spouse|esposo|esposa|marido|mujer|pareja) (?:is|was|es|fue|era|esta|estaba|is in|was in|esta en|sirve en|serves in) "
    r"(?:a |an |in |the |in the |en |el |la |en el |en la |un |una )?(?:veteran|veterano|military|militar|soldier|soldado|marine|army|navy|ejercito|marina|active duty|air force|deployed)",
    r"(?:esposa|esposo|pareja) de (?:un |una )?(?:militar|soldado|veterano|marine|miembro del ejercito)",
    r"married to (?:a |an )?(?:soldier|veteran|marine|service member|military|sailor)",
)
_VETERAN_RULES = rules(
    True,
    r"veteran|veterans|veterano|veterana|veteranos",
    r"(?:im an?|i am an?|army|navy|marine|combat|war|air force|military) vet",
    r"(?:served|serve|was|been|were|i was|did \d+ years|spent \d+ years) in (?:the )?(?:us )?(?:army|navy|marines?|marine corps|air force|military|coast guard|national guard|armed forces|reserves)",
    r"(?:ex|former|retired|prior)[- ]?military",
    r"dd[- ]?214",
    r"(?:servi|estuve|estaba|fui|servia) (?:en )?(?:el |la |los |las )?(?:ejercito|army|marina|navy|fuerza aerea|marines|militar|fuerzas armadas|guardia nacional)",
    r"ex[- ]?militar|fui militar|soy militar retirado",
)
_NEVER_SERVED = rules(False, r"never (?:served|been in the military|was in the military)", r"nunca (?:servi|estuve en el ejercito|fui militar)")


def _relative_speaking(folded: str, hit: RuleHit) -> bool:
    return bool(_FAMILY.search(folded[: hit.start]))


def find_military_spouse(folded: str) -> tuple[bool, tuple[int, int]] | None:
    """True for "military spouse", "my husband is in the army", "esposa de militar"; False when
    negated. Whether the spouse is an *eligible* spouse (38 U.S.C. 4215) is for staff."""
    for hit in find_hits(folded, _SPOUSE_RULES):
        return (not hit.negated, (hit.start, hit.end))
    return None


def find_veteran(folded: str, skip: tuple[int, int] | None = None) -> bool | None:
    """True for "veteran", "served in the army", "servi en el ejercito"; False for "not a veteran",
    "never served". A relative's service ("my dad is a veteran") and the words of a spouse
    statement (`skip`) do not count."""
    for hit in find_hits(folded, _NEVER_SERVED):
        return False
    for hit in find_hits(folded, _VETERAN_RULES):
        if skip and skip[0] <= hit.start < skip[1]:
            continue
        if _relative_speaking(folded, hit):
            continue
        return not hit.negated
    return None


_SERVED_REPLY_RULES = rules(
    True,
    r"i served|served|i did serve|servi|yo servi|army|navy|marines?|marine corps|air force|coast guard|national guard|"
    r"reserves|ejercito|marina|fuerza aerea|guardia nacional",
)


def served_in_reply(folded: str) -> bool:
    """True for "army", "yes, marines", "i served 4 years" as the reply to "Did you serve in the
    military?". Read only for that question: elsewhere "army" alone says nothing about the seeker.
    A relative's service ("my dad was army") and "never served" do not count."""
    for hit in find_hits(folded, _SERVED_REPLY_RULES):
        if not hit.negated and not _relative_speaking(folded, hit):
            return True
    return False


_AUTHORIZED_RULES = rules(
    "status",
    r"(?<!senior )citizen|us citizen|ciudadan[oa]|ciudadania",
    r"green ?card|permanent resident|legal resident|residente (?:permanente|legal)|"
    r"(?:soy|im|i am) (?:un |una |a )?residente(?! de)|tengo (?:la )?(?:residencia|mica)",
)
_PERMIT_RULES = rules(
    "permit",
    r"work permit|work authorization|work visa|permiso de trabajo|permiso para trabajar|permiso de empleo|"
    r"papers|papeles|documents|documentos|daca|ead|authorized to work|allowed to work|legal to work|"
    r"work legally|trabajar legalmente|autorizad[oa] (?:para|a) trabajar|social security number|seguro social",
    # Statuses that come with a work permit (an EAD): TPS, refugees, asylees.
    r"tps|estatus de proteccion temporal|temporary protected status|refugee|refugiad[oa]|asylee|asilad[oa]|asilo aprobado|me dieron (?:el )?asilo",
)
_UNAUTHORIZED_RULES = rules(
    False,
    r"undocumented|indocumentad[oa]s?|illegal|ilegal|sin papeles|sin documentos|no papers|no social",
)


# "necesito papeles?", "que es permiso para trabajar?", "what documents do I need?": the papers are
# asked about, not had (or not had); such a mention states nothing about the seeker.
_NEED_WORDS = frozenset(
    "necesito necesita necesitan nesesito ocupo ocupa ocupan piden pide requieren requiere falta need needs "
    "require requires significa mean means tener counts cuenta".split()
)
_QUESTION_OPENINGS = re.compile(r"(?:^|[,.;:!?]\s*)(?:que|what|which|cual|cuales)(?: (?:es|son|is|are|kind of|tipo de))?(?: (?:el|la|los|las|un|una|a|an|the))?\s*$")
_NEAR_WORDS = 3
_HAVING_WORDS = frozenset("tengo tenemos have got soy im am estoy".split())


def _asked_about_papers(folded: str, hit: RuleHit) -> bool:
    clause = re.split(r"[,.;:!?]", text_just_before(folded, hit.start, NEGATION_LOOKBACK_CHARACTERS))[-1]
    before = [word.text for word in words_of(clause)]
    # "ocupo trabajo, tengo papeles": what follows "tengo" is had, whatever was needed before it.
    had = max(
        (i for i, word in enumerate(before) if word in _HAVING_WORDS and (i == 0 or before[i - 1] not in ("to", "que"))),
        default=-1,
    )
    if _NEED_WORDS & set(before[had + 1 :][-_NEAR_WORDS:]):
        return True
    asking = "?" in folded[hit.start :]
    after = [word.text for word in words_of(re.split(r"[,.;:!?]", folded[hit.end :])[0])][:_NEAR_WORDS]
    return asking and (bool(_QUESTION_OPENINGS.search(folded[: hit.start])) or bool(_NEED_WORDS & set(after)))


def find_work_authorized(folded: str) -> bool | None:
    """True for citizen, permanent resident, green card, work permit, DACA, TPS, "tengo papeles";
    False for "no tengo papeles", "undocumented", "I don't have a work permit". "I'm not a citizen"
    gives nothing: a non-citizen may well have a permit. Papers asked about ("necesito papeles?",
    "que es permiso para trabajar?", "do I need papers?") give nothing either."""
    for hit in find_hits(folded, _UNAUTHORIZED_RULES):
        if not hit.negated and not _asked_about_papers(folded, hit):
            return False
    for hit in find_hits(folded, _PERMIT_RULES + _AUTHORIZED_RULES, negation_window=3):
        if not hit.negated and not _asked_about_papers(folded, hit):
            return True
    for hit in find_hits(folded, _PERMIT_RULES):
        if hit.negated and not _asked_about_papers(folded, hit):
            return False
    return None


_GRADE = r"(?:\d{1,2}(?:th|st|nd|rd|vo|mo|no|ro|to|o)?|ninth|tenth|eleventh|sexto|septimo|octavo|noveno|decimo|onceavo)"
_EDUCATION_RULES = (
    rules(
        "degree",
        r"(?:bachelors?|associates?|masters?|college|university|universitario|4 year|two year|2 year|four year) degree",
        r"bachelors|masters degree|phd|doctorate|my degree|a degree|tengo (?:un |mi )?titulo|titulo universitario|licenciatura",
        r"graduated (?:from )?(?:college|university|uni)|college grad(?:uate)?|(?:termine|acabe) (?:la )?(?:universidad|carrera)",
        r"me gradue de la universidad|soy (?:ingenier[oa]|licenciad[oa])",
    ),
    rules(
        "some_college",
        r"some college|community college|city colleges?|college classes|colegio comunitario|algo de (?:la )?(?:universidad|college|colegio)|unos semestres",
        r"(?:in|at|go to|going to|attend|attending|started|went to|dropped out of|left|quit|studying in|taking classes at) (?:a |the )?(?:college|university|universidad)",
        r"(?:fui|voy|estudie|estudio) (?:a |en )?la universidad|(?:no termine|deje) la universidad",
    ),
    rules(
        "diploma",
        r"(?:high ?school|hs) (?:diploma|grad|graduate)|diploma|graduated(?: from)? high ?school|finished high ?school|completed high ?school",
        r"(?:termine|acabe|me gradue de|complete) (?:la |el )?(?:prepa|preparatoria|high ?school|bachillerato|highschool|12|doce)",
        r"(?:finished|completed|graduated) (?:the )?12(?:th)? grade",
        r"(?:finished|completed|graduated(?: from)?|done with) (?:hs|highschool)",
        # Puerto Rico's last year of high school: "termine cuarto año" (not "cuarto año de primaria").
        r"(?:termine|acabe|complete|me gradue de|hice|hasta|saque) (?:el )?cuarto ano(?! de)",
    ),
    rules("ged_in_progress", r"(?:studying for|working on|taking|getting|get|in|going for|need|clases? (?:de|del|para)(?: el)?|estudiando(?: para)?(?: el)?|sacando(?: el)?|trabajando en(?: el)?) (?:my |the |el |mi )?(?:ged|hiset)(?: classes)?"),
    rules("ged", r"ged|hiset|high school equivalency|equivalencia de high school"),
    rules(
        "some_high_school",
        r"dropped out|drop out|dropout|didnt finish (?:high ?school|school)|did not finish (?:high ?school|school)|quit (?:high ?)?school|left (?:high ?)?school",
        r"(?:only went to|went to|up to|until|finished|completed|hasta|termine|llegue a|en) (?:the |el )?" + _GRADE + r"(?: grade| grado)?",
        _GRADE + r" grade|grade " + _GRADE + r"|" + _GRADE + r" grado|grado " + _GRADE,
        r"(?:deje|abandone|me sali de|sali de|no termine|no acabe) (?:la |el )?(?:escuela|prepa|preparatoria|high ?school|highschool|secundaria|estudio|estudios)",
        r"secundaria|secu|primaria|no termine",
        r"(?:no|nunca) (?:fui|asisti|vine) a (?:la )?escuela|no tengo estudios|sin estudios|no estudie|never went to school|no schooling",
        # Still in high school: the highest finished is below a diploma.
        r"(?:still|currently|now) in (?:high ?school|hs)|(?:im|i am) in (?:high ?school|hs)",
        r"(?:im|i am) a (?:high ?school|hs) (?:senior|junior|sophomore|freshman|student)",
        r"(?:senior|junior|sophomore|freshman) (?:in|at) (?:high ?school|hs)",
        r"(?:estoy|sigo|todavia estoy|aun estoy|voy|ando) en (?:la |el )?(?:prepa|preparatoria|high ?school|highschool)",
    ),
)
_LEVELS = ("some_high_school", "ged", "diploma", "some_college", "degree")
_DROPPED_OUT = re.compile(r"(?<![a-z])(?:dropped out|drop out|dropout|quit (?:high ?)?school|left (?:high ?)?school|deje la|abandone la|me sali de la|sali de la)")


# "do i need a diploma?", "is a GED required": schooling asked about as a requirement, not had.
_ASKED_IF_NEEDED = re.compile(
    r"\b(?:do|does|will|would|should) (?:i|you|u|we|they|it|one) (?:need|have to have|require)\b|"
    r"\b(?:is|are) (?:a |an |the )?(?:[a-z]+ ){0,3}(?:required|needed|necessary|a must)\b|\brequirements?\b|"
    r"\b(?:necesito|se necesita|necesitan|piden|hace falta) (?:un |una |el |la )?(?:diploma|ged|titulo|high ?school|prepa)\b"
)


def find_education(folded: str) -> str | None:
    """The highest schooling the seeker states. A negated level ("no diploma", "no termine la
    prepa") means the level below high school; a GED in progress is some_high_school. Nothing
    when the schooling is asked about as a requirement ("do i need a diploma?")."""
    if _ASKED_IF_NEEDED.search(folded):
        return None
    levels: list[str] = []
    in_progress: list[tuple[int, int]] = []
    for group in _EDUCATION_RULES:
        for hit in find_hits(folded, group):
            value = hit.value
            if value == "ged_in_progress":
                in_progress.append((hit.start, hit.end))
                value = "some_high_school"
            elif value == "ged" and any(start <= hit.start < end for start, end in in_progress):
                continue
            if hit.negated:
                if value in ("diploma", "ged"):
                    levels.append("some_high_school")
                continue
            if value == "some_high_school" and re.search(r"grade|grado|\d", folded[hit.start : hit.end]):
                grade = re.search(r"\d{1,2}", folded[hit.start : hit.end])
                if grade and not 1 <= int(grade.group()) <= 11:
                    continue
            levels.append(value)
    return max(levels, key=_LEVELS.index) if levels else None


_IN_SCHOOL_RULES = rules(
    True,
    r"(?:im|i am) (?:a |still |currently )?(?:full time |part time |high school |college )?(?:student|in school|in college|in high ?school|enrolled|going to school|attending school)",
    r"i (?:go|still go|currently go) to (?:a |the )?(?:school|college|high ?school|class|classes|city colleges?|community college|university|uni|trade school)",
    r"(?:im|i am) (?:at|in) (?:a |the )?(?:city colleges?|community college|university|trade school|a training program)",
    r"still in (?:school|high ?school)|currently enrolled|taking classes|in classes",
    # A grade or class year now: "im in 11th grade", "I'm a senior in high school".
    r"(?:im|i am) (?:in )?(?:the )?(?:9|10|11|12)(?:th)? grade|(?:im|i am) a (?:high ?school |hs )?(?:senior|junior|sophomore|freshman)",
    r"estoy en (?:el )?(?:9|10|11|12)(?:vo|mo|o)? grado",
    r"(?:senior|junior|sophomore|freshman) (?:in|at) (?:high ?school|hs)",
    r"soy (?:un |una )?(?:full time |part time |de tiempo completo |)(?:estudiante|student)(?: de tiempo completo| de medio tiempo)?|estoy estudiando|estudio en|voy a la (?:escuela|prepa|universidad|high ?school)",
    r"(?:estoy|sigo|todavia estoy|aun estoy|voy|ando) en (?:la |el )?(?:escuela|prepa|preparatoria|universidad|high ?school|highschool|colegio)",
    r"todavia estudio|sigo estudiando",
)
_OUT_OF_SCHOOL_RULES = rules(
    False,
    r"(?:im|i am) not (?:a )?(?:student|in school|enrolled|going to school)|not in school|out of school|no longer in school",
    r"(?:dont|do not) go to school|(?:done|finished) with school|no estoy estudiando|no voy a la escuela|ya no estudio|no estudio",
)
_GED_IN_PROGRESS = re.compile(r"(?:studying for|working on|taking|getting|going for|clases? (?:de|del|para)|estudiando (?:para )?(?:el )?|sacando (?:el )?) ?(?:my |the |el |mi )?(?:ged|hiset)")


def find_in_school(folded: str) -> bool | None:
    """True for "I'm a student", "estoy estudiando"; False for "not in school", dropping out, and
    GED classes (GED and adult-education students count as out of school for WIOA Youth)."""
    if _GED_IN_PROGRESS.search(folded) or _DROPPED_OUT.search(folded):
        return False
    for hit in find_hits(folded, _OUT_OF_SCHOOL_RULES):
        return False
    for hit in find_hits(folded, _IN_SCHOOL_RULES):
        return not hit.negated
    return None


_ASSISTANCE_RULES = (
    rules(
        "snap",
        r"snap|food ?stamps?|link card|tarjeta (?:de )?link|la link|ebt|cupones(?: de comida| para comida)?|estampillas(?: de comida)?|estampas de comida",
        r"(?:get|have|on|receive|use|got|tengo|recibo|uso|con) (?:the |a |la )?link",
    ),
    rules("tanf", r"tanf|cash assistance|cash benefits|cash aid|welfare|(?:ayuda|asistencia) (?:en|de) efectivo"),
    rules("ssi", r"ssi|supplemental security income|seguro social suplementario|ingreso suplementario"),
    rules(
        "medicaid",
        r"medicaid|medicade|medicaide|medicad|medical card|medicaid card|tarjeta medica|medicaid card|all kids",
        # "la medical", "tengo medical": the medical card in Chicago Spanish (not a medical assistant job).
        r"(?:la|tengo|tenemos|recibo|con|y|uso) (?:la )?medical(?! (?:assistant|asistente|billing|coding|records|field|school|office|biller|tech))",
    ),
)


# Asked which aid they get, or named beside another aid ("link y medicaid"), "el link" or "link"
# alone is the LINK card (SNAP in Illinois); said out of the blue, "send me the link" is a web link.
_LINK_WHEN_ASKED = rules("snap", r"(?:^|el |the |my |mi |y |and |, ?)link")
_AID_WORD = r"(?:medicaid|medical|snap|ssi|tanf|cupones|estampillas|food stamps|wic)"
_LINK_BESIDE_AID = rules(
    "snap",
    r"(?:^|la |el |mi |tengo |recibo |y |, ?)link(?: card)? (?:y|and|,) (?:la |el |mi )?" + _AID_WORD,
    _AID_WORD + r" (?:y|and|,) (?:la |el |mi )?link",
)


def find_public_assistance(folded: str, asked: bool = False) -> list[str]:
    """The assistance programs the seeker says they get, in the canonical order. "No food
    stamps", "I don't get snap or medicaid" give nothing. `asked`: the reply to the aid question."""
    found: set[str] = set()
    for group in _ASSISTANCE_RULES:
        for hit in find_hits(folded, group, negation_window=6):
            if not hit.negated:
                found.add(hit.value)
    for hit in find_hits(folded, _LINK_WHEN_ASKED if asked else _LINK_BESIDE_AID if found else (), negation_window=6):
        if not hit.negated:
            found.add(hit.value)
    return [value for value in ("snap", "tanf", "ssi", "medicaid") if value in found]


_SEX_RULES = (
    rules("other", r"(?:im|i am) not (?:a )?(?:man|guy|male)|no soy (?:hombre|varon)"),
    rules(
        "female",
        r"(?:im|i am) (?:a )?(?:woman|female|girl|lady)|soy (?:una )?(?:mujer|chica|muchacha|senora|dama)|(?:gender|sex|sexo)\W*(?:female|woman|mujer|femenino|f)",
        # A seeker calling herself a mother: "single mom", "soy mamá soltera".
        r"(?:im|i am) (?:a )?(?:single )?(?:mom|mother)|single mom|soy (?:una )?(?:mama|madre)|(?:madre|mama) soltera",
    ),
    rules("male", r"(?:im|i am) (?:a )?(?:man|male|guy|dude)|soy (?:un )?(?:hombre|varon|muchacho|chavo)|(?:gender|sex|sexo)\W*(?:male|man|hombre|masculino|m)"),
)


# The one word a reply to the Selective Service question may be ("mujer", "male"): only read there.
_SEX_WORD_REPLY = (
    (re.compile(r"^(?:soy )?(?:una )?(?:mujer|woman|female|femenin[oa]|girl|chica|dama|senora|lady|f)[\s.!]*$"), "female"),
    (re.compile(r"^(?:soy )?(?:un )?(?:hombre|man|male|masculino|varon|guy|m)[\s.!]*$"), "male"),
)


def sex_in_reply(folded: str) -> str | None:
    """"mujer", "female", "hombre" as the whole reply to a question that asks whether one is a man."""
    return next((value for pattern, value in _SEX_WORD_REPLY if pattern.match(folded.strip())), None)


def find_sex(folded: str) -> str | None:
    for group in _SEX_RULES:
        for hit in find_hits(folded, group):
            if not hit.negated:
                return hit.value
    return None
