"""Reading a message costs time in proportion to its length, and only its start is read.

A long message once cost the square of its length: `is_negated` re-read the text from the start
before every word it was asked about. The tests count the characters `is_negated` is handed to
read, so they fail on that without timing anything."""
from __future__ import annotations

from datetime import date

import pytest

from bot.understanding import extract
from bot.understanding import text as text_module
from bot.understanding.extract import MAX_READ_CHARACTERS
from bot.understanding.text import NEGATION_LOOKBACK_CHARACTERS, bounded_prefix, fold, is_negated

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("one two three four", 14, "one two three"),  # cut after a whole word near the limit
        ("abcdefghijklmnop", 10, "abcdefghij"),  # no space near the limit: a hard cut
        ("a bcdefghijklmnop", 10, "a bcdefghi"),  # a space far from the limit is not waited for
    ],
)
def test_bounded_prefix(text, limit, expected):
    assert bounded_prefix(text, limit) == expected


@pytest.mark.parametrize(
    "folded, negated",
    [
        ("i dont want construction", True),
        ("no, construction", False),
        ("i dont care but construction", False),
        # A negation further back than the look-back is not read, whatever lies between.
        ("dont " + "x" * NEGATION_LOOKBACK_CHARACTERS + " construction", False),
        # A word cut by the look-back ("casi|no") is not read as the word "no".
        ("casino" + " " * (NEGATION_LOOKBACK_CHARACTERS - 2) + "construction", False),
    ],
)
def test_negation_reads_a_short_window_before_the_word(folded, negated):
    assert is_negated(folded, folded.rindex("construction"), window=5) is negated


def test_negation_reads_a_bounded_amount_whatever_the_length_of_the_message(monkeypatch):
    read: list[int] = []
    original = text_module.text_just_before

    def counting(folded: str, position: int, characters: int) -> str:
        before = original(folded, position, characters)
        read.append(len(before))
        return before

    monkeypatch.setattr(text_module, "text_just_before", counting)
    folded = fold("no i dont want construction but hotels " * 100).folded
    for position in range(0, len(folded), 7):
        is_negated(folded, position)
    assert max(read) <= NEGATION_LOOKBACK_CHARACTERS


def test_only_the_start_of_a_long_message_is_read_for_answers():
    padding = "x" * (MAX_READ_CHARACTERS + 10)
    assert extract(f"my zip is 60623 {padding}", today=TODAY).answers.get("zip_code") == "60623"
    assert "zip_code" not in extract(f"{padding} my zip is 60623", today=TODAY).answers


@pytest.mark.parametrize("requested", [None, "first_name", "age", "public_assistance", "selective_service", "layoff_date"])
def test_a_telegram_sized_message_is_read_like_its_start(requested):
    long_message = ("no i dont want construction but hotels 1 2 3 nurse " * 90)[:4096]
    start = bounded_prefix(long_message, MAX_READ_CHARACTERS)
    assert extract(long_message, requested=requested, today=TODAY) == extract(start, requested=requested, today=TODAY)
