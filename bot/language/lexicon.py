"""Words that tell English from Spanish in short text messages, with how much each one counts.

Written from general knowledge of both languages (the most frequent function words, common verb
forms, and the abbreviations people use when texting), not from the test messages.
Words are lowercase and without accents, as `text.words` returns them.

Weights: 1.0 = only this language uses the word; 0.6 = mostly this language; 0.3 = a hint.
Content nouns (job, warehouse, resume...) are left out on purpose: Spanish speakers borrow them
("busco trabajo de warehouse"), so the grammar words decide, not the nouns.
"""
from __future__ import annotations


def _weighted(weight: float, text: str) -> dict[str, float]:
    return {word: weight for word in text.split()}


SPANISH_WORDS: dict[str, float] = {
    # Function words: articles, prepositions, pronouns, conjunctions.
    **_weighted(
        1.0,
        "el la los las del de que en y por para con una unos unas al pero porque cuando donde "
        "como cual cuales cuanto cuanta cuantos cuantas quien quienes tambien muy mas hay "
        "este esta esto estos estas ese esa eso esos esas aquel mis tus sus nuestro nuestra "
        "yo usted ustedes nosotros ellos ellas lo le les se nos sin sobre hasta desde entre "
        "nunca siempre tampoco aqui alli ahi aca alla hoy ayer manana ahora despues antes "
        "todavia aun nada algo alguien nadie todo todos toda todas otro otra otros otras mucho "
        "mucha muchos muchas poco poca pocos bien mal mejor solamente luego entonces pues "
        "cada mismo misma algun alguna ningun ninguna tal",
    ),
    **_weighted(0.6, "un mi tu te es ni o solo sea ya"),
    **_weighted(0.3, "son"),
    # Common verb forms (ser, estar, tener, poder, querer, necesitar, buscar, trabajar...).
    **_weighted(
        1.0,
        "soy eres somos fue fui era eran estoy estas estamos estan estaba estaban estado "
        "tengo tienes tiene tenemos tienen tenia tuve tener puedo puedes puede podemos pueden "
        "podria quiero quieres quiere queremos quieren queria necesito necesitas necesita "
        "necesitamos necesitan busco buscas busca buscamos buscan buscando buscar trabajo "
        "trabaja trabajas trabajan trabajamos trabajaba trabajaban trabaje trabajar trabajando "
        "vivo vives vive viven hablo hablas habla hablan hablar hago hace hacen hacer hice "
        "voy vas vamos ir sabe saber conozco dijeron dicen dice decir gustaria gusta "
        "llamo llama llamar perdi perdio despidieron corrieron cerro cerraron pagan paga pago "
        "cobro cobrar ayudar ayuda ayudan ayudenme aplicar aplico solicitar inscribir "
        "empezar empiezo empieza estudiar estudio estudiando termine sali deje tengan "
        "haber hemos han habia seria ser estar dar doy da ver veo ves "
        # Third person past tense, how people tell what happened at work.
        "dijo corrio cerro paso llamo mando pago despidio contrato acepto pidio salio "
        "llego empezo termino quito bajo subio cambio",
    ),
    # Everyday adjectives.
    **_weighted(
        0.6,
        "limpio limpia sucio nuevo nueva viejo vieja malo mala grande pequeno chico chica "
        "rapido facil dificil caro barato listo lista seguro segura cansado cansada",
    ),
    # Texting spellings and abbreviations.
    **_weighted(
        1.0,
        "q xq pq porq xk pk tmb tmbn tb tambn ntp dnd bn kiero qiero tngo tng nesesito "
        "nececito nesecito nececita ocupo porfa porfavor xfa xfavor plis pliss "
        "gracia grasias graxias chamba jale trabaj oiga oye mande chido neta orale wey guey "
        "toy tamos ando andamos sta nel",
    ),
    **_weighted(0.6, "pa d x dl tqm"),
    **_weighted(0.3, "k"),
    # Greetings, thanks and yes: Spanish, but anyone may use them (see COURTESY_WORDS).
    **_weighted(1.0, "hola gracias buenos buenas dias tardes noches adios bueno claro vale"),
    **_weighted(0.6, "si"),
    # Everyday nouns and adjectives of a job search that Spanish speakers rarely replace
    # with English ones.
    **_weighted(
        0.6,
        "anos edad papeles casa hijos hijo hija familia dinero semana semanas mes meses "
        "horas dia escuela prepa secundaria preparatoria universidad estudios empleo "
        "desempleado desempleada despedido despedida seguro cuesta gratis cerca lejos "
        "ciudad tiempo lugar oficina cita clases curso cursos entrenamiento programa "
        "programas ingles espanol mexico veterano veterana militar licencia manejo "
        "camion fabrica limpieza cocina cocinero enfermera enfermero salud construccion "
        "energia limpia sueldo salario hora pasado pasada proximo proxima",
    ),
}

