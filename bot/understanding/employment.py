"""Work situation statements: "got laid off", "me van a cortar", "I work at Target",
"never had a job", and unemployment-insurance statements: "I get unemployment", "se me acabo el
desempleo".

Decisions:
- "me despidieron", "me corrieron", "perdi mi trabajo" -> laid_off. Spanish uses these words for a
  layoff as well as for being fired; the screen only says "likely", and staff ask why the job ended.
  English "fired" is clearer and gives unemployed.
- When several statements appear, the most specific wins (see STATUS_PRIORITY): "I'm working but
  got a layoff notice" is a notice; "I work at Target and I'm looking for something better" is
  working.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.understanding.rules import find_hits, rules
from bot.understanding.text import is_negated, is_typo_of, words_of

_JOB = r"(?:job|jobs|work|jb|position|employment)"
_TRABAJO = r"(?:trabajo|empleo|chamba|jale|chambita|trabajito)"

STATUS_PRIORITY = (
    "layoff_notice",
    "self_employed_lost_business",
    "laid_off",
    "lost_family_support",
    "never_worked",
    "working",
    "unemployed",
)

# "me cortaron las horas": the hours were cut, not the job.
_NOT_HOURS = r"(?! (?:las |mis |el |los |unas )?(?:horas|hrs|dias|turnos|sueldo|pago|salario))"

_STATUS_RULES = (
    rules(
        "layoff_notice",
        r"(?:layoff|lay off|lay-off|warn|closing|closure|termination) notice",
        r"(?:got|received|recieved|get|gave us|given|got a|me dieron|recibi|nos dieron) (?:a |an |the |my |un |el |una )?(?:notice|aviso|carta de despido)",
        r"(?:going to|gonna|gon|will|about to|are going to|is going to|might|may) (?:be |get |getting )?(?:laid off|layed off|let go|lose my job|lose our jobs)",
        r"(?:going to|gonna|will|about to|is going to|are going to) (?:close|shut down|closing)",
        r"(?:job|company|plant|store|warehouse|factory|place|work|hotel|restaurant|it|they) (?:is |are |its )?(?:closing|shutting down|shuting down)",
        r"closing (?:next|this|in|at the end|soon|down)",
        r"me van a (?:cortar|despedir|correr|liquidar|dejar sin " + _TRABAJO + ")",
        r"nos van a (?:cortar|despedir|correr|liquidar)",
        r"(?:va|van) a cerrar",
        r"(?:esta|estan) cerrando",
        r"(?:aviso|noticia|notificacion|carta) de (?:despido|cierre|layoff)",
        # A layoff still ahead: "im being laid off 1/15", "we are getting laid off", "my last day is dec 31".
        r"(?:being|getting) (?:laid|layed|layd) ?off",
        r"(?:plant|company|factory|store|warehouse|place|job|work|hotel|restaurant|it|they|site|location) (?:shuts|closes|will close|will shut)(?: down)?",
        r"(?:my|our) last day (?:is|will be|would be|at work is)",
        r"(?:mi|nuestro) ultimo dia (?:es|sera|va a ser)",
        r"(?:cierran|cierra) (?:la|el|mi|nuestra|nuestro) (?:planta|fabrica|empresa|tienda|almacen|bodega|hotel|restaurante|compania|trabajo)",
        r"(?:carta|aviso) (?:de|que dice|diciendo) que (?:cierran|cierra|van a cerrar|nos van a)",
    ),
    rules(
        "self_employed_lost_business",
        r"(?:my|our) (?:own )?(?:small )?(?:business|shop|company) (?:closed|shut down|went under|failed|went out of business|is closed|got closed|closed down)",
        r"(?:closed|lost|shut down|had to close|shutdown) (?:my|our) (?:own )?(?:small )?(?:business|shop|company)",
        r"(?:was|used to be|i was|im no longer|formerly) self[- ]?employed",
        r"(?:had|owned|used to have|used to own) (?:my|our) own business",
        r"(?:cerre|cerramos|perdi|perdimos|tuve que cerrar) (?:mi|nuestro) (?:propio |pequeno )?negocio",
        r"(?:mi|nuestro) (?:propio |pequeno )?negocio (?:cerro|quebro|se cerro|fracaso|se cayo|se fue abajo)",
        r"(?:trabajaba|trabajaba) por mi cuenta",
        r"era (?:mi propio jefe|independiente|autonomo)",
    ),
    rules(
        "laid_off",
        r"(?:laid|layed|layd|lay|lain) ?off",
        r"(?:got|was|been|i was|i got) (?:laid|layed|layd) ?of",
        # "laid of last month", "layed of from amazon": the typo where no subject comes first.
        r"(?:^|im |i |just |recently )(?:laid|layed|layd) of",
        # "they laid me off", "laid us all off".
        r"(?:laid|layed|layd|lay|lays) (?:me|us|him|her|them|us all|all of us|everyone) ?off",
        r"(?:was|got|been|were|they|me|us|i was) let (?:me |us )?go",
        r"^let go (?:in|on|last|this|from|at|yesterday|today|a|two|2|3|few)",
        r"lost (?:my |our |the )?" + _JOB,
        r"furlough(?:ed)?",
        r"downsized|position (?:was )?eliminated|job (?:was )?eliminated",
        r"(?:plant|company|factory|store|warehouse|place|job|work|hotel|restaurant) (?:closed|shut down|closed down)",
        r"(?:closed|shut down|shut) (?:down )?(?:the|my|our) (?:plant|company|factory|store|warehouse|place|location|hotel|restaurant)",
        r"(?:me|nos) (?:despidieron|corrieron|cortaron|liquidaron|recortaron|sacaron|botaron|dejaron ir)" + _NOT_HOURS,
        # "Me dieron las gracias": how a dismissal is put politely (not "las gracias por ...").
        r"(?:me|nos) (?:dieron|dan|han dado) las gracias(?! por)",
        r"(?:fui|estoy) (?:despedido|despedida)",
        r"perdi (?:mi |el )?" + _TRABAJO,
        r"me quede sin " + _TRABAJO,
        r"(?:cerraron|cerro|se cerro) (?:la|el|mi) (?:fabrica|compania|empresa|planta|tienda|trabajo|almacen|restaurante|hotel|bodega)",
        r"recorte de personal",
    ),
    rules(
        # A displaced homemaker (WIOA 3(16)): lived on a family member's income and lost it. Staff check the
        # rest; the words only need to say the support is gone, or that the seeker kept the home.
        "lost_family_support",
        r"(?:husband|wife|spouse|partner|boyfriend|girlfriend|family|parents?) (?:used to|no longer|doesnt|does not|stopped|cant|can not|cannot) (?:support|supporting|provide for|pay for|pays for|take care of) (?:me|us)",
        r"(?:my )?(?:husband|wife|spouse|partner) (?:left|left me|left us|passed away|passed|died|is gone|got deported|was deported|went to (?:jail|prison))",
        r"lost (?:my |our )?(?:husbands|wifes|spouses|partners|familys|family) (?:income|support|paycheck|pay)",
        r"(?:i was |i am |im |was a |a |been a )?(?:stay at home|stay-at-home|stayed at home) (?:mom|mother|dad|father|parent|wife|husband)",
        r"homemaker|housewife|house wife",
        r"ama de casa",
        # "estoy en la casa con mis hijos": keeping the home, as "stay at home mom" is read.
        r"(?:estoy|me quedo|me quede|me la paso) en (?:la )?casa (?:con|cuidando(?: a)?) (?:mis|los) (?:hijos|ninos|nenes|bebes|chamacos|hijas)",
        r"(?:mi )?(?:esposo|esposa|pareja|marido) (?:me dejo|nos dejo|se fue|murio|fallecio|lo deportaron|la deportaron|esta preso|esta presa|esta en la carcel|ya no me mantiene|ya no nos mantiene|ya no me ayuda)",
        r"(?:ya no me|ya no nos) (?:mantiene|mantienen|mantenia|mantenian)",
        r"perdi (?:el )?(?:apoyo|ingreso|dinero) de mi (?:esposo|esposa|pareja|marido|familia)",
    ),
    rules(
        "never_worked",
        r"never (?:had|held|have had|got) (?:a |any )?(?:real )?" + _JOB,
        r"never (?:worked|been employed|had a job)",
        r"(?:havent|have not|hasnt) (?:ever )?(?:worked|had a job)",
        r"(?:this would be|looking for|need|want) my first job",
        r"nunca (?:he |e |a |ha )?(?:trabajado|trabaje|tenido (?:un )?" + _TRABAJO + ")",
        r"no (?:he|e) trabajado nunca",
        r"(?:mi )?primer (?:trabajo|empleo)",
    ),
    rules(
        "working",
        r"(?:i|yo) (?:currently |still |now |already |also )?work (?:at|for|in|as|with|part time|full time|nights|days|\d+ hours)",
        r"(?:im|i am|i m) (?:currently |still |now |already |also )?(?:working|employed)",
        r"i (?:have|got|already have|already got|just got|found|already found|just found) (?:a |an |one )?(?:part time |full time |good |new |another )?(?:job|position)(?! interview)",
        r"(?:ya )?(?:encontre|consegui|tengo) (?:un |otro |mi )?(?:nuevo )?" + _TRABAJO,
        r"currently employed",
        r"(?:estoy|ando) (?:trabajando|empleado|empleada|chambeando)",
        r"(?:yo |ahorita |ahora |actualmente |si |todavia |aun )trabajo (?:en|para|de|como|medio tiempo|tiempo completo|part time|part-time|full time|full-time)",
        # Opening a message, "trabajo de limpieza" is as often the job wanted as the job held: not read.
        r"^trabajo (?:en|para|como|medio tiempo|tiempo completo|part time|part-time|full time|full-time)",
        r"tengo (?:un |mi )?(?:" + _TRABAJO + ")",
        # Hours cut is still a job: "me cortaron las horas", "they cut my hours".
        r"(?:me|nos) (?:cortaron|recortaron|bajaron|redujeron|quitaron) (?:las |mis |unas |los )?(?:horas|hrs|dias|turnos)",
        r"(?:cut|reduced|cutting|lowered) (?:my|our) (?:hours|shifts|days)|hours (?:got |were )?cut",
        # Informal work is work: "hago limpieza de casas", "hago yardas".
        r"(?:^|yo |ahorita |ahora |pues |si )hago (?:limpieza|limpiezas|trabajos?|jales?|chambitas?|yardas|jardineria|mudanzas|remodelaciones|delivery)",
        # Gig work is work: "i do uber", "i drive for doordash", "hago uber".
        r"(?:i |yo )?(?:do|drive for|deliver for|work for|hago|manejo para|trabajo en|trabajo para) (?:uber|lyft|doordash|door dash|instacart|grubhub|ubereats|uber eats|amazon flex|shipt|spark)",
    ),
    rules(
        "unemployed",
        r"unemployed|unemploye|jobless|out of work|between jobs|fired",
        # A retiree texting us is looking for work: "Out of work, looking" is the option that fits.
        r"(?:im |i am |i m )?retired|jubilad[oa]|pensionad[oa]|me jubile|me retire",
        r"(?:not|no longer) (?:currently )?working",
        r"(?:dont|do not|dont currently) have (?:a |any )?" + _JOB,
        r"no " + _JOB,
        r"desemplead[oa]s?|desocupad[oa]",
        r"sin " + _TRABAJO,
        # "no trabajo, cuido a mis hijos": the verb, I do not work.
        r"(?:^|yo |ahorita |ahora |actualmente |ya |pues |pos |pus |nel |nop |nope |no |nah )no trabajo(?! (?:de|en|para|como)\b)",
        r"no (?:tengo|estoy) (?:" + _TRABAJO + "|trabajando)",
        r"(?:i )?quit (?:my |the |that )?(?:job|work)|i quit\s*[.!]*\s*$|renuncie|deje (?:mi |el )?" + _TRABAJO,
        r"(?:cant|can not|cannot|unable to) work|no puedo trabajar",
    ),
)


@dataclass(frozen=True)
class StatusMention:
    value: str
    start: int
    end: int


# "Looking for work" / "busco trabajo" is deliberately not a status: people with a job look for a
# better one too, and the status decides Dislocated Worker and benefits questions, so we ask.


# Long status words people misspell ("unemployd", "desenpleado"); matched with a typo budget.
_MISSPELLABLE_STATUS_WORDS = {
    "unemployed": "unemployed",
    "desempleado": "unemployed",
    "desempleada": "unemployed",
    "desocupado": "unemployed",
    "desocupada": "unemployed",
}
# "unemployment" is the benefit, not the status.
_NOT_STATUS_WORDS = frozenset({"unemployment", "unemployement", "desempleo"})


def _misspelled_status(folded: str) -> StatusMention | None:
    for word in words_of(folded):
        if word.text in _NOT_STATUS_WORDS:
            continue
        for target, value in _MISSPELLABLE_STATUS_WORDS.items():
            if is_typo_of(word.text, target):
                if is_negated(folded, word.start):
                    break  # "not unemployed": this word says nothing; a later one may
                return StatusMention(value, word.start, word.end)
    return None


def find_employment_status(folded: str) -> StatusMention | None:
    """The seeker's work situation, if they state one."""
    for group in _STATUS_RULES:
        for hit in find_hits(folded, group):
            # "no tengo trabajo" is unemployed; "not working" is a rule of its own.
            if hit.negated and hit.value in ("working", "laid_off", "layoff_notice", "lost_family_support"):
                continue
            return StatusMention(hit.value, hit.start, hit.end)
    return _misspelled_status(folded)


