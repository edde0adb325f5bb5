"""What the dialogue receives for an inbound text: keywords as intents, picked choices as
payloads, Telegram commands, and everything else unchanged."""
from __future__ import annotations

from typing import Any

import pytest

from bot.understanding.dialogue_input import (
    GREET,
    HELP,
    OPT_IN,
    OPT_OUT,
    REQUEST_HUMAN,
    SWITCH_LANGUAGE,
    DialogueInput,
    dialogue_input,
)

YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
SECTORS = [
    {"title": "Healthcare", "payload": "/inform_healthcare"},
    {"title": "Hotels and food", "payload": "/inform_hospitality"},
    {"title": "Trucks and transit", "payload": "/inform_transportation"},
]


@pytest.mark.parametrize("opted_out", [False, True])
@pytest.mark.parametrize(
    "text, intent, metadata",
    [
        ("STOP", OPT_OUT, {"keyword": "STOP", "keyword_language": "en"}),
        ("stop", OPT_OUT, {"keyword": "STOP", "keyword_language": "en"}),
        ("stop.", OPT_OUT, {"keyword": "STOP", "keyword_language": "en"}),
        ("  Stop!! ", OPT_OUT, {"keyword": "STOP", "keyword_language": "en"}),
        ("CANCEL", OPT_OUT, {"keyword": "CANCEL", "keyword_language": "en"}),
        ("unsubscribe", OPT_OUT, {"keyword": "UNSUBSCRIBE", "keyword_language": "en"}),
        ("ALTO", OPT_OUT, {"keyword": "ALTO", "keyword_language": "es"}),
        ("alto.", OPT_OUT, {"keyword": "ALTO", "keyword_language": "es"}),
        ("BAJA", OPT_OUT, {"keyword": "BAJA", "keyword_language": "es"}),
        ("HELP", HELP, {"keyword": "HELP", "keyword_language": "en"}),
        ("help?", HELP, {"keyword": "HELP", "keyword_language": "en"}),
        ("AYUDA", HELP, {"keyword": "AYUDA", "keyword_language": "es"}),
        ("INFO", HELP, {"keyword": "INFO"}),  # the same word in both languages: no language
    ],
)
def test_opt_out_and_help_keywords_become_intents_whatever_the_consent(
    text: str, intent: str, metadata: dict[str, Any], opted_out: bool
) -> None:
    # Offered buttons never shadow a keyword, even one that is also a title.
    buttons = [{"title": "Stop", "payload": "/choose_stop"}, {"title": "Help", "payload": "/choose_help"}]
    for offered in (None, buttons):
        assert dialogue_input(text, opted_out=opted_out, offered_buttons=offered) == DialogueInput(intent, metadata)


@pytest.mark.parametrize(
    "text, opted_out, expected",
    [
        # Coming back: START and its Spanish forms re-subscribe an opted-out person...
        ("START", True, DialogueInput(OPT_IN, {"keyword": "START", "keyword_language": "en"})),
        ("start", True, DialogueInput(OPT_IN, {"keyword": "START", "keyword_language": "en"})),
        ("ALTA", True, DialogueInput(OPT_IN, {"keyword": "ALTA", "keyword_language": "es"})),
        ("empezar", True, DialogueInput(OPT_IN, {"keyword": "EMPEZAR", "keyword_language": "es"})),
        # ...and mid-conversation they are just words for the NLU.
        ("START", False, DialogueInput("START")),
        ("start", False, DialogueInput("start")),
        ("ALTA", False, DialogueInput("ALTA")),
        ("empezar", False, DialogueInput("empezar")),
        # YES/SI re-subscribe only an opted-out person; for anyone else they answer a question.
        ("YES", True, DialogueInput(OPT_IN, {"keyword": "YES"})),
        ("yes", True, DialogueInput(OPT_IN, {"keyword": "YES"})),
        ("SI", True, DialogueInput(OPT_IN, {"keyword": "SI"})),
        ("Sí", True, DialogueInput(OPT_IN, {"keyword": "SÍ"})),
        ("YES", False, DialogueInput("YES")),
        ("si", False, DialogueInput("si")),
        # Not a whole-message keyword: left to the NLU.
        ("yes please", True, DialogueInput("yes please")),
        ("stop texting me", False, DialogueInput("stop texting me")),
        ("help me find a job", False, DialogueInput("help me find a job")),
        # Asking for help in words is no carrier keyword: the NLU reads it, and as a first message
        # it starts the intake (a reply to a layoff outreach text: "yes i need help").
        ("i need help", False, DialogueInput("i need help")),
        ("yes i need help", False, DialogueInput("yes i need help")),
        ("si necesito ayuda", False, DialogueInput("si necesito ayuda")),
        ("help pls", False, DialogueInput("help pls")),
    ],
)
def test_opt_in_words_count_only_for_a_person_who_opted_out(
    text: str, opted_out: bool, expected: DialogueInput
) -> None:
    assert dialogue_input(text, opted_out=opted_out, offered_buttons=None) == expected


