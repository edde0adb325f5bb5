"""The ingest process's group commit (InboundWriter) against a real migrated SQLite database:
messages that arrive together are stored together, each caller gets its own row, redeliveries
are recognised even within one batch, and a bad message fails only its own webhook."""
from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator

import pytest

from bot.channels.inbound_writer import InboundWriter
from bot.cli.harness import new_test_phone_number
from bot.store import InboundToRecord, MessageLog, make_engine, migrate

_sids = itertools.count(1)


def _message(address: str, text: str, provider_id: str | None = None) -> InboundToRecord:
    return InboundToRecord("twilio", address, provider_id or f"SM{next(_sids):032d}", "text", text)


@pytest.fixture
def log(tmp_path) -> Iterator[MessageLog]:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    migrate(url)
    engine = make_engine(url)
    yield MessageLog(engine)
    engine.dispose()


def _record_all(log: MessageLog, messages: list[InboundToRecord], max_batch: int = 200) -> tuple[list, int]:
    """Hands every message to one writer at the same moment, as a burst of webhooks would."""

    async def burst() -> tuple[list, int]:
        writer = InboundWriter(log, max_batch=max_batch)
        try:
            outcomes = await asyncio.gather(*(writer.record(m) for m in messages), return_exceptions=True)
        finally:
            writer.close()
        return outcomes, writer.transactions

    return asyncio.run(burst())


@pytest.mark.parametrize(
    "burst, max_batch, most_transactions",
    [
        (1, 200, 1),
        (2, 200, 2),  # the first is written at once, the second waits for it
        (20, 200, 2),
        (20, 5, 5),  # 1 + 19 waiting, in batches of at most 5
    ],
)
def test_a_burst_is_stored_in_few_transactions_and_every_caller_gets_its_own_row(
    log, burst, max_batch, most_transactions
):
    people = [new_test_phone_number() for _ in range(burst)]
    outcomes, transactions = _record_all(log, [_message(number, f"hi {i}") for i, number in enumerate(people)], max_batch)
    assert transactions <= most_transactions
    assert [(record.address, record.text, is_new) for record, is_new in outcomes] == [
        (number, f"hi {i}", True) for i, number in enumerate(people)
    ]
    for (record, _), number in zip(outcomes, people):
        assert [row.id for row in log.transcript("twilio", number)] == [record.id]


def test_a_redelivery_in_the_same_burst_or_later_is_not_stored_twice(log):
    number = new_test_phone_number()
    first = _message(number, "hello", provider_id="SM" + "a" * 32)
    outcomes, _ = _record_all(log, [first, _message(number, "other"), first])
    (original, is_new), (_, other_new), (again, again_new) = outcomes
    assert (is_new, other_new, again_new) == (True, True, False)
    assert again.id == original.id
    later, _ = _record_all(log, [first])
    assert later[0][0].id == original.id and later[0][1] is False
    assert [row.text for row in log.transcript("twilio", number)] == ["hello", "other"]


@pytest.mark.parametrize("bad_position", [0, 1, 2])
def test_a_bad_message_fails_only_its_own_webhook(log, bad_position):
    people = [new_test_phone_number() for _ in range(3)]
    messages = [_message(number, "hi") for number in people]
    messages[bad_position] = _message(people[bad_position], "hi", provider_id=" ")  # no provider id
    outcomes, _ = _record_all(log, messages)
    for position, (outcome, number) in enumerate(zip(outcomes, people)):
        if position == bad_position:
            assert isinstance(outcome, ValueError)
            assert log.transcript("twilio", number) == ()
        else:
            assert outcome[1] is True
            assert len(log.transcript("twilio", number)) == 1


def test_no_writer_accepts_an_empty_batch_size(log):
    with pytest.raises(ValueError):
        InboundWriter(log, max_batch=0)
