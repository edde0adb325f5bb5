"""Which event an inbound text names, when the claim of the message already looked up the event
whose code is the text upper-cased (bot/channels/processing.py, InboundProcessor._event_code_named):
that answer is used only where it is exactly the question; otherwise the code is looked up apart."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.channels.processing import InboundProcessor
from bot.store import MessageRecord

CODES = {"HHC", "ÑU"}


def _record(text: str, details: dict | None = None) -> MessageRecord:
    now = datetime(2026, 12, 5, tzinfo=timezone.utc)
    return MessageRecord(
        id=1, seeker_id=1, direction="in", channel="twilio", address="+13125550100", provider_id="SM1",
        kind="text", text=text, buttons=None, details=details, language=None, status="received",
        error_code=None, consent_exempt=False, attempts=1, in_reply_to=None, created_at=now, done_at=None,
    )


@pytest.mark.parametrize(
    "text, details, code_of_text, expected, asked_apart",
    [
        ("HHC", None, "HHC", "HHC", []),  # the claim's answer, nothing asked again
        ("hhc", None, "HHC", "HHC", []),
        ("Maria", None, None, None, []),  # a name: no event, nothing asked again
        ("hello there", None, None, None, []),  # not a code at all
        (" #hhc ", None, None, "HHC", ["HHC"]),  # the text is not the code as it is: asked apart
        ("ñu", None, None, "ÑU", ["ÑU"]),  # upper() in SQL is ASCII only: asked apart
        ("/start HHC", {"command": "start", "command_payload": "HHC"}, None, "HHC", ["HHC"]),  # a deep link
        ("/help", {"command": "help"}, None, None, []),
    ],
)
def test_the_event_named(text, details, code_of_text, expected, asked_apart) -> None:
    asked: list[str] = []

    def is_event_code(code: str) -> bool:
        asked.append(code)
        return code in CODES

    processor = InboundProcessor(None, None, None, None, is_event_code=is_event_code)  # type: ignore[arg-type]
    assert processor._event_code_named(_record(text, details), code_of_text) == expected
    assert asked == asked_apart


def test_without_event_codes_nothing_is_named() -> None:
    processor = InboundProcessor(None, None, None, None)  # type: ignore[arg-type]
    assert processor._event_code_named(_record("HHC"), "HHC") is None
