"""Transcript: a person's texts both ways, as the staff console, the processor (the choices the
last reply offered) and the sender (the route the person last wrote in by) read them."""
from __future__ import annotations

from sqlalchemy import select

from bot.store.message_records import MessageRecord, message_record
from bot.store.models import Message, Seeker
from bot.store.transactions import TransactionalStore
from bot.store.validation import checked_address, checked_channel
from bot.store.vocabulary import DIRECTION_IN, DIRECTION_OUT


class Transcript(TransactionalStore):
    def transcript(self, channel: str, address: str, limit: int = 500) -> tuple[MessageRecord, ...]:
        """The person's messages both ways, oldest first (the most recent `limit`)."""
        address = checked_address(address)
        with self._reading() as session:
            rows = session.execute(
                select(Message)
                .join(Seeker, Seeker.id == Message.seeker_id)
                .where(Seeker.channel == checked_channel(channel), Seeker.address == address)
                .order_by(Message.id.desc())
                .limit(limit)
            ).scalars()
            return tuple(reversed([message_record(row, address) for row in rows]))

    def latest_outbound(self, channel: str, address: str) -> MessageRecord | None:
        return self._latest(channel, address, DIRECTION_OUT)

    def latest_outbound_with_buttons(self, channel: str, address: str, lookback: int = 20) -> MessageRecord | None:
        """The last message that offered choices, within the person's last `lookback` replies.

        Filtered here rather than in SQL: an empty JSON column is SQL NULL on one backend and
        JSON null on another.
        """
        return next((m for m in self._recent(channel, address, DIRECTION_OUT, lookback) if m.buttons), None)

    def latest_inbound(self, channel: str, address: str) -> MessageRecord | None:
        return self._latest(channel, address, DIRECTION_IN)

    def get(self, message_id: int) -> MessageRecord | None:
        with self._reading() as session:
            found = session.execute(
                select(Message, Seeker.address).join(Seeker, Seeker.id == Message.seeker_id).where(Message.id == message_id)
            ).one_or_none()
            return message_record(*found) if found is not None else None

    def _latest(self, channel: str, address: str, direction: str) -> MessageRecord | None:
        recent = self._recent(channel, address, direction, 1)
        return recent[0] if recent else None

    def _recent(self, channel: str, address: str, direction: str, limit: int) -> list[MessageRecord]:
        """The person's last `limit` messages one way, newest first."""
        address = checked_address(address)
        with self._reading() as session:
            rows = session.execute(
                select(Message)
                .join(Seeker, Seeker.id == Message.seeker_id)
                .where(
                    Seeker.channel == checked_channel(channel),
                    Seeker.address == address,
                    Message.direction == direction,
                )
                .order_by(Message.id.desc())
                .limit(limit)
            ).scalars()
            return [message_record(row, address) for row in rows]
