from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handoff.model import expected_wait
from bot.sms import fold_to_gsm, is_gsm7
from tests.handoff.timeline import OFFICE, local, utc


@pytest.mark.parametrize(
    "now, english, spanish",
    [
        (local("2026-03-02 10:00"), "within about an hour", "en más o menos una hora"),
        (local("2026-03-02 16:00"), "within about an hour", "en más o menos una hora"),  # a full hour left
        (local("2026-03-02 16:01"), "today or after 9 am tomorrow", "hoy o mañana después de las 9 am"),
        (local("2026-03-06 16:30"), "today or after 9 am Monday", "hoy o el lunes después de las 9 am"),
        (local("2026-03-02 07:15"), "after 9 am today", "hoy después de las 9 am"),
        (local("2026-03-02 17:00"), "after 9 am tomorrow", "mañana después de las 9 am"),
        (local("2026-03-02 23:59"), "after 9 am tomorrow", "mañana después de las 9 am"),
        (local("2026-03-03 00:01"), "after 9 am today", "hoy después de las 9 am"),
        (local("2026-03-06 18:00"), "after 9 am Monday", "el lunes después de las 9 am"),
        (local("2026-03-07 12:00"), "after 9 am Monday", "el lunes después de las 9 am"),
        (local("2026-11-25 17:30"), "after 9 am Monday", "el lunes después de las 9 am"),  # Thanksgiving
        (local("2026-11-26 10:00"), "after 9 am Monday", "el lunes después de las 9 am"),
        (local("2026-12-24 18:00"), "after 9 am Monday", "el lunes después de las 9 am"),  # Christmas Friday
        # Winter, 23:30 UTC on a Monday is 5:30 pm in Chicago: closed.
        (utc("2026-12-07 23:30"), "after 9 am tomorrow", "mañana después de las 9 am"),
    ],
)
def test_expected_wait(now, english, spanish):
    assert expected_wait(now, OFFICE, "en") == english
    assert expected_wait(now, OFFICE, "es") == spanish
    assert expected_wait(now, OFFICE, None) == english


def test_a_long_closure_names_the_date():
    from dataclasses import replace
    from datetime import date

    closed_a_week = replace(OFFICE, holidays=OFFICE.holidays | {date(2026, 3, d) for d in range(9, 14)})
    now = local("2026-03-06 18:00")
    assert expected_wait(now, closed_a_week, "en") == "after 9 am Monday, Mar 16"
    assert expected_wait(now, closed_a_week, "es") == "el lunes 16 de marzo después de las 9 am"


@pytest.mark.parametrize(
    "opens, english, spanish",
    [
        ("13:00", "after 1 pm today", "hoy después de la 1 pm"),
        ("08:30", "after 8:30 am tomorrow", "mañana después de las 8:30 am"),
        ("12:00", "after 12 pm today", "hoy después de las 12 pm"),
    ],
)
def test_clock_words(opens, english, spanish):
    from dataclasses import replace
    from datetime import time

    hour, minute = (int(part) for part in opens.split(":"))
    calendar = replace(OFFICE, opens=time(hour, minute))
    now = local("2026-03-02 10:00") if hour >= 12 else local("2026-03-02 17:30")
    assert expected_wait(now, calendar, "en") == english
    assert expected_wait(now, calendar, "es") == spanish


def test_a_shorter_target_keeps_the_hour_promise_closer_to_closing():
    now = local("2026-03-02 16:30")
    assert expected_wait(now, OFFICE, "en", target=timedelta(minutes=30)) == "within about an hour"
    assert expected_wait(now, OFFICE, "en").startswith("today or")


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_wording_folds_to_plain_sms_characters(language):
    longest = expected_wait(local("2026-03-06 16:30"), OFFICE, language)
    assert is_gsm7(fold_to_gsm(longest))
    assert len(longest) <= 40  # room for it in a one-segment message
