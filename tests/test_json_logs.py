"""LOG_FORMAT=json: one JSON object per line, phone numbers and chat ids replaced by digests."""
from __future__ import annotations

import json
import logging
import sys

import pytest

from bot.json_logs import JsonLogFormatter, use_json_logs, without_phone_numbers
from bot.store.privacy import address_digest


@pytest.mark.parametrize(
    "text, kept, gone",
    [
        ("sent to +13125550100", "sent to <", "3125550100"),
        ("chat 7000123456 blocked us", "blocked us", "7000123456"),
        ("message 42 processed in 0.25 s", "message 42 processed in 0.25 s", None),
        ("at 2026-12-05 18:00:00", "2026-12-05 18:00:00", None),
        ("version 3.6.21", "3.6.21", None),
    ],
)
def test_numbers_that_could_be_a_person_are_digested_and_others_kept(text, kept, gone):
    cleaned = without_phone_numbers(text)
    assert kept in cleaned
    if gone:
        assert gone not in cleaned


def _record(message: str, *args: object, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("bot.channels.sender", logging.WARNING, __file__, 1, message, args, exc_info)


def test_a_record_is_one_line_of_json_without_the_number_even_in_the_traceback():
    try:
        raise ValueError("cannot send to +13125550100")
    except ValueError:
        failure = sys.exc_info()
    line = JsonLogFormatter("rasa-server").format(_record("message %d to %s failed", 7, "+13125550100", exc_info=failure))
    assert "\n" not in line
    entry = json.loads(line)
    assert (entry["level"], entry["logger"], entry["process"]) == ("WARNING", "bot.channels.sender", "rasa-server")
    assert entry["message"] == f"message 7 to <{address_digest('phone', '13125550100')}> failed"
    assert "ValueError" in entry["exception"] and "3125550100" not in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_only_log_format_json_switches_the_handlers(monkeypatch):
    root = logging.getLogger()
    handler = logging.StreamHandler()
    root.addHandler(handler)
    try:
        monkeypatch.delenv("LOG_FORMAT", raising=False)
        assert use_json_logs("staff-console") is False
        assert not isinstance(handler.formatter, JsonLogFormatter)
        monkeypatch.setenv("LOG_FORMAT", "json")
        assert use_json_logs("staff-console") is True
        assert isinstance(handler.formatter, JsonLogFormatter)
    finally:
        root.removeHandler(handler)
