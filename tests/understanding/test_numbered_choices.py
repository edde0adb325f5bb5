"""Numbered choices on SMS: how they are shown, and which replies pick one (in both languages)."""
from __future__ import annotations

import pytest

from bot.understanding.numbered_choices import select_choice
from bot.sms import MAX_INLINE_OPTIONS, MAX_INLINE_TITLE_LENGTH, sms_choice_text
from bot.sms import MAX_SEGMENTS, fold_to_gsm, is_gsm7, segments
from tests.flows.test_domain_responses import RESPONSES, _language_of


def buttons(*titles: str, payloads: tuple[str, ...] | None = None) -> list[dict[str, str]]:
    payloads = payloads or tuple(str(n) for n in range(1, len(titles) + 1))
    return [{"title": title, "payload": payload} for title, payload in zip(titles, payloads)]


YES_NO_EN = buttons("Yes", "No", payloads=("/affirm", "/deny"))
YES_NO_ES = buttons("Sí", "No", payloads=("/affirm", "/deny"))
SECTORS_EN = buttons(
    "Healthcare", "Hotels and food", "Trucks and warehouses", "Computers (IT)", "Construction", "Clean energy"
)
SECTORS_ES = buttons(
    "Salud", "Hoteles y comida", "Camiones y almacenes", "Computación (IT)", "Construcción", "Energía limpia"
)
TWO_SECTORS = buttons("Healthcare", "Hospitality")
UI_STATUS_EN = buttons("Yes, I get them", "They ran out", "I have not applied", "Not sure")
UI_STATUS_ES = buttons("Sí, los recibo", "Se me acabaron", "No he aplicado", "No sé")
EMPLOYMENT_ES = buttons("Trabajando", "Sin trabajo, buscando", "Me despidieron por recorte")
BARRIERS_EN = buttons("No stable home", "Arrest or court record", "Foster care", "Pregnant or a parent", "None")
BARRIERS_ES = buttons("Sin casa fija", "Arresto o caso en corte", "Hogar de crianza", "Ninguno")
WHOLE_TITLE_FIRST = buttons("Yes, I registered", "No", "No idea")
NUMBER_WORD_TITLES = buttons("Two or more", "Just one")
LONGEST_INLINE_TITLE = "x" * MAX_INLINE_TITLE_LENGTH


@pytest.mark.parametrize(
    "offered, language, expected",
    [
        (YES_NO_EN, "en", "Reply 1 for Yes, 2 for No"),
        (YES_NO_ES, "es", "Responde 1 para Sí, 2 para No"),
        (buttons("Yes"), "en", "Reply 1 for Yes"),
        (buttons("Yes", "No", "Not sure"), "en", "Reply 1 for Yes, 2 for No, 3 for Not sure"),
        (buttons("Sí", "No", "No sé"), "es", "Responde 1 para Sí, 2 para No, 3 para No sé"),
        (YES_NO_EN, "fr", "Reply 1 for Yes, 2 for No"),  # unknown language: English
        # More than three options: one per line.
        (
            buttons("Healthcare", "Hospitality", "Transportation", "IT"),
            "en",
            "1 Healthcare\n2 Hospitality\n3 Transportation\n4 IT",
        ),
        # A comma inside a title would read as the end of an option inline.
        (buttons("Yes, I get them", "No"), "en", "1 Yes, I get them\n2 No"),
        (EMPLOYMENT_ES, "es", "1 Trabajando\n2 Sin trabajo, buscando\n3 Me despidieron por recorte"),
        # A long title goes on its own line.
        (buttons(LONGEST_INLINE_TITLE, "No"), "en", f"Reply 1 for {LONGEST_INLINE_TITLE}, 2 for No"),
        (buttons(LONGEST_INLINE_TITLE + "x", "No"), "en", f"1 {LONGEST_INLINE_TITLE}x\n2 No"),
        # Stray whitespace in a title is not sent.
        (buttons("  Yes \n", "No"), "en", "Reply 1 for Yes, 2 for No"),
        ([], "en", ""),
    ],
)
def test_sms_choice_text(offered, language, expected):
    assert sms_choice_text(offered, language) == expected


@pytest.mark.parametrize("count", [MAX_INLINE_OPTIONS, MAX_INLINE_OPTIONS + 1])
def test_one_option_per_line_beyond_the_inline_limit(count):
    text = sms_choice_text(buttons(*[f"Option {n}" for n in range(1, count + 1)]), "en")
    assert ("\n" in text) is (count > MAX_INLINE_OPTIONS)
    assert text.startswith("Reply 1 for ") is (count <= MAX_INLINE_OPTIONS)


