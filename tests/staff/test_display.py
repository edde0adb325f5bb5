"""How the console writes numbers and durations."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.staff.display import business_duration, local_moment, mask_address, waited

START = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "address, masked",
    [("+13125550100", "•••0100"), ("123456789", "•••6789"), ("1234", "•••"), ("", "•••")],
)
def test_mask_address_keeps_only_the_last_four(address, masked):
    assert mask_address(address) == masked


@pytest.mark.parametrize(
    "elapsed, text",
    [
        (timedelta(seconds=59), "just now"),
        (timedelta(seconds=60), "1 min"),
        (timedelta(minutes=59, seconds=59), "59 min"),
        (timedelta(hours=1), "1 h"),
        (timedelta(hours=2, minutes=5), "2 h 5 min"),
        (timedelta(hours=23, minutes=59), "23 h 59 min"),
        (timedelta(days=1), "1 d"),
        (timedelta(days=3, hours=4), "3 d 4 h"),
        (timedelta(seconds=-30), "just now"),
    ],
)
def test_waited(elapsed, text):
    assert waited(START, START + elapsed) == text


@pytest.mark.parametrize(
    "elapsed, text",
    [(timedelta(0), "0 min"), (timedelta(minutes=45), "45 min"), (timedelta(hours=1), "1 h"), (timedelta(minutes=70), "1 h 10 min")],
)
def test_business_duration(elapsed, text):
    assert business_duration(elapsed) == text


def test_local_moment_is_on_the_chicago_clock():
    # 15:00 UTC on 2 March 2026 is 9:00 am CST.
    assert local_moment(START, "America/Chicago", START) == "9:00 am"
    assert local_moment(START, "America/Chicago", START + timedelta(days=1)) == "Mon Mar 2, 9:00 am"
    assert local_moment(None, "America/Chicago") == ""