@pytest.mark.parametrize(
    "text, buttons, expected",
    [
        # A bare number, however decorated, picks that button.
        ("2", SECTORS, DialogueInput("/inform_hospitality", {"chose": "2"})),
        ("#2", SECTORS, DialogueInput("/inform_hospitality", {"chose": "#2"})),
        ("2.", SECTORS, DialogueInput("/inform_hospitality", {"chose": "2."})),
        (" 1 ", SECTORS, DialogueInput("/inform_healthcare", {"chose": "1"})),
        ("3", SECTORS, DialogueInput("/inform_transportation", {"chose": "3"})),
        ("option 3", SECTORS, DialogueInput("/inform_transportation", {"chose": "option 3"})),
        ("2", YES_NO, DialogueInput("/deny", {"chose": "2"})),
        # The title, or a word only one title has.
        ("hotels", SECTORS, DialogueInput("/inform_hospitality", {"chose": "hotels"})),
        ("Healthcare", SECTORS, DialogueInput("/inform_healthcare", {"chose": "Healthcare"})),
        ("yes", YES_NO, DialogueInput("/affirm", {"chose": "yes"})),
        # Numbers that are answers, not choices: out of range, or more than a bare number.
        ("4", SECTORS, DialogueInput("4")),
        ("24", SECTORS, DialogueInput("24")),
        ("60623", SECTORS, DialogueInput("60623")),
        ("24", YES_NO, DialogueInput("24")),
        ("60623", YES_NO, DialogueInput("60623")),
        ("2 kids", SECTORS, DialogueInput("2 kids")),
        ("and", SECTORS, DialogueInput("and")),  # in a title, but too common to pick it
        # No buttons offered: nothing to pick from.
        ("2", None, DialogueInput("2")),
        ("2", [], DialogueInput("2")),
        ("hotels", None, DialogueInput("hotels")),
        ("60623", None, DialogueInput("60623")),
    ],
)
def test_a_reply_that_picks_an_offered_choice_becomes_its_payload(
    text: str, buttons: list[dict[str, str]] | None, expected: DialogueInput
) -> None:
    assert dialogue_input(text, opted_out=False, offered_buttons=buttons) == expected


ASKS_FOR_A_PERSON = DialogueInput(REQUEST_HUMAN, {"keyword": "0"})
ZERO_OFFERED = [{"title": "0", "payload": "/inform_none"}, {"title": "1 or more", "payload": "/inform_some"}]


@pytest.mark.parametrize(
    "text, buttons, opted_out, expected",
    [
        ("0", None, False, ASKS_FOR_A_PERSON),
        (" 0 ", None, False, ASKS_FOR_A_PERSON),
        ("0", SECTORS, False, ASKS_FOR_A_PERSON),  # 1-3 offered: 0 is not one of them
        ("0", YES_NO, False, ASKS_FOR_A_PERSON),
        ("0", None, True, ASKS_FOR_A_PERSON),  # the dialogue decides what an opted-out person gets
        # When 0 is itself a choice, it is an answer for the dialogue to read.
        ("0", ZERO_OFFERED, False, DialogueInput("0")),
        ("0", [{"title": "None", "payload": "0"}], False, DialogueInput("0")),
        # Only a lone zero: numbers with a 0 in them are answers.
        ("00", None, False, DialogueInput("00")),
        ("0.", None, False, DialogueInput("0.")),
        ("10", None, False, DialogueInput("10")),
        ("60620", None, False, DialogueInput("60620")),
        ("0 kids", None, False, DialogueInput("0 kids")),
    ],
)
def test_a_lone_zero_asks_for_a_person_unless_zero_is_offered(
    text: str, buttons: list[dict[str, str]] | None, opted_out: bool, expected: DialogueInput
) -> None:
    assert dialogue_input(text, opted_out=opted_out, offered_buttons=buttons) == expected