@pytest.mark.parametrize(
    "offered, language", [(YES_NO_EN, "en"), (YES_NO_ES, "es"), (SECTORS_EN, "en"), (SECTORS_ES, "es")]
)
def test_choice_text_is_gsm7_once_the_channel_folds_accents(offered, language):
    assert is_gsm7(fold_to_gsm(sms_choice_text(offered, language)))


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_added_words_are_gsm7_themselves(language):
    """Plain titles give plain text: nothing the module adds forces UCS-2."""
    for offered in (buttons("Yes", "No"), buttons("A", "B", "C", "D")):
        assert is_gsm7(sms_choice_text(offered, language))


BUTTON_RESPONSES = [
    (name, index)
    for name, variations in sorted(RESPONSES.items())
    for index, variation in enumerate(variations)
    if variation.get("buttons")
]


@pytest.mark.parametrize("name, index", BUTTON_RESPONSES)
def test_every_question_with_buttons_fits_the_sms_budget(name, index):
    """As the SMS channel sends it: the text, a newline, the choices, folded to GSM-7."""
    variation = RESPONSES[name][index]
    choices = sms_choice_text(variation["buttons"], _language_of(variation))
    sms = fold_to_gsm(f"{variation['text']}\n{choices}")
    assert is_gsm7(sms), sms
    assert segments(sms) <= MAX_SEGMENTS, sms


