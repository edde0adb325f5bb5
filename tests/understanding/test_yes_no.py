from __future__ import annotations

import pytest

from bot.understanding.yes_no import leading_yes_no, opening_yes, parse_yes_no

YES = ["yes", "Yes", "YES", "y", "Y", "yeah", "yea", "ya", "yep", "yup", "sure", "ok", "OK", "okay",
       "of course", "correct", "right", "affirmative", "yes i am", "yes I do", "yes!", "yes.", "yes 👍",
       "👍", "si", "sí", "Sí", "SI", "siii", "sip", "simon", "claro", "claro que si", "claro que sí",
       "por supuesto", "asi es", "así es", "correcto", "dale", "si lo soy", "si tengo", "si, gracias",
       "yes please", "yes maam", "i did", "I do", "si lo hice", "ys", "yeh"]
NO = ["no", "No", "NO", "n", "nah", "nope", "not really", "never", "negative", "no thanks",
      "no gracias", "para nada", "nel", "nop", "tampoco", "no i dont", "no i'm not", "no im not",
      "no, I am not", "nooo", "no no", "nunca", "no tengo", "no soy", "no estoy", "👎", "no.",
      "i didnt", "I didn't", "i did not", "no i didnt", "im not", "never did", "no lo hice"]
UNKNOWN = ["idk", "IDK", "i dont know", "I don't know", "dunno", "not sure", "no se", "no sé",
           "No sé", "nose", "ni idea", "no estoy seguro", "no estoy segura", "maybe", "maybe?",
           "skip", "pass", "prefer not to say", "prefiero no decir", "saltar", "no idea",
           "no lo se", "i'm not sure", "tal vez", "quizas", "no me acuerdo", "🤷", "idk lol",
           # Naming what is not known: "I don't know my ZIP" is still "I don't know".
           "idk my zip", "i dont know my zip code", "not sure what my zip is", "no se mi zip",
           "dont remember the exact date", "no se cual es mi codigo postal", "idk the company name"]
NEITHER = ["no, I am 24", "no tengo papeles", "yes my zip is 60623", "I need a job", "24", "hola",
           "i have a question", "nothing about it", "not sure what that means", "idk what it is",
           "no se que es", "i guess so", "idk what u mean", "", "   ", "noche", "yesterday",
           "nosey", "sin papeles", "Maria"]


@pytest.mark.parametrize("text", YES)
def test_yes(text: str) -> None:
    assert parse_yes_no(text) == "yes"


@pytest.mark.parametrize("text", NO)
def test_no(text: str) -> None:
    assert parse_yes_no(text) == "no"


@pytest.mark.parametrize("text", UNKNOWN)
def test_unknown(text: str) -> None:
    assert parse_yes_no(text) == "unknown"


@pytest.mark.parametrize("text", NEITHER)
def test_sentences_are_not_plain_replies(text: str) -> None:
    assert parse_yes_no(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("no, I am 24", ("no", "i am 24")),
        ("No. my zip is 60623", ("no", "my zip is 60623")),
        ("si, tengo 30", ("yes", "tengo 30")),
        ("yes! im a veteran", ("yes", "im a veteran")),
        ("no tengo papeles", None),
        ("no im not", None),
        ("ok!!", None),
    ],
)
def test_leading_yes_no_needs_punctuation(text: str, expected) -> None:
    assert leading_yes_no(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("yes community college", True), ("si voy a la escuela", True), ("yeah part time", True),
        ("yes but not now", False), ("si no puedo", False), ("ya termine", False), ("no tengo", False),
        ("yes", False),
    ],
)
def test_opening_yes(text: str, expected: bool) -> None:
    assert opening_yes(text) is expected