_UNEMPLOYMENT = r"(?:unemployment|unemployement|unemployment benefits|unemployment insurance|ui|ides|ui benefits)"
_DESEMPLEO = r"(?:el |mi |del )?(?:desempleo|unemployment|seguro de desempleo|beneficios de desempleo|ides)"

_UI_RULES = (
    rules(
        "exhausted",
        _UNEMPLOYMENT + r" (?:ran out|run out|runs out|has run out|ended|expired|is over|stopped|is done|exhausted|finished)",
        r"(?:ran out of|run out of|exhausted|used up|used all|used all of) (?:my )?" + _UNEMPLOYMENT,
        r"(?:se me acabo|se acabo|se termino|se me termino) " + _DESEMPLEO,
        _DESEMPLEO + r" (?:se (?:me )?acabo|se (?:me )?termino|ya se acabo)",
        r"ya no (?:recibo|me dan|cobro|me pagan|tengo|me llega) " + _DESEMPLEO,
        r"no longer (?:get|getting|receive|receiving|on) " + _UNEMPLOYMENT,
    ),
    rules(
        "not_filed",
        r"(?:didnt|did not|havent|have not|never|not yet|dont know how to|did not yet) (?:yet )?(?:file|filed|apply|applied|claim|claimed) (?:for )?" + _UNEMPLOYMENT,
        r"no (?:he |e |lo he )?(?:aplicado|aplique|pedido|pedi|solicitado|solicite|metido|meti|reclamado) (?:para |al |por |a )?" + _DESEMPLEO,
        _UNEMPLOYMENT + r" (?:was |got )?denied|denied (?:for )?" + _UNEMPLOYMENT,
        r"me (?:negaron|rechazaron) " + _DESEMPLEO,
    ),
    rules(
        "receiving",
        r"(?:get|getting|gettin|receive|receiving|recieve|recieving|collect|collecting|on|draw|drawing|got|have) (?:my |the )?" + _UNEMPLOYMENT,
        r"(?:recibo|recibiendo|cobro|cobrando|agarro|agarrando|tengo|me dan|me pagan|me llega|me esta llegando) " + _DESEMPLEO,
        # "estoy en unemployment": on the benefit (the English word; "estoy en el desempleo" can mean jobless).
        r"(?:estoy|ando|sigo) (?:en|con) (?:el |mi )?(?:unemployment|seguro de desempleo|beneficios de desempleo)",
    ),
)