ENGLISH_WORDS: dict[str, float] = {
    # Function words.
    **_weighted(
        1.0,
        "the and of to is it its this that these those what whats where wheres when how who "
        "whom why which there here with from about into over after before just also only "
        "very any some my your our their his her him them they we you i i'm im i've ive i'd "
        "i'll you're youre they're it's don't dont doesn't doesnt didn't didnt can't cant "
        "won't wont isn't isnt wasn't aren't haven't havent hasn't couldn't wouldn't "
        "shouldn't if but or so because then than too not all every each other another "
        "much many more most few something anything nothing someone anyone everyone "
        "again still yet already never always sometimes now today tomorrow yesterday tonight",
    ),
    **_weighted(0.6, "in on at for an by up out off he she us r english spanish"),
    # Common verb forms.
    **_weighted(
        1.0,
        "am are was were be been being have has had having do does did doing get got gets "
        "getting need needs needed want wants wanted looking look looked find found know "
        "knew think go going went gone come came make made take took give gave tell told "
        "said say says work worked working live lived living lost laid fired quit start "
        "started apply applied help helped sign call called text texted speak talk talked "
        "will would could should can may might must let like love learn learning pay paid "
        "used use become became finish finished graduated left keep kept move moved try",
    ),
    # Texting spellings and abbreviations.
    **_weighted(
        1.0,
        "u ur pls plz thx ty tmrw tmr idk gonna wanna gotta yall y'all ain't aint "
        "dunno wat wut cuz bc btw omg rn ima imma lemme gimme kinda sorta prolly bout "
        "tho thru nvm ppl bday yrs yr wks hrs lmao lmk smh wyd hbu tbh ngl bruh",
    ),
    **_weighted(0.3, "lol"),
    # Greetings, thanks and yes: English, but anyone may use them (see COURTESY_WORDS).
    **_weighted(1.0, "hi hello hey thanks thank please yes yeah yea yep nope sure bye"),
    # Everyday words of a job search that have a common Spanish word instead.
    **_weighted(
        0.6,
        "old years year months month week weeks days day hours school high college degree "
        "free near close far city time place office appointment classes class training "
        "anymore last next ago since until while during without",
    ),
}

# Words anyone may send whatever language they speak: they may point to a language,
# but alone they never justify switching a conversation.
COURTESY_WORDS: frozenset[str] = frozenset(
    "hola gracias buenos buenas dias tardes noches adios bueno claro vale si "
    "hi hello hey thanks thank please yes yeah yea yep nope sure bye ok okay".split()
)

# Small words inside Spanish surnames and place names ("Maria de la Cruz", "Jose del Toro",
# "El Paso"): a name is no reason to switch, so these count towards the guess but not towards
# a switch.
NAME_PARTICLES: frozenset[str] = frozenset("de del el la las los y san santa".split())

# Words that tell nothing about the language: short answers shared by both. "yo" is Spanish for
# "I" and English texting for "hey": alone it must not start a conversation in Spanish.
NEUTRAL_WORDS: frozenset[str] = frozenset("ok okay okey oki no nop a me ah oh eh mm hmm jaja haha yo".split())

# Word endings that, in a word not listed above, point to one language.
SPANISH_ENDINGS: tuple[tuple[str, float], ...] = (
    ("cion", 0.6),
    ("ciones", 0.8),
    ("ando", 0.6),
    ("iendo", 0.8),
    ("aba", 0.6),
    ("aban", 0.8),
    ("ados", 0.6),
    ("idos", 0.6),
    ("ito", 0.4),
    ("io", 0.3),
    ("ita", 0.4),
    ("mente", 0.6),
    ("eria", 0.5),
    ("dad", 0.5),
    ("amos", 0.6),
    ("emos", 0.6),
    ("aron", 0.8),
    ("ieron", 0.8),
)
ENGLISH_ENDINGS: tuple[tuple[str, float], ...] = (
    ("ing", 0.6),
    ("tion", 0.6),
    ("ly", 0.4),
    ("ness", 0.6),
    ("ful", 0.6),
    ("ght", 0.8),
    ("th", 0.5),
    ("'s", 0.6),
    ("n't", 1.0),
)
