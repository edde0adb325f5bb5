"""Two instances' inbound processors on one PostgreSQL message log, both woken for every message
of the same people (as when webhooks of one conversation reach different instances): each message
reaches the dialogue once, in the order it arrived, and never while another message of the same
person is in the dialogue. The dialogue is a recorder that takes a while per turn, so the two
instances' workers overlap."""
from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest

from bot.channels.outbox import Outbox
from bot.channels.processing import InboundProcessor
from bot.cli.harness import new_test_phone_number
from bot.store import IntakeStore, MessageLog, make_engine, migrate
from bot.store.person_claims import PersonClaims
from bot.store.vocabulary import INBOUND_PROCESSED
from tests.postgres import throwaway_postgres_database

pytestmark = pytest.mark.postgres

TURN_SECONDS = 0.05
MESSAGES_EACH = 6


@dataclass
class Dialogue:
    """Stands in for Rasa on both instances: notes each turn and any overlap within a person."""

    turns: list[tuple[str, str]] = field(default_factory=list)  # (sender, text)
    in_turn: Counter = field(default_factory=Counter)
    overlaps: int = 0

    def for_instance(self):
        async def handle(message) -> None:
            self.in_turn[message.sender_id] += 1
            if self.in_turn[message.sender_id] > 1:
                self.overlaps += 1
            await asyncio.sleep(TURN_SECONDS)
            self.turns.append((message.sender_id, message.text))
            self.in_turn[message.sender_id] -= 1

        return handle


def test_two_instances_process_one_persons_messages_once_each_and_in_order():
    people = [new_test_phone_number() for _ in range(3)]
    dialogue = Dialogue()
    with throwaway_postgres_database() as url:
        migrate(url)
        engines = [make_engine(url), make_engine(url)]
        logs = [MessageLog(engine) for engine in engines]
        claims = [PersonClaims(engine) for engine in engines]
        try:

            async def scenario() -> None:
                processors = [
                    InboundProcessor(log, IntakeStore(log.engine), Outbox(log), dialogue.for_instance(), claims=claim)
                    for log, claim in zip(logs, claims)
                ]
                pollers = [asyncio.create_task(processor.keep_polling(0.2)) for processor in processors]
                for n in range(MESSAGES_EACH):
                    for number in people:
                        # Stored by alternate instances' webhooks, announced to both.
                        record, _ = logs[n % 2].record_inbound(
                            "twilio", number, provider_id=f"SM{number[1:]}{n:04d}", kind="text", text=f"message {n}"
                        )
                        for processor in processors:
                            processor.announce(record.id)
                    await asyncio.sleep(TURN_SECONDS / 3)
                deadline = time.monotonic() + 20
                while not all(_statuses(logs[0], number) == [INBOUND_PROCESSED] * MESSAGES_EACH for number in people):
                    assert time.monotonic() < deadline, "messages left unprocessed"
                    await asyncio.sleep(0.05)
                for poller in pollers:
                    poller.cancel()
                for processor in processors:
                    await processor.idle()

            asyncio.run(scenario())
        finally:
            for claim, engine in zip(claims, engines):
                claim.close()
                engine.dispose()
    assert dialogue.overlaps == 0
    for number in people:
        assert [text for sender, text in dialogue.turns if sender == number] == [
            f"message {n}" for n in range(MESSAGES_EACH)
        ]


def _statuses(log: MessageLog, number: str) -> list[str]:
    return [row.status for row in log.transcript("twilio", number) if row.direction == "in"]