# Replies to the benefits question itself, where the word "unemployment" is understood.
UI_REPLY_RULES = (
    rules(
        "exhausted",
        r"(?:they |it |has |have )?(?:ran out|run out|expired|ended|used (?:it |them )?up|exhausted)",
        r"se (?:me )?(?:acabaron|acabo|terminaron|termino)|ya (?:se )?(?:acabaron|acabo|no (?:los )?recibo)",
    ),
    rules(
        "not_filed",
        r"(?:didnt|did not|havent|have not|never|not yet) (?:yet )?(?:file|filed|apply|applied|claim|claimed)",
        r"(?:no|nunca) (?:he |e |lo he |los he |lo |los )?(?:aplicado|aplique|pedido|pedi|solicitado|solicite|reclamado)|todavia no|aun no",
        r"not yet|(?:i )?havent yet|(?:i )?have not yet",
    ),
    rules(
        # Filed but no payment yet, or denied: neither receiving nor not filed; staff check.
        "unknown",
        r"(?:applied|filed|aplique|solicite)(?: for it| already| ya)? (?:but|pero) (?:havent|have not|no|not|still|todavia|aun)",
        r"(?:pending|waiting (?:on|for) (?:it|them|a decision|ides)|still waiting|en espera|esperando (?:respuesta|la decision))",
        r"(?:denied|got denied|was denied|they denied|rejected|me (?:lo |los )?negaron|me rechazaron|negado)",
    ),
    rules(
        "receiving",
        r"i (?:get|receive|am getting|do get) (?:it|them)|getting (?:it|them)",
        r"(?:si )?(?:los|lo) (?:recibo|cobro)|me (?:los|lo) dan",
    ),
)


