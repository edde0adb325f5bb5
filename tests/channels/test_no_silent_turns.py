"""A dialogue turn that says nothing at all (an action failed and Rasa went on without it) is
answered with an apology and the way to a person; a turn whose replies were withheld (an
opted-out person) stays silent. Against a real migrated SQLite message log."""
from __future__ import annotations

import asyncio
import time

import pytest

from bot.channel_replies import TURN_UNANSWERED, reply
from bot.channels.outbox import Outbox
from bot.channels.processing import InboundProcessor
from bot.cli.harness import new_test_phone_number
from bot.store import IntakeStore, MessageLog, make_engine, migrate
from bot.store.vocabulary import INBOUND_PROCESSED


async def _silent(message) -> None:
    """Rasa when the turn's action failed: no reply at all."""


async def _withheld(message) -> None:
    """Rasa for an opted-out person: the consent-aware NLG empties every reply."""
    await message.output_channel.send_response(message.sender_id, {"text": "", "utter_action": "utter_greet"})


@pytest.fixture
def log(tmp_path):
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    migrate(url)
    engine = make_engine(url)
    yield MessageLog(engine)
    engine.dispose()


def _turn(log: MessageLog, dialogue, *, opted_out: bool = False) -> list[str]:
    number = new_test_phone_number()
    if opted_out:
        IntakeStore(log.engine).record_opt_out("twilio", number, "STOP")

    async def scenario() -> None:
        processor = InboundProcessor(log, IntakeStore(log.engine), Outbox(log), dialogue)
        log.record_inbound("twilio", number, provider_id="SM" + "1" * 32, kind="text", text="hola?", status="received")
        processor.wake("twilio", number)
        deadline = time.monotonic() + 5
        while [row.status for row in log.transcript("twilio", number) if row.direction == "in"] != [INBOUND_PROCESSED]:
            assert time.monotonic() < deadline, "the message was not processed"
            await asyncio.sleep(0.02)

    asyncio.run(scenario())
    return [row.text for row in log.transcript("twilio", number) if row.direction == "out"]


def test_a_turn_that_said_nothing_is_answered_with_the_way_to_a_person(log):
    assert _turn(log, _silent) == [reply(TURN_UNANSWERED, None)]
    assert "AGENT" in reply(TURN_UNANSWERED, "en") and "AGENTE" in reply(TURN_UNANSWERED, "es")


def test_replies_withheld_from_an_opted_out_person_stay_unsent(log):
    assert _turn(log, _withheld) == []



def test_an_opted_out_person_gets_no_apology_for_the_silence(log):
    assert _turn(log, _silent, opted_out=True) == []
