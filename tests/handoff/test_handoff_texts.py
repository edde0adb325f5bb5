"""What the seeker is told on a handoff fits one SMS in both languages, whatever the wait says."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

import pytest
import yaml

from bot.handoff.model import expected_wait
from bot.sms import fold_to_gsm, is_gsm7, segments
from tests.handoff.timeline import OFFICE, local

DOMAIN = Path(__file__).resolve().parents[2] / "flows" / "handoff" / "domain.yml"
RESPONSES = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]

# The longest a wait can read: closing in a few minutes, before a closure of more than a week
# that ends on a Wednesday in September (longest weekday and month names), reopening at 12:30.
_CLOSED_FOR_A_WEEK = replace(
    OFFICE,
    opens=time(12, 30),
    closes=time(17, 0),
    holidays=OFFICE.holidays | {date(2026, 9, 7) + timedelta(days=d) for d in range(9)},
)
LONGEST = {
    language: expected_wait(local("2026-09-04 16:50"), _CLOSED_FOR_A_WEEK, language) for language in ("en", "es")
}


def test_the_longest_wait_is_the_one_expected():
    assert LONGEST["en"] == "today or after 12:30 pm Wednesday, Sep 16"
    assert LONGEST["es"] == "hoy o el miércoles 16 de septiembre después de las 12:30 pm"


def _language(variation: dict) -> str:
    return "es" if any(c.get("value") == "es" for c in variation.get("condition") or []) else "en"


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_handoff_text_with_the_longest_wait_is_one_plain_sms(name):
    languages = []
    for variation in RESPONSES[name]:
        language = _language(variation)
        languages.append(language)
        body = fold_to_gsm(variation["text"].replace("{wait}", LONGEST[language]))
        assert "{" not in body, body
        assert is_gsm7(body) and segments(body) == 1, f"{name}/{language} ({len(body)}): {body}"
    assert sorted(languages) == ["en", "es"]
