"""What an operator watches, read from the database (the metrics' gauges): the inbound backlog,
the outbound queue by status, open handoffs. Counts only; nothing personal leaves here."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from bot.store.models import Handoff, Message
from bot.store.transactions import TransactionalStore
from bot.store.vocabulary import (
    DIRECTION_IN,
    DIRECTION_OUT,
    HANDOFF_OPEN,
    HANDOFF_WAITING,
    INBOUND_PROCESSING,
    INBOUND_RECEIVED,
    OUTBOUND_QUEUED,
    OUTBOUND_SENDING,
    OUTBOUND_UNCERTAIN,
)


class OperationsQueries(TransactionalStore):
    def inbound_backlog(self) -> int:
        """Inbound messages stored and not yet processed."""
        with self._reading() as session:
            return session.execute(
                select(func.count())
                .select_from(Message)
                .where(Message.direction == DIRECTION_IN, Message.status.in_((INBOUND_RECEIVED, INBOUND_PROCESSING)))
            ).scalar_one()

    def outbound_by_status(self, uncertain_since: datetime) -> dict[str, int]:
        """Queued and in-flight outbound messages, and those left uncertain since `uncertain_since`."""
        with self._reading() as session:
            pending = dict(
                session.execute(
                    select(Message.status, func.count())
                    .where(Message.direction == DIRECTION_OUT, Message.status.in_((OUTBOUND_QUEUED, OUTBOUND_SENDING)))
                    .group_by(Message.status)
                ).all()
            )
            uncertain = session.execute(
                select(func.count())
                .select_from(Message)
                .where(
                    Message.direction == DIRECTION_OUT,
                    Message.status == OUTBOUND_UNCERTAIN,
                    Message.updated_at >= uncertain_since,
                )
            ).scalar_one()
        return {
            OUTBOUND_QUEUED: pending.get(OUTBOUND_QUEUED, 0),
            OUTBOUND_SENDING: pending.get(OUTBOUND_SENDING, 0),
            OUTBOUND_UNCERTAIN: uncertain,
        }

    def open_handoffs(self) -> list[tuple[str, datetime, datetime | None]]:
        """(status, created_at, first_response_at) of every open handoff, for the SLA clock."""
        with self._reading() as session:
            return [
                (status, created_at, first_response_at)
                for status, created_at, first_response_at in session.execute(
                    select(Handoff.status, Handoff.created_at, Handoff.first_response_at).where(
                        Handoff.status.in_(HANDOFF_OPEN)
                    )
                ).all()
            ]

    def waiting_handoffs(self) -> int:
        return sum(1 for status, _, _ in self.open_handoffs() if status == HANDOFF_WAITING)
