"""Group commit for the webhook ingest process: messages that arrive while a write is under way
are stored together, in one transaction, as soon as it ends.

Replies go out in bursts (a slow moment in the Rasa process, then several turns finish at once),
and people answer them in bursts. Stored one by one, the tenth webhook of a burst would wait for
SQLite's write lock ten times in turn, each time behind whatever the other processes are
writing; stored together, it waits once. A lone message is written at once, as before.

One writer thread: the ingest process's own inserts never compete for the lock.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging

from bot.store import InboundToRecord, MessageLog, MessageRecord

logger = logging.getLogger(__name__)

Recorded = tuple[MessageRecord, bool]


class InboundWriter:
    def __init__(self, log: MessageLog, max_batch: int = 200) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._log = log
        self._max_batch = max_batch
        self._thread = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="inbound-writer")
        self._waiting: list[tuple[InboundToRecord, asyncio.Future[Recorded]]] = []
        self._writing: asyncio.Task | None = None
        self.transactions = 0  # batches written, for tests and benchmarks

    async def record(self, message: InboundToRecord) -> Recorded:
        """Stores `message` (with whatever else is waiting); returns (record, is_new)."""
        loop = asyncio.get_running_loop()
        stored: asyncio.Future[Recorded] = loop.create_future()
        self._waiting.append((message, stored))
        if self._writing is None:
            self._writing = loop.create_task(self._write_while_waiting())
        # Shielded: a webhook whose client went away still has its message stored.
        return await asyncio.shield(stored)

    def close(self) -> None:
        self._thread.shutdown(wait=True)

    async def _write_while_waiting(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._waiting:
                batch = self._waiting[: self._max_batch]
                del self._waiting[: len(batch)]
                try:
                    outcomes = await loop.run_in_executor(self._thread, self._write, [message for message, _ in batch])
                except Exception as error:  # the thread is gone (shutting down): no webhook hangs
                    outcomes = [error] * len(batch)
                for (_, stored), outcome in zip(batch, outcomes):
                    if isinstance(outcome, BaseException):
                        stored.set_exception(outcome)
                    else:
                        stored.set_result(outcome)
        finally:
            self._writing = None

    def _write(self, messages: list[InboundToRecord]) -> list[Recorded | BaseException]:
        """On the writer thread. If the batch fails, each message is tried alone, so a bad one
        fails only its own webhook."""
        self.transactions += 1
        try:
            return list(self._log.record_inbound_many(messages))
        except Exception as error:
            if len(messages) == 1:
                return [error]
            logger.warning("storing %d messages together failed (%s); storing them one by one",
                           len(messages), type(error).__name__)
        outcomes: list[Recorded | BaseException] = []
        for message in messages:
            self.transactions += 1
            try:
                outcomes.append(self._log.record_inbound_many([message])[0])
            except Exception as error:
                outcomes.append(error)
        return outcomes