def find_ui_status(folded: str) -> StatusMention | None:
    """Unemployment insurance: receiving, exhausted or not_filed. A negated "I get unemployment"
    ("I don't get unemployment", "no recibo desempleo") means not_filed: the option the seeker is
    shown reads "I do not get it / did not apply"."""
    for group in _UI_RULES:
        for hit in find_hits(folded, group):
            if hit.value == "receiving" and hit.negated:
                return StatusMention("not_filed", hit.start, hit.end)
            if hit.negated and hit.value == "exhausted":
                continue
            return StatusMention(hit.value, hit.start, hit.end)
    return None


# The employer named right after a layoff phrase: "laid off from Amazon", "me corrieron de la
# Target", "I worked at Sears".
_EMPLOYER_AFTER = re.compile(
    r"(?:(?:laid|layed|layd) (?:me |us )?off?|let go|lost my job|fired|despidieron|corrieron|cortaron|liquidaron|"
    r"notice|aviso|worked|used to work|was working|trabajaba|trabaje|work|trabajo) "
    r"(?:(?:in|en|on|el) [a-z0-9]+ |last [a-z]+ |hace [a-z0-9]+ [a-z]+ )?"
    # "laid off from my job as a medical biller at Advocate": the job, then where it was.
    r"(?:(?:from|de) (?:my|mi) (?:job|position|work|trabajo|puesto)(?: (?:as|como) (?:a |an |un |una )?(?:[a-z]+ ){0,2}?[a-z]+)? )?"
    r"(?:from|at|by|for|with|de|en|del|con|para) (?:la |el |the )?"
    r"(?P<employer>[a-z0-9&][a-z0-9&'-]*(?: (?!(?:last|in|on|and|y|hace|el|la|because|porque|about|like|a|since|"
    r"desde|for|por|when|cuando|yesterday|ayer|this|next|two|2|3|but|pero|after|before|antes|"
    r"despues|so|it|they|i|and|the|el|en|de|como|around)\b)[a-z0-9&'-]+){0,3})"
)


# "laid off at the end of last month": a time, not a company.
_TIME_NOT_EMPLOYER = re.compile(
    r"(?:end|beginning|start|middle|first|last|finales|fines|principios|inicios|mediados|the end|"
    r"night|nights|noche|dia|days|weekend)\b"
)


def employer_span(folded: str) -> tuple[int, int] | None:
    """Where the employer is named after a layoff or past-work phrase, as a folded-text span."""
    for match in _EMPLOYER_AFTER.finditer(folded):
        if not _TIME_NOT_EMPLOYER.match(match["employer"]):
            return (match.start("employer"), match.end("employer"))
    return None
