"""The one way anything sends a text: `send(channel, address, text, buttons)`.

It only queues the message in the database; the outbound sender (in the Rasa process) delivers
it, retries it and refuses it for people who opted out. Any process that can reach the database
can send (the staff console, reminders), and a crash after `send` returns loses nothing.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.store import MessageLog, MessageRecord, OutboundToQueue


class Outbox:
    def __init__(
        self,
        log: MessageLog,
        on_queued: Callable[[], None] | None = None,
        on_replies_queued: Callable[[int, int], None] | None = None,
    ) -> None:
        self._log = log
        # Wakes a sender in this process at once; others find the row when they next look.
        self._on_queued = on_queued
        # Tells it whom (seeker id) and how many replies a turn queued: it claims those alone.
        self._on_replies_queued = on_replies_queued

    def send(
        self,
        channel: str,
        address: str,
        text: str,
        buttons: Sequence[Mapping[str, str]] | None = None,
        *,
        language: str | None = None,
        in_reply_to: int | None = None,
        consent_exempt: bool = False,
        details: Mapping[str, Any] | None = None,
        kind: str = "text",
    ) -> MessageRecord:
        queued = self._log.enqueue(
            channel,
            address,
            text,
            buttons=buttons,
            language=language,
            in_reply_to=in_reply_to,
            consent_exempt=consent_exempt,
            details=details,
            kind=kind,
        )
        if self._on_queued is not None:
            self._on_queued()
        return queued

    async def send_async(self, *args: Any, **kwargs: Any) -> MessageRecord:
        """`send` without blocking the event loop on the database write."""
        record = await asyncio.to_thread(self._log.enqueue, *args, **kwargs)
        if self._on_queued is not None:
            self._on_queued()
        return record

    async def queue_async(self, reply: OutboundToQueue) -> MessageRecord:
        return await self.send_async(
            reply.channel,
            reply.address,
            reply.text,
            buttons=reply.buttons,
            language=reply.language,
            in_reply_to=reply.in_reply_to,
            consent_exempt=reply.consent_exempt,
            details=reply.details,
            kind=reply.kind,
        )

    def notify(self, seeker_id: int | None = None, count: int = 0) -> None:
        """Messages were queued some other way (with a processed message): wake the sender,
        telling it for whom when known."""
        if seeker_id is not None and self._on_replies_queued is not None:
            self._on_replies_queued(seeker_id, count)
        elif self._on_queued is not None:
            self._on_queued()
