"""InboundQueue: texts people sent, as a durable queue, processed one person at a time.

`record_inbound` runs before a webhook answers, and a provider id seen before is reported as a
duplicate instead of stored twice. Processing claims the oldest waiting message of one person at
a time, so each person's messages are handled in arrival order; finishing a message queues the
dialogue's replies in the same transaction.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from bot.store.intake_store import seeker_row
from bot.store.message_records import (
    RETURNED_MESSAGE,
    MessageRecord,
    checked_provider_id,
    checked_status,
    message_record,
    returning_statement,
    update_message,
)
from bot.store.models import Message, Seeker
from bot.store.outbound_queue import OutboundToQueue, queue_replies
from bot.store.person_claims import live_session_named
from bot.store.transactions import TransactionalStore
from bot.store.validation import checked_address, checked_channel
from bot.store.vocabulary import DIRECTION_IN, INBOUND_PROCESSED, INBOUND_PROCESSING, INBOUND_RECEIVED

_WAITING_INBOUND = (INBOUND_RECEIVED, INBOUND_PROCESSING)

# An inbound message stored in one statement: its seeker's id and language taken in SQL, and a
# redelivery (the same provider id) left out by the unique constraint instead of failing the
# transaction. No row back: a redelivery, or a person never seen (then the seeker is made first).
_STORE_INBOUND = returning_statement(
    f"""
    INSERT INTO messages (seeker_id, direction, channel, provider_id, kind, text, details, language,
        status, consent_exempt, attempts, created_at, updated_at)
    SELECT seekers.id, :direction_in, :channel, :provider_id, :kind, :text, :details, seekers.language,
        :status, :consent_exempt, 0, :now, :now
    FROM seekers WHERE seekers.channel = :channel AND seekers.address = :address
    ON CONFLICT DO NOTHING
    RETURNING {RETURNED_MESSAGE}
    """
)

@dataclass(frozen=True)
class ClaimStatement:
    """The claim, written for each database: on PostgreSQL several processes claim (the row
    names its owner, bot/store/person_claims.py); SQLite's one process takes any `processing`
    row it finds for a left-over, its worker map keeping its own workers apart."""

    shared: TextClause
    embedded: TextClause

    def on(self, session: Session) -> TextClause:
        return self.shared if session.get_bind().dialect.name == "postgresql" else self.embedded


def _free_to_take(row: str) -> str:
    """SQL: whether the `processing` message `row` is free to take: it has no owner (left before
    revision 0009, or by a claimer with no identity), its owner is this process (`:owner`), or
    its owner's session is gone."""
    return f"({row}.claimed_by IS NULL OR {row}.claimed_by = :owner OR NOT {live_session_named(row + '.claimed_by')})"


# The shared claim's tests beyond the embedded one's. The first, on the row itself, PostgreSQL
# makes again on its newest version should another claim have changed it meanwhile.
_OWNED_CLAIM = f"""
        AND (status = :received OR (status = :processing AND {_free_to_take('messages')}))
        AND NOT EXISTS (
            SELECT 1 FROM messages AS held
            WHERE held.seeker_id = messages.seeker_id AND held.direction = :direction_in
            AND held.status = :processing AND NOT {_free_to_take('held')}
        )
        AND (:owner IS NULL OR {live_session_named(':owner')})
"""


