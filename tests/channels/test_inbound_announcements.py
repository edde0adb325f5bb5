"""How the Rasa process learns of messages the webhook ingest process stored: an announcement
(the wake datagram's message id) or, when none arrives, the poll. Against a real migrated SQLite
message log; the dialogue is a recorder, so what reaches it, and in which order, is checked."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field

import pytest

from bot.channels.outbox import Outbox
from bot.channels.processing import InboundProcessor
from bot.cli.harness import new_test_phone_number
from bot.store import IntakeStore, MessageLog, MessageRecord, make_engine, migrate
from bot.store.vocabulary import INBOUND_PROCESSED, INBOUND_RECEIVED, INBOUND_THROTTLED

SETTLE_SECONDS = 5.0
_provider_ids = iter(range(10**6))


@dataclass
class Dialogue:
    """Stands in for Rasa: remembers (sender, text) of each turn it is given."""

    turns: list[tuple[str, str]] = field(default_factory=list)

    async def __call__(self, message) -> None:
        self.turns.append((message.sender_id, message.text))


@dataclass
class Setting:
    log: MessageLog
    store: IntakeStore
    dialogue: Dialogue

    def processor(self) -> InboundProcessor:
        return InboundProcessor(self.log, self.store, Outbox(self.log), self.dialogue)

    def store_inbound(self, address: str, text: str, status: str = INBOUND_RECEIVED) -> MessageRecord:
        """What the ingest process does for a webhook."""
        record, is_new = self.log.record_inbound(
            "twilio", address, provider_id=f"SM{next(_provider_ids):032d}", kind="text", text=text, status=status
        )
        assert is_new
        return record

    def statuses(self, address: str) -> list[str]:
        return [row.status for row in self.log.transcript("twilio", address) if row.direction == "in"]


@pytest.fixture
def setting(tmp_path) -> Iterator[Setting]:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    migrate(url)
    engine = make_engine(url)
    yield Setting(MessageLog(engine), IntakeStore(engine), Dialogue())
    engine.dispose()


async def _until(condition: Callable[[], bool], seconds: float = SETTLE_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.02)


def _run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(scenario())


@pytest.mark.parametrize("how", ["announced", "polled"])
def test_stored_messages_reach_the_dialogue_once_and_in_order(setting, how):
    number = new_test_phone_number()

    async def scenario() -> None:
        processor = setting.processor()
        poller = asyncio.create_task(processor.keep_polling(0.05)) if how == "polled" else None
        first = setting.store_inbound(number, "hola")
        setting.store_inbound(number, "Rosa")
        if how == "announced":
            processor.announce(first.id)  # one wake; the worker then drains the person's queue
        await _until(lambda: setting.statuses(number) == [INBOUND_PROCESSED] * 2)
        await processor.idle()
        if poller is not None:
            poller.cancel()

    _run(scenario)
    assert setting.dialogue.turns == [(number, "hola"), (number, "Rosa")]


@pytest.mark.parametrize("what", ["no such row", "an outbound row", "a processed message", "a throttled message"])
def test_an_announcement_of_anything_but_a_waiting_message_starts_no_turn(setting, what):
    number = new_test_phone_number()
    if what == "no such row":
        message_id = 10**9
    elif what == "an outbound row":
        message_id = setting.log.enqueue("twilio", number, "Hi!").id
    elif what == "a processed message":
        message_id = setting.store_inbound(number, "hi").id
        setting.log.finish_inbound(message_id, INBOUND_PROCESSED)
    else:
        message_id = setting.store_inbound(number, "hi", status=INBOUND_THROTTLED).id

    async def scenario() -> None:
        processor = setting.processor()
        processor.announce(message_id)
        await asyncio.sleep(0.3)
        await processor.idle()

    _run(scenario)
    assert setting.dialogue.turns == []


def test_without_announcements_nothing_happens_until_the_poll_looks(setting):
    number = new_test_phone_number()
    poll_seconds = 0.6

    async def scenario() -> None:
        processor = setting.processor()
        poller = asyncio.create_task(processor.keep_polling(poll_seconds))
        setting.store_inbound(number, "hello")
        await asyncio.sleep(poll_seconds / 3)
        assert setting.dialogue.turns == []  # nothing announced it, and the poll has not run yet
        await _until(lambda: setting.dialogue.turns != [])
        poller.cancel()

    _run(scenario)
    assert setting.dialogue.turns == [(number, "hello")]


def test_recover_counts_the_people_with_waiting_messages(setting):
    people = [new_test_phone_number() for _ in range(3)]
    for number in people:
        setting.store_inbound(number, "hi")
    setting.store_inbound(people[0], "again")

    async def scenario() -> int:
        processor = setting.processor()
        resumed = await processor.recover()
        await _until(lambda: len(setting.dialogue.turns) == 4)
        await processor.idle()
        return resumed

    assert asyncio.run(scenario()) == 3
    assert [text for sender, text in setting.dialogue.turns if sender == people[0]] == ["hi", "again"]
