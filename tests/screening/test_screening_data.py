"""The data files behind screening: every parameter cited, every text in both languages and SMS-short."""
from __future__ import annotations

import string
from datetime import date

import pytest

from bot import answers as keys
from bot.screening.parameters import all_parameters, rule_book, rules_version
from bot.screening.texts import LANGUAGES, document_name, reason_codes, reason_text, topic_answers
from bot.screening.texts import _document_file  # the raw table, to list every document

# One SMS part in UCS-2 (Spanish accents leave GSM-7) is 70 characters; keep each sentence to two parts.
MAX_REASON_CHARS = 140
SAMPLE_PARAMS = {"min_age": 18, "max_age": 24, "youngest": 17, "oldest": 18, "answer": "age"}


def test_rules_version():
    assert rules_version() == "2026.12.4"


@pytest.mark.parametrize("name", sorted(all_parameters()))
def test_every_parameter_has_description_reference_and_a_value_today(name):
    parameter = all_parameters()[name]
    assert parameter.description.strip() and parameter.reference.strip()
    assert parameter.on(date(2026, 11, 25)) is not None


def test_values_follow_their_dates():
    parameter = all_parameters()["wioa_adult.min_age"]
    with pytest.raises(LookupError):
        parameter.on(date(2015, 6, 30))  # before WIOA took effect
    assert rule_book(date(2015, 7, 1))("wioa_adult.min_age") == 18


@pytest.mark.parametrize(
    "name, value",
    [
        ("wioa_adult.min_age", 18),
        ("wioa_youth.out_of_school_min_age", 16),
        ("wioa_youth.out_of_school_max_age", 24),
        ("wioa_youth.in_school_min_age_federal", 14),
        ("wioa_youth.in_school_min_age_local", 16),
        ("wioa_youth.in_school_max_age", 21),
        ("selective_service.born_on_or_after", date(1960, 1, 1)),
        ("selective_service.registration_min_age", 18),
        ("selective_service.registration_deadline_age", 26),
        ("ceja.min_age", 18),
        ("constructionworks.min_age", 18),
        ("settings.require_cook_residency", False),
    ],
)
def test_parameter_values(name, value):
    assert rule_book(date(2026, 11, 25))(name) == value


@pytest.mark.parametrize("code", sorted(reason_codes()))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reason_renders_short_in_both_languages(code, language):
    text = reason_text(code, SAMPLE_PARAMS, language)
    assert text and "{" not in text
    assert len(text) <= MAX_REASON_CHARS, text


def test_spanish_is_not_a_copy_of_english():
    same = [code for code in reason_codes() if reason_text(code, SAMPLE_PARAMS, "en") == reason_text(code, SAMPLE_PARAMS, "es")]
    assert same == []


def test_reason_placeholders_are_only_known_ones():
    allowed = set(SAMPLE_PARAMS) | {"topic"}
    for code in reason_codes():
        for language in LANGUAGES:
            from bot.screening.texts import _reason_file

            template = _reason_file()["reasons"][code][language]
            fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert fields <= allowed, (code, fields)


def test_every_answer_that_can_be_missing_has_a_topic():
    assert set(keys.ALL_ANSWERS) - {keys.FIRST_NAME, keys.LAYOFF_EMPLOYER, keys.LAYOFF_DATE, keys.WARN_NOTICE} <= topic_answers()


@pytest.mark.parametrize("document", sorted(_document_file()["documents"]))
def test_documents_in_both_languages_never_a_social_security_number(document):
    for language in LANGUAGES:
        name = document_name(document, language)
        assert name and "social security" not in name.lower() and "seguro social" not in name.lower()