def claim_statement(extra_returning: str = "", *extra_columns: tuple[str, Any]) -> ClaimStatement:
    """The person's oldest waiting message, marked `processing`, in one statement, returning the
    row, whether others of theirs wait behind it, and `extra_returning` (scalar subqueries on
    `messages.seeker_id`, for a caller that reads more with the claim: bot/store/turn_context.py).
    On PostgreSQL, none while another live process has one of theirs in hand.

    `attempts` counts the claims: more than one means an earlier attempt started it and did not
    finish (a row found `processing` with no count, left by an older version, counts as claimed
    once before)."""

    def written(shared: bool) -> TextClause:
        return returning_statement(
            f"""
            UPDATE messages SET status = :processing, updated_at = :now,
                {"claimed_by = :owner," if shared else ""}
                attempts = CASE WHEN status = :processing AND attempts < 1 THEN 2
                                WHEN status = :processing THEN attempts + 1
                                ELSE 1 END
            WHERE id = (
                SELECT min(waiting.id) FROM messages AS waiting
                JOIN seekers ON seekers.id = waiting.seeker_id
                WHERE seekers.channel = :channel AND seekers.address = :address
                AND waiting.direction = :direction_in AND waiting.status IN (:received, :processing)
            )
            {_OWNED_CLAIM if shared else "AND status IN (:received, :processing)"}
            RETURNING {RETURNED_MESSAGE},
                (SELECT count(*) FROM messages AS waiting
                 WHERE waiting.seeker_id = messages.seeker_id AND waiting.direction = :direction_in
                 AND waiting.status IN (:received, :processing) AND waiting.id <> messages.id) AS others_waiting
                {extra_returning}
            """,
            ("others_waiting", Integer()),
            *extra_columns,
        )

    return ClaimStatement(shared=written(True), embedded=written(False))


def claim_parameters(channel: str, address: str, now: datetime, owner: str | None = None) -> dict[str, Any]:
    """`owner`: the claiming process's identity (PersonClaims.owner), on PostgreSQL."""
    return {
        "channel": checked_channel(channel),
        "address": checked_address(address),
        "direction_in": DIRECTION_IN,
        "received": INBOUND_RECEIVED,
        "processing": INBOUND_PROCESSING,
        "now": now,
        "owner": owner,
    }


def inbound_claim(row: Any, address: str) -> InboundClaim:
    """The claim a row of `claim_statement` stands for: the record shows the status the message
    was found in."""
    found_status = INBOUND_PROCESSING if row.attempts > 1 else INBOUND_RECEIVED
    return InboundClaim(replace(message_record(row, address), status=found_status), row.others_waiting > 0)


_CLAIM_NEXT_INBOUND = claim_statement()


@dataclass(frozen=True)
class InboundClaim:
    """A person's next message, now `processing`, and whether more of theirs were waiting
    behind it when it was taken (so a worker reads on without asking again in vain)."""

    message: MessageRecord
    more_waiting: bool


@dataclass(frozen=True)
class InboundToRecord:
    """One inbound message as a webhook hands it to `record_inbound_many`."""

    channel: str
    address: str
    provider_id: str
    kind: str
    text: str
    details: Mapping[str, Any] | None = None
    status: str = INBOUND_RECEIVED


