"""Segment counting at every boundary, and every bot response within the SMS budget."""
from __future__ import annotations

import pytest

from bot.sms import fold_to_gsm, is_gsm7, segments


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("[" * 80, 1),  # extension characters count twice
        ("[" * 81, 2),
        ("ñé¿¡ü" + "a" * 155, 1),  # all inside GSM-7
        ("á" + "a" * 69, 1),  # one á makes it UCS-2
        ("á" + "a" * 70, 2),
        ("á" + "a" * 133, 2),
        ("á" + "a" * 134, 3),
        ("😀" * 35, 1),  # an emoji counts as two UCS-2 units
        ("😀" * 36, 2),
    ],
)
def test_segments(text, expected):
    assert segments(text) == expected


@pytest.mark.parametrize(
    "text, folded",
    [
        ("¿Cuántos años tienes?", "¿Cuantos años tienes?"),
        ("Capacitación en energía limpia", "Capacitacion en energia limpia"),
        ("It’s “free” – really…", "It's \"free\" - really..."),
        ("Él está aquí", "Él esta aqui"),  # É is in GSM-7
        ("niño pingüino café", "niño pingüino café"),
    ],
)
def test_fold_to_gsm(text, folded):
    assert fold_to_gsm(text) == folded
    assert is_gsm7(folded)

# Every response as the SMS channel sends it: tests/channels/test_sms_cost.py.