def test_the_choice_metadata_is_clipped_to_40_characters() -> None:
    text = "option " + " " * 60 + "2"
    given = dialogue_input(text, opted_out=False, offered_buttons=SECTORS)
    assert given.text == "/inform_hospitality"
    assert len(given.metadata["chose"]) <= 40


@pytest.mark.parametrize(
    "command, payload, opted_out, expected",
    [
        ("start", None, False, DialogueInput(GREET, {"keyword": "/start"})),
        ("start", "HHC", False, DialogueInput(GREET, {"keyword": "/start", "deep_link": "HHC"})),
        # /start after /stop or a block is how Telegram users come back.
        ("start", None, True, DialogueInput(OPT_IN, {"keyword": "/start"})),
        ("start", "HHC", True, DialogueInput(OPT_IN, {"keyword": "/start"})),
        ("stop", None, False, DialogueInput(OPT_OUT, {"keyword": "/stop"})),
        ("stop", None, True, DialogueInput(OPT_OUT, {"keyword": "/stop"})),
        ("stop", "now", False, DialogueInput(OPT_OUT, {"keyword": "/stop"})),
        ("help", None, False, DialogueInput(HELP, {"keyword": "/help"})),
        ("help", None, True, DialogueInput(HELP, {"keyword": "/help"})),
        # An unknown command is read as the words it is made of.
        ("trabajo", None, False, DialogueInput("trabajo")),
        ("trabajo", "en hoteles", False, DialogueInput("trabajo en hoteles")),
        ("jobs", None, True, DialogueInput("jobs")),
    ],
)
def test_telegram_commands(command: str, payload: str | None, opted_out: bool, expected: DialogueInput) -> None:
    text = f"/{command} {payload}" if payload else f"/{command}"
    # A command is a command whatever choices were offered before it.
    for offered in (None, SECTORS):
        given = dialogue_input(
            text, opted_out=opted_out, offered_buttons=offered, command=command, command_payload=payload
        )
        assert given == expected


@pytest.mark.parametrize("command", ["language", "idioma"])
@pytest.mark.parametrize(
    "current_language, switch_to",
    [
        ("en", "es"),
        ("es", "en"),
        (None, "es"),  # no language yet means English, the default
    ],
)
def test_the_language_command_switches_to_the_other_language(
    command: str, current_language: str | None, switch_to: str
) -> None:
    # Either command from either language: "/language" names no language, it means the other one.
    given = dialogue_input(
        f"/{command}", opted_out=False, offered_buttons=None, command=command, language=current_language
    )
    assert given == DialogueInput(SWITCH_LANGUAGE, {"keyword": f"/{command}", "switch_to": switch_to})


@pytest.mark.parametrize("text", ["STOP", "2", "hotels"])
def test_a_command_is_read_as_a_command_not_as_its_text(text: str) -> None:
    given = dialogue_input(text, opted_out=False, offered_buttons=SECTORS, command="help")
    assert given == DialogueInput(HELP, {"keyword": "/help"})


@pytest.mark.parametrize(
    "text",
    ["/opt_in", "/restart", '/inform{"zip_code": "60623"}', "/greet"],
)
def test_typed_text_that_looks_like_intent_syntax_does_not_reach_the_dialogue_as_an_intent(text: str) -> None:
    given = dialogue_input(text, opted_out=False, offered_buttons=None)
    assert not given.text.startswith("/")


def test_metadata_dicts_are_not_shared_between_results() -> None:
    first = dialogue_input("hello", opted_out=False, offered_buttons=None)
    first.metadata["keyword"] = "changed"
    assert dialogue_input("hello", opted_out=False, offered_buttons=None).metadata == {}


def test_the_help_keyword_has_an_intent_of_its_own_apart_from_asking_for_help_in_words() -> None:
    # The NLU's `help` ("i need help") starts an intake as a first message; the keyword never does.
    assert HELP == "/help_keyword"
    assert dialogue_input("HELP", opted_out=False, offered_buttons=None).text == HELP