class InboundQueue(TransactionalStore):
    def record_inbound(
        self,
        channel: str,
        address: str,
        *,
        provider_id: str,
        kind: str,
        text: str,
        details: Mapping[str, Any] | None = None,
        status: str = INBOUND_RECEIVED,
    ) -> tuple[MessageRecord, bool]:
        """Stores an inbound message; returns it and whether it is new (False: a redelivery)."""
        (result,) = self.record_inbound_many(
            [InboundToRecord(channel, address, provider_id, kind, text, details, status)]
        )
        return result

    def record_inbound_many(self, messages: Sequence[InboundToRecord]) -> list[tuple[MessageRecord, bool]]:
        """Stores several inbound messages in one transaction (one wait for SQLite's write lock
        instead of one each); returns (record, is_new) for each, in order. A message seen before,
        also earlier in the same batch, is reported as a redelivery. Nothing is stored if any
        message is invalid (ValueError before the transaction)."""
        checked = [
            replace(
                message,
                channel=checked_channel(message.channel),
                address=checked_address(message.address),
                provider_id=checked_provider_id(message.provider_id),
                status=checked_status(message.status),
            )
            for message in messages
        ]
        with self._writing() as session:
            return [self._insert_inbound(session, message) for message in checked]

    def _insert_inbound(self, session: Session, message: InboundToRecord) -> tuple[MessageRecord, bool]:
        now = self._clock()
        parameters = {
            "direction_in": DIRECTION_IN,
            "channel": message.channel,
            "address": message.address,
            "provider_id": message.provider_id,
            "kind": message.kind,
            "text": message.text,
            "details": dict(message.details) if message.details else None,
            "status": message.status,
            "consent_exempt": False,
            "now": now,
        }
        stored = session.execute(_STORE_INBOUND, parameters).first()
        if stored is not None:
            return message_record(stored, message.address), True
        earlier = self._stored_inbound(session, message)
        if earlier is not None:
            return earlier, False
        seeker_row(session, message.channel, message.address, now)  # a first message: the seeker is new
        stored = session.execute(_STORE_INBOUND, parameters).first()
        if stored is not None:
            return message_record(stored, message.address), True
        earlier = self._stored_inbound(session, message)  # stored by another webhook meanwhile
        if earlier is None:
            raise RuntimeError("an inbound message was neither stored nor found")
        return earlier, False

    @staticmethod
    def _stored_inbound(session: Session, message: InboundToRecord) -> MessageRecord | None:
        found = session.execute(
            select(Message, Seeker.address)
            .join(Seeker, Seeker.id == Message.seeker_id)
            .where(
                Message.channel == message.channel,
                Message.direction == DIRECTION_IN,
                Message.provider_id == message.provider_id,
            )
        ).one_or_none()
        return message_record(*found) if found is not None else None

    def next_inbound(self, channel: str, address: str, owner: str | None = None) -> MessageRecord | None:
        """The person's oldest message not yet processed, now marked as being processed.

        The record shows the status it was found in: `processing` means an earlier attempt
        started it and did not finish (the process died), so the caller checks before redoing it.
        `owner`: the claiming process's identity (PersonClaims.owner), on PostgreSQL.
        """
        claim = self.claim_next_inbound(channel, address, owner)
        return claim.message if claim is not None else None

    def claim_next_inbound(self, channel: str, address: str, owner: str | None = None) -> InboundClaim | None:
        """`next_inbound`, also saying whether more of the person's messages wait behind it."""
        parameters = claim_parameters(channel, address, self._clock(), owner)
        with self._writing() as session:
            row = session.execute(_CLAIM_NEXT_INBOUND.on(session), parameters).first()
            return inbound_claim(row, parameters["address"]) if row is not None else None

    def has_waiting_inbound(self, channel: str, address: str) -> bool:
        """Whether the person has a message stored but not yet processed (for a claim that took
        nothing: another process may have it in hand)."""
        with self._reading() as session:
            return (
                session.execute(
                    select(Message.id)
                    .join(Seeker, Seeker.id == Message.seeker_id)
                    .where(
                        Seeker.channel == checked_channel(channel),
                        Seeker.address == checked_address(address),
                        Message.direction == DIRECTION_IN,
                        Message.status.in_(_WAITING_INBOUND),
                    )
                    .limit(1)
                ).first()
                is not None
            )

    def people_with_waiting_inbound(self) -> list[tuple[str, str]]:
        """(channel, address) of everyone with a message stored but not yet processed."""
        with self._reading() as session:
            rows = session.execute(
                select(Seeker.channel, Seeker.address, func.min(Message.id))
                .join(Message, Message.seeker_id == Seeker.id)
                .where(Message.direction == DIRECTION_IN, Message.status.in_(_WAITING_INBOUND))
                .group_by(Seeker.channel, Seeker.address)
                .order_by(func.min(Message.id))
            ).all()
            return [(channel, address) for channel, address, _ in rows]

    def finish_inbound(
        self,
        message_id: int,
        status: str = INBOUND_PROCESSED,
        details: Mapping[str, Any] | None = None,
        replies: Sequence[OutboundToQueue] = (),
    ) -> None:
        """Marks an inbound message done; `details` are added to what the channel recorded
        (a message kept for staff notes its handoff). The dialogue's `replies` are queued in the
        same transaction: a message is processed with its answers or not at all."""
        with self._writing() as session:
            now = self._clock()
            queue_replies(session, replies, now)
            values: dict[str, Any] = {"status": checked_status(status), "updated_at": now, "done_at": now}
            if details:
                row = session.get(Message, message_id)
                if row is not None:
                    values["details"] = {**(row.details or {}), **details}
            update_message(session, message_id, DIRECTION_IN, values)
