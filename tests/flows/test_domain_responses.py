"""Every response exists in English and Spanish, and every question the dialogue can ask exists."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot import answers
from bot.slots import ANSWER_SLOTS
from bot.questions import ASKED_ALONGSIDE, EXPLAINED_QUESTIONS, QUESTION_ORDER
from bot.understanding.choices import QUESTIONS as CHOICE_QUESTIONS

FLOWS = Path(__file__).resolve().parents[2] / "flows"


def load_domain() -> dict:
    merged: dict = {"responses": {}, "slots": {}}
    for path in sorted(FLOWS.rglob("domain.yml")):
        part = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("responses", "slots"):
            for name, value in (part.get(key) or {}).items():
                assert name not in merged[key], f"{name} is defined twice ({path})"
                merged[key][name] = value
    return merged


DOMAIN = load_domain()
RESPONSES = DOMAIN["responses"]


def _language_of(variation: dict) -> str:
    conditions = variation.get("condition") or []
    languages = [c["value"] for c in conditions if c.get("name") == "language"]
    return languages[0] if languages else "en"


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_response_has_one_english_and_one_spanish_variation(name):
    languages = sorted(_language_of(variation) for variation in RESPONSES[name])
    assert languages == ["en", "es"], f"{name} has variations {languages}"


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_both_languages_fill_the_same_blanks_and_buttons(name):
    by_language = {_language_of(v): v for v in RESPONSES[name]}
    blanks = {lang: sorted(re.findall(r"{(\w+)}", v["text"])) for lang, v in by_language.items()}
    assert blanks["en"] == blanks["es"]
    payloads = {lang: [b["payload"] for b in v.get("buttons", [])] for lang, v in by_language.items()}
    assert payloads["en"] == payloads["es"]


@pytest.mark.parametrize("question", QUESTION_ORDER)
def test_every_question_has_an_ask_response(question):
    assert f"utter_ask_{question}" in RESPONSES


def test_the_explained_questions_are_those_with_an_explanation():
    # The intake action is not sent the domain, so it knows them by this list.
    assert EXPLAINED_QUESTIONS == {question for question in QUESTION_ORDER if f"utter_explain_{question}" in RESPONSES}


@pytest.mark.parametrize("first, second", sorted(ASKED_ALONGSIDE.items()))
def test_every_pair_asked_together_has_its_response_with_the_same_choices(first, second):
    together = RESPONSES[f"utter_ask_{first}_and_{second}"]
    alone = RESPONSES[f"utter_ask_{first}"]
    for joined, single in zip(together, alone):
        assert [b["payload"] for b in joined.get("buttons", [])] == [b["payload"] for b in single.get("buttons", [])]


@pytest.mark.parametrize("question", sorted(CHOICE_QUESTIONS))
def test_buttons_match_the_options_the_parser_reads(question):
    """Button n and typed "n" must mean the same option, whether asked alone or with another."""
    options = CHOICE_QUESTIONS[question].options
    names = [f"utter_ask_{question}"]
    if question in ASKED_ALONGSIDE:
        names.append(f"utter_ask_{question}_and_{ASKED_ALONGSIDE[question]}")
    for name in names:
        for variation in RESPONSES[name]:
            payloads = [b["payload"] for b in variation["buttons"]]
            assert payloads == [str(n) for n in range(1, len(options) + 1)]


def test_every_answer_is_a_slot():
    for name in ANSWER_SLOTS:
        assert name in DOMAIN["slots"], name
    assert set(answers.ALL_ANSWERS) <= set(DOMAIN["slots"])
