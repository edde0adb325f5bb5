"""The canned replies staff insert: both languages, SMS-sized, and a broken file stops the console."""
from __future__ import annotations

import pytest

from bot.sms import MAX_SEGMENTS, fold_to_gsm, segments
from bot.staff.canned import load_canned_replies
from bot.store.vocabulary import LANGUAGES

REPLIES = load_canned_replies()


def test_there_are_canned_replies():
    assert len(REPLIES) >= 5


@pytest.mark.parametrize("reply", REPLIES, ids=lambda reply: reply.id)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_reply_fits_the_sms_budget_in_each_language(reply, language):
    text = reply.text(language)
    assert text.strip()
    assert segments(fold_to_gsm(text)) <= MAX_SEGMENTS


def test_the_two_languages_differ():
    assert all(reply.text("en") != reply.text("es") for reply in REPLIES)


@pytest.mark.parametrize(
    "body, problem",
    [
        ("replies:\n  - {id: a, title: A, en: Hi}\n", "no text in es"),
        ("replies:\n  - {id: a, title: A, en: Hi, es: ''}\n", "no text in es"),
        ("replies:\n  - {id: a, en: Hi, es: Hola}\n  - {id: a, en: Yo, es: Yo}\n", "unique id"),
        ("replies:\n  - {en: Hi, es: Hola}\n", "unique id"),
    ],
)
def test_a_broken_file_is_refused_naming_the_entry(tmp_path, body, problem):
    path = tmp_path / "canned.yml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_canned_replies(path)