@pytest.mark.parametrize(
    "reply, offered, expected",
    [
        # Numbers, however decorated.
        ("2", SECTORS_EN, "2"),
        ("2.", SECTORS_EN, "2"),
        ("#2", SECTORS_EN, "2"),
        (" 2 ", SECTORS_EN, "2"),
        ("2)", SECTORS_EN, "2"),
        ("(2)", SECTORS_EN, "2"),
        ("*2*", SECTORS_EN, "2"),
        ("02", SECTORS_EN, "2"),
        ("2\ufe0f\u20e3", SECTORS_EN, "2"),  # keycap emoji
        ("option 2", SECTORS_EN, "2"),
        ("Option #2", SECTORS_EN, "2"),
        ("opcion 2", SECTORS_ES, "2"),
        ("Opción 2", SECTORS_ES, "2"),
        ("number 2", SECTORS_EN, "2"),
        ("numero 2", SECTORS_ES, "2"),
        ("Número 2", SECTORS_ES, "2"),
        ("two", SECTORS_EN, "2"),
        ("Two!", SECTORS_EN, "2"),
        ("dos", SECTORS_ES, "2"),
        ("opcion dos", SECTORS_ES, "2"),
        ("one", YES_NO_EN, "/affirm"),
        ("uno", YES_NO_ES, "/affirm"),
        # The number is the position; the payload can be anything.
        ("1", YES_NO_EN, "/affirm"),
        ("2", YES_NO_EN, "/deny"),
        ("2", YES_NO_ES, "/deny"),
        # Both ends of the range, and just outside.
        ("1", SECTORS_EN, "1"),
        ("6", SECTORS_EN, "6"),
        ("7", SECTORS_EN, None),
        ("3", YES_NO_EN, None),
        ("0", SECTORS_EN, None),
        ("seven", SECTORS_EN, None),
        # Replies that contain a number but are answers, not choices.
        ("60623", SECTORS_EN, None),  # a ZIP code
        ("24", SECTORS_EN, None),  # an age
        ("2 kids", SECTORS_EN, None),
        ("I have 2 jobs", SECTORS_EN, None),
        ("tengo 2 hijos", SECTORS_ES, None),
        ("1 and 3", SECTORS_EN, None),  # several choices: the form reads those
        ("1 y 3", SECTORS_ES, None),
        ("1,3", SECTORS_EN, None),
        ("2:30", SECTORS_EN, None),
        ("$2", SECTORS_EN, None),
        ("2%", SECTORS_EN, None),
        ("2 👍", SECTORS_EN, None),
        ("option", SECTORS_EN, None),
        ("#", SECTORS_EN, None),
        ("", SECTORS_EN, None),
        ("   ", SECTORS_EN, None),
        # The menu line copied back picks its option; a number with another title does not.
        ("1 Healthcare", SECTORS_EN, "1"),
        ("1. Healthcare", SECTORS_EN, "1"),
        ("2 Healthcare", SECTORS_EN, None),
        ("1 Sí", YES_NO_ES, "/affirm"),
        # Titles, whatever the case and accents.
        ("yes", YES_NO_EN, "/affirm"),
        ("YES", YES_NO_EN, "/affirm"),
        ("Yes.", YES_NO_EN, "/affirm"),
        ("no", YES_NO_EN, "/deny"),
        ("si", YES_NO_ES, "/affirm"),
        ("Sí", YES_NO_ES, "/affirm"),
        ("SI!", YES_NO_ES, "/affirm"),
        ("No.", YES_NO_ES, "/deny"),
        ("healthcare", SECTORS_EN, "1"),
        ("HEALTHCARE", SECTORS_EN, "1"),
        ("hotels and food", SECTORS_EN, "2"),
        ("Computación (IT)", SECTORS_ES, "4"),
        ("computacion", SECTORS_ES, "4"),
        ("salud", SECTORS_ES, "1"),
        ("construccion", SECTORS_ES, "5"),
        ("energia limpia", SECTORS_ES, "6"),
        ("hospitality", TWO_SECTORS, "2"),
        # A word only one title has.
        ("hotels", SECTORS_EN, "2"),
        ("food", SECTORS_EN, "2"),
        ("hotels food", SECTORS_EN, "2"),
        ("computers", SECTORS_EN, "4"),
        ("IT", SECTORS_EN, "4"),
        ("clean", SECTORS_EN, "6"),
        ("comida", SECTORS_ES, "2"),
        ("camiones", SECTORS_ES, "3"),
        ("sure", UI_STATUS_EN, "4"),
        ("not sure", UI_STATUS_EN, "4"),
        ("ran out", UI_STATUS_EN, "2"),
        ("yes", UI_STATUS_EN, "1"),
        # A bare yes or no is an answer, not a word to look for in the titles.
        ("no", BARRIERS_EN, None),
        ("No", BARRIERS_EN, None),
        ("no", BARRIERS_ES, None),
        ("no home", BARRIERS_EN, "1"),
        ("none", BARRIERS_EN, "5"),
        ("si", UI_STATUS_ES, "1"),
        ("se me acabaron", UI_STATUS_ES, "2"),
        ("no se", UI_STATUS_ES, "4"),  # the whole title "No sé"
        ("No sé", UI_STATUS_ES, "4"),
        ("buscando", EMPLOYMENT_ES, "2"),
        # Only the title's own words: no synonyms, no translations.
        ("hospitality", SECTORS_EN, None),
        ("hotel", TWO_SECTORS, None),
        ("health", TWO_SECTORS, None),
        ("restaurants", SECTORS_EN, None),
        ("yes", YES_NO_ES, None),
        ("si", YES_NO_EN, None),
        ("yeah", YES_NO_EN, None),  # the NLU reads these
        ("yes please", YES_NO_EN, None),
        # Words around the choice that do not choose are set aside; a negation never is.
        ("I want healthcare", SECTORS_EN, "1"),
        ("healthcare please", SECTORS_EN, "1"),
        ("i dont want healthcare", SECTORS_EN, None),
        ("option healthcare", SECTORS_EN, None),
        # Ambiguous words pick nothing.
        ("and", SECTORS_EN, None),  # in two titles, and a function word anyway
        ("y", SECTORS_ES, None),
        ("not", UI_STATUS_EN, None),  # "I have not applied" and "Not sure"
        ("no", UI_STATUS_ES, None),  # "No he aplicado" and "No sé"
        ("trucks food", SECTORS_EN, None),  # words of two different titles
        ("i", UI_STATUS_EN, None),
        # The whole title wins over a longer title holding it.
        ("no", WHOLE_TITLE_FIRST, "2"),
        ("no idea", WHOLE_TITLE_FIRST, "3"),
        ("idea", WHOLE_TITLE_FIRST, "3"),
        # A number word that is also another title's word is ambiguous; digits are not.
        ("one", NUMBER_WORD_TITLES, None),
        ("two", NUMBER_WORD_TITLES, None),
        ("1", NUMBER_WORD_TITLES, "1"),
        ("two or more", NUMBER_WORD_TITLES, "1"),
        ("just one", NUMBER_WORD_TITLES, "2"),
        # One typo in a title word of 5 letters or more.
        ("helthcare", SECTORS_EN, "1"),
        ("healtcare", SECTORS_EN, "1"),
        ("hospitalty", TWO_SECTORS, "2"),
        ("construcion", SECTORS_EN, "5"),
        ("cmaiones", SECTORS_ES, "3"),  # two letters swapped
        ("trabjando", EMPLOYMENT_ES, "1"),
        ("hotel", SECTORS_EN, "2"),  # one letter from "hotels"
        ("helthcar", SECTORS_EN, None),  # two typos
        ("ealthcare", SECTORS_EN, None),  # first letter lost
        ("yse", YES_NO_EN, None),  # short words must be exact
        ("noo", YES_NO_EN, None),
        ("fod", SECTORS_EN, None),
        # No buttons, nothing to pick.
        ("1", [], None),
        ("yes", [], None),
    ],
)
def test_select_choice(reply, offered, expected):
    assert select_choice(reply, offered) == expected


def test_exact_spelling_wins_over_a_typo_of_another_title():
    """"hotels" is one letter from "hostels": the exact title is meant."""
    offered = buttons("Hotels", "Hostels")
    assert select_choice("hotels", offered) == "1"
    assert select_choice("hostels", offered) == "2"
    assert select_choice("hotesl", offered) == "1"  # a typo of one only
    assert select_choice("hostel", offered) == "2"


def test_a_typo_close_to_two_titles_picks_nothing():
    assert select_choice("painter", buttons("Painters", "Printer")) is None
