"""Traffic through the signed Twilio webhook while a fault is made, and the count afterwards.

Each scripted seeker texts its lines a little apart without waiting for answers, as people do.
A webhook that fails (the ingest process down, the database unreachable) is posted again with
the same MessageSid until it is stored, as Twilio's fallback URL or a Telegram retry would; the
count then holds the assistant to every stored message: processed, answered, each reply sent
once, each registration and handoff present once.
"""
from __future__ import annotations

import threading
import time
import urllib.error
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from bot.cli.harness import Assistant
from bot.store.models import Handoff, Message, Registration, Seeker
from tests.channels.people import SmsSeeker
from tests.channels.settings import TWILIO_ACCOUNT_SID
from tests.fakes.twilio_api import FakeTwilioApi, twilio_inbound_params

INTAKE = ("hi", "Keisha", "60621", "hotels", "19")
HANDOFF = ("hola", "Dana", "can i talk to a person please")
SETTLED_STATUSES = {"processed", "sent", "delivered"}
# Replies that carry an event's own questions (EventQuestion), so registrations need them answered.


def registration_script(code: str) -> tuple[str, ...]:
    """An event code from a flyer, a name, yes, then the two questions of tests' events."""
    return (code, "Rosa", "yes", "1", "1")


@dataclass
class ScriptedSeeker:
    seeker: SmsSeeker
    lines: tuple[str, ...]
    refused: list[int] = field(default_factory=list)  # statuses of failed webhook posts

    @property
    def number(self) -> str:
        return self.seeker.number

    def text_all(self, gap_seconds: float, deadline: float) -> None:
        for line in self.lines:
            params = twilio_inbound_params(
                from_=self.number, to=self.seeker.to, body=line, account_sid=TWILIO_ACCOUNT_SID
            )
            while True:
                try:
                    status, _ = self.seeker.post_params(params)
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    status = 0  # nothing listening: the ingest process is being restarted
                if status == 200:
                    break
                self.refused.append(status)
                if time.monotonic() > deadline:
                    raise TimeoutError(f"webhook still failing ({status}) at the deadline")
                time.sleep(0.25)
            time.sleep(gap_seconds)


def start_traffic(seekers: list[ScriptedSeeker], gap_seconds: float = 0.4, within: float = 240.0) -> list[threading.Thread]:
    deadline = time.monotonic() + within
    threads = [
        threading.Thread(target=seeker.text_all, args=(gap_seconds, deadline), daemon=True) for seeker in seekers
    ]
    for thread in threads:
        thread.start()
    return threads


def finish_traffic(threads: list[threading.Thread], timeout: float = 240.0) -> None:
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a seeker's texts were still being posted"


def wait_until_all_settled(assistant: Assistant, seekers: list[ScriptedSeeker], timeout: float = 180.0) -> None:
    """Until every stored message of these seekers is processed and every reply has gone out (an
    uncertain one counts as waiting: the sender settles it with Twilio)."""
    deadline = time.monotonic() + timeout
    while True:
        unsettled = [
            (seeker.number, row.direction, row.status)
            for seeker in seekers
            for row in assistant.messages.transcript("twilio", seeker.number)
            if row.status in ("received", "processing", "queued", "sending", "uncertain")
        ]
        if not unsettled:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"still unsettled after {timeout} s: {unsettled}")
        time.sleep(0.2)


def assert_every_message_answered_once(assistant: Assistant, twilio_api: FakeTwilioApi, seekers: list[ScriptedSeeker]) -> None:
    for scripted in seekers:
        rows = assistant.messages.transcript("twilio", scripted.number)
        inbound = [row for row in rows if row.direction == "in"]
        outbound = [row for row in rows if row.direction == "out"]
        # Every line stored exactly once (a re-posted webhook is not stored twice)...
        assert [row.text for row in inbound] == list(scripted.lines), (scripted.number, [row.text for row in inbound])
        assert {row.status for row in inbound} == {"processed"}, [(row.text, row.status) for row in inbound]
        # ...and answered: at least one reply to each, each reply sent.
        answered = Counter(row.in_reply_to for row in outbound)
        assert all(answered[row.id] >= 1 for row in inbound), [(row.text, answered[row.id]) for row in inbound]
        assert {row.status for row in outbound} <= {"sent", "delivered"}, Counter(row.status for row in outbound)
        # No reply queued twice for the same message (a turn run twice).
        replies = Counter((row.in_reply_to, row.text) for row in outbound)
        assert max(replies.values()) == 1, [key for key, count in replies.items() if count > 1]
        # What Twilio received is exactly what the log says went out, each once.
        received = twilio_api.messages_to(scripted.number)
        assert sorted(message.sid for message in received) == sorted(row.provider_id for row in outbound)


def count_registrations(assistant: Assistant, number: str) -> int:
    return _count_of(assistant, Registration, number)


def count_handoffs(assistant: Assistant, number: str) -> int:
    return _count_of(assistant, Handoff, number)


def _count_of(assistant: Assistant, model: type, number: str) -> int:
    with assistant.messages.engine.connect() as connection:
        return connection.execute(
            select(func.count())
            .select_from(model)
            .join(Seeker, Seeker.id == model.seeker_id)
            .where(Seeker.channel == "twilio", Seeker.address == number)
        ).scalar_one()


def count_messages(assistant: Assistant, number: str) -> int:
    return _count_of(assistant, Message, number)
