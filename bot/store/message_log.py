"""MessageLog: every text in and out, in one table, in three roles, each a class of its own:

- `InboundQueue` (inbound_queue.py): texts people sent, stored before the webhook answers and
  processed one person at a time, in order;
- `OutboundQueue` (outbound_queue.py): replies and reminders waiting to go out, claimed and
  delivered by the sender;
- `Transcript` (transcript.py): a person's texts both ways, read back.

A process that plays every part (the Rasa server's channels) holds one `MessageLog`; code that
needs one role may be typed with that role alone.
"""
from __future__ import annotations

from bot.store.inbound_queue import InboundClaim, InboundQueue, InboundToRecord
from bot.store.message_records import MessageRecord
from bot.store.outbound_queue import DueClaims, OutboundClaim, OutboundQueue, OutboundToQueue
from bot.store.transcript import Transcript

__all__ = [
    "DueClaims",
    "InboundClaim",
    "InboundQueue",
    "InboundToRecord",
    "MessageLog",
    "MessageRecord",
    "OutboundClaim",
    "OutboundQueue",
    "OutboundToQueue",
    "Transcript",
]


class MessageLog(InboundQueue, OutboundQueue, Transcript):
    """The three roles on one engine and clock."""
