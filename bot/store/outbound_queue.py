"""OutboundQueue: texts waiting to go out, as a durable queue.

`enqueue` writes a reply; the sender claims due rows (at most one in flight per person, oldest
first) and records the outcome. A row left `sending` by a crash becomes `uncertain` and is never
sent again: a text sent twice is worse than a text lost and logged.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from bot.store.intake_store import seeker_row
from bot.store.message_records import (
    ADDRESS_COLUMN,
    CONSENT_COLUMN,
    RETURNED_MESSAGE,
    MessageRecord,
    checked_provider_id,
    clipped_code,
    message_record,
    returning_statement,
    typed_statement,
    update_message,
)
from bot.store.models import Message, Seeker
from bot.store.transactions import TransactionalStore
from bot.store.validation import checked_address, checked_channel
from bot.store.vocabulary import (
    CONSENT_OPTED_OUT,
    DIRECTION_OUT,
    OUTBOUND_DELIVERED,
    OUTBOUND_FAILED,
    OUTBOUND_QUEUED,
    OUTBOUND_REFUSED,
    OUTBOUND_SENDING,
    OUTBOUND_SENT,
    OUTBOUND_UNCERTAIN,
    OUTBOUND_UNDELIVERED,
)

logger = logging.getLogger(__name__)

# Delivery reports arrive out of order; a later stage never goes back to an earlier one.
_DELIVERY_RANK = {
    OUTBOUND_QUEUED: 0,
    OUTBOUND_SENDING: 1,
    OUTBOUND_UNCERTAIN: 1,
    OUTBOUND_SENT: 2,
    OUTBOUND_DELIVERED: 3,
    OUTBOUND_UNDELIVERED: 3,
    OUTBOUND_FAILED: 3,
    OUTBOUND_REFUSED: 3,
}
# How many queued rows one sender pass looks at; the rest wait for the next pass.
_CLAIM_WINDOW = 500

# Claims are compare-and-set, with no lock around them: a claim marks a row `sending` only if it
# is still `queued` (the outer `status` test, which PostgreSQL makes again on the row's newest
# version when another transaction changed it meanwhile), is its person's oldest queued row, has
# its retry time come, and nothing of that person is in flight. Two senders that race for a
# person both aim at that person's oldest queued row, and the one that commits second finds it
# no longer queued: a row is never claimed twice, nor a later one while an earlier one waits.
# (Two claims aim at different rows of one person only if the older row became queued without a
# claim in the instant between their snapshots: an uncertain text queued again, or a row whose
# insert committed after a later one's. Such a row goes out after a later one in any case.)
_IT_IS_THEIR_TURN = """
    AND status = :queued
    AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
    AND NOT EXISTS (
        SELECT 1 FROM messages AS in_flight
        WHERE in_flight.seeker_id = messages.seeker_id AND in_flight.direction = :out
        AND in_flight.status = :sending
    )
"""
_CLAIMED_FOR_SENDING = f"""
    RETURNING {RETURNED_MESSAGE},
        (SELECT address FROM seekers WHERE seekers.id = messages.seeker_id) AS address,
        (SELECT consent_status FROM seekers WHERE seekers.id = messages.seeker_id) AS consent_status
"""

# One person's oldest queued message, claimed when it is their turn.
_CLAIM_NEXT_OF = returning_statement(
    f"""
    UPDATE messages SET status = :sending, attempts = attempts + 1, updated_at = :now
    WHERE id = (
        SELECT min(id) FROM messages
        WHERE seeker_id = :seeker_id AND direction = :out AND status = :queued
    )
    {_IT_IS_THEIR_TURN}
    {_CLAIMED_FOR_SENDING}
    """,
    ADDRESS_COLUMN,
    CONSENT_COLUMN,
)

# The rows a look over the queue chose (`:ids`, each its person's oldest queued row when read),
# claimed if each still is and it is still their turn.
_CLAIM_CHOSEN = returning_statement(
    f"""
    UPDATE messages SET status = :sending, attempts = attempts + 1, updated_at = :now
    WHERE id IN :ids
    AND NOT EXISTS (
        SELECT 1 FROM messages AS older
        WHERE older.seeker_id = messages.seeker_id AND older.direction = :out
        AND older.status = :queued AND older.id < messages.id
    )
    {_IT_IS_THEIR_TURN}
    {_CLAIMED_FOR_SENDING}
    """,
    ADDRESS_COLUMN,
    CONSENT_COLUMN,
).bindparams(bindparam("ids", expanding=True))

# A delivery report moves its message's status forward (an `earlier` one), never back, and keeps
# an error code it brings.
_RECORD_DELIVERY = returning_statement(
    f"""
    UPDATE messages SET
        status = CASE WHEN status IN :earlier THEN :status ELSE status END,
        updated_at = CASE WHEN status IN :earlier THEN :now ELSE updated_at END,
        error_code = COALESCE(:error_code, error_code)
    WHERE channel = :channel AND direction = :out AND provider_id = :provider_id
    RETURNING {RETURNED_MESSAGE},
        (SELECT address FROM seekers WHERE seekers.id = messages.seeker_id) AS address
    """,
    ADDRESS_COLUMN,
).bindparams(bindparam("earlier", expanding=True))

# Replies to someone who wrote in, queued in one statement each (no read of the seeker first):
# the language falls back to the seeker's.
_QUEUE_REPLY = typed_statement(
    """
    INSERT INTO messages (seeker_id, direction, channel, kind, text, buttons, details, language,
        status, consent_exempt, attempts, in_reply_to, created_at, updated_at)
    SELECT seekers.id, :out, :channel, :kind, :text, :buttons, :details,
        coalesce(:language, seekers.language), :queued, :consent_exempt, 0, :in_reply_to, :now, :now
    FROM seekers WHERE seekers.channel = :channel AND seekers.address = :address
    """
)


@dataclass(frozen=True)
class OutboundToQueue:
    """One outbound message as `enqueue` takes it, for queueing several in one transaction."""

    channel: str
    address: str
    text: str
    buttons: Sequence[Mapping[str, str]] | None = None
    language: str | None = None
    in_reply_to: int | None = None
    consent_exempt: bool = False
    kind: str = "text"
    details: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class OutboundClaim:
    """A message the sender now owns, with what it needs to decide whether to send it."""

    message: MessageRecord
    recipient_opted_out: bool


@dataclass(frozen=True)
class DueClaims:
    """What one pass over the queue claimed, and the people it held back because a message of
    theirs was in flight (their next one is due as soon as that one is done)."""

    claims: list[OutboundClaim]
    held_back: frozenset[int] = field(default_factory=frozenset)


class OutboundQueue(TransactionalStore):
    def enqueue(
        self,
        channel: str,
        address: str,
        text: str,
        *,
        buttons: Sequence[Mapping[str, str]] | None = None,
        language: str | None = None,
        in_reply_to: int | None = None,
        consent_exempt: bool = False,
        kind: str = "text",
        details: Mapping[str, Any] | None = None,
    ) -> MessageRecord:
        reply = OutboundToQueue(
            channel, address, text, buttons, language, in_reply_to, consent_exempt, kind, details
        )
        with self._writing() as session:
            return queue_one(session, reply, self._clock())

    def claim_due(self, now: datetime | None = None, limit: int = 50) -> list[OutboundClaim]:
        """Claims the oldest queued message of each person whose turn it is.

        A person with a message in flight, or whose oldest queued message waits for a retry,
        gets nothing this pass, so their messages go out in the order they were queued.
        """
        return self.claim_due_noting_held_back(now, limit).claims

    def claim_due_noting_held_back(self, now: datetime | None = None, limit: int = 50) -> DueClaims:
        """`claim_due`, also saying whom it held back behind a message in flight."""
        now = now or self._clock()
        claims: list[OutboundClaim] = []
        held_back: set[int] = set()
        if not self._anything_queued():
            return DueClaims(claims)  # the common case, answered without taking the write lock
        with self._writing() as session:
            busy = set(
                session.execute(
                    select(Message.seeker_id).where(
                        Message.direction == DIRECTION_OUT, Message.status == OUTBOUND_SENDING
                    )
                ).scalars()
            )
            queued = session.execute(
                select(Message.id, Message.seeker_id, Message.next_attempt_at)
                .where(Message.direction == DIRECTION_OUT, Message.status == OUTBOUND_QUEUED)
                .order_by(Message.id)
                .limit(_CLAIM_WINDOW)
            ).all()
            chosen: list[int] = []
            for message_id, seeker_id, next_attempt_at in queued:
                if seeker_id in busy:
                    held_back.add(seeker_id)
                    continue
                busy.add(seeker_id)  # later rows of this person wait for this one
                if next_attempt_at is not None and next_attempt_at > now:
                    continue
                chosen.append(message_id)
                if len(chosen) >= limit:
                    break
            if chosen:
                rows = session.execute(_CLAIM_CHOSEN, {**self._claim_parameters(now), "ids": chosen}).all()
                claims = [_outbound_claim(row) for row in sorted(rows, key=lambda row: row.id)]
        return DueClaims(claims, frozenset(held_back))

    def claim_next_of(self, seeker_id: int, now: datetime | None = None) -> OutboundClaim | None:
        """The person's oldest queued message, claimed if it is their turn (nothing of theirs in
        flight, its retry time come); None otherwise. One statement: for a sender told which
        person has replies waiting, instead of looking over the whole queue."""
        with self._writing() as session:
            row = session.execute(
                _CLAIM_NEXT_OF, {**self._claim_parameters(now or self._clock()), "seeker_id": seeker_id}
            ).first()
            return _outbound_claim(row) if row is not None else None

    @staticmethod
    def _claim_parameters(now: datetime) -> dict[str, Any]:
        return {"now": now, "out": DIRECTION_OUT, "queued": OUTBOUND_QUEUED, "sending": OUTBOUND_SENDING}

    def _anything_queued(self) -> bool:
        with self._reading() as session:
            return (
                session.execute(
                    select(Message.id)
                    .where(Message.direction == DIRECTION_OUT, Message.status == OUTBOUND_QUEUED)
                    .limit(1)
                ).first()
                is not None
            )

    def mark_sent(self, message_id: int, provider_id: str | None, text_sent: str | None = None) -> None:
        values: dict[str, Any] = {"status": OUTBOUND_SENT, "provider_id": provider_id}
        if text_sent is not None:
            values["text"] = text_sent  # what the person saw, numbered choices included
        self._update_outbound(message_id, done=True, **values)

    def mark_retry(self, message_id: int, error_code: str | None, retry_at: datetime) -> None:
        self._update_outbound(
            message_id,
            status=OUTBOUND_QUEUED,
            error_code=clipped_code(error_code),
            next_attempt_at=retry_at,
        )

    def mark_failed(self, message_id: int, error_code: str | None) -> None:
        self._update_outbound(
            message_id, done=True, status=OUTBOUND_FAILED, error_code=clipped_code(error_code)
        )

    def mark_uncertain(self, message_id: int, error_code: str | None) -> None:
        """The provider may have it (a timeout): logged, never sent again."""
        self._update_outbound(
            message_id, done=True, status=OUTBOUND_UNCERTAIN, error_code=clipped_code(error_code)
        )

    def mark_refused(self, message_id: int, reason: str) -> None:
        self._update_outbound(
            message_id, done=True, status=OUTBOUND_REFUSED, error_code=clipped_code(reason)
        )

    def record_delivery(
        self, channel: str, provider_id: str, status: str, error_code: str | None = None
    ) -> MessageRecord | None:
        """A delivery report from the provider; returns the message, or None if unknown.

        One statement: Twilio posts two reports for every text sent (sent, delivered), so this
        runs twice per reply in the webhook process; read, changed and read again through the
        ORM it cost three statements and about 1 ms of CPU each time."""
        now = self._clock()
        rank = _DELIVERY_RANK.get(status, -1)
        earlier = [known for known, known_rank in _DELIVERY_RANK.items() if known_rank < rank]
        with self._writing() as session:
            row = session.execute(
                _RECORD_DELIVERY,
                {
                    "channel": checked_channel(channel),
                    "out": DIRECTION_OUT,
                    "provider_id": checked_provider_id(provider_id),
                    "status": status,
                    # No row's status is empty: a report that moves nothing forward changes nothing.
                    "earlier": earlier or [""],
                    "now": now,
                    "error_code": clipped_code(error_code),
                },
            ).first()
            return message_record(row, row.address) if row is not None else None

    def recover_after_crash(self) -> int:
        """At start: rows a dead sender left `sending` become `uncertain`; returns how many."""
        with self._writing() as session:
            result = session.execute(
                update(Message)
                .where(Message.direction == DIRECTION_OUT, Message.status == OUTBOUND_SENDING)
                .values(status=OUTBOUND_UNCERTAIN, updated_at=self._clock())
            )
            if result.rowcount:
                logger.warning("%d outbound messages may or may not have gone out", result.rowcount)
            return result.rowcount

    def mark_stale_sending_uncertain(self, untouched_since: datetime, keep: Sequence[int] = ()) -> int:
        """Rows `sending` not touched since `untouched_since` (their sender died, or could not
        record the outcome) become `uncertain`, except the ids in `keep` (still in this
        process's hands); returns how many. Their `updated_at` is left as it was: it says how
        long the send has been quiet, which the provider lookup waits on."""
        conditions = [
            Message.direction == DIRECTION_OUT,
            Message.status == OUTBOUND_SENDING,
            Message.updated_at < untouched_since,
        ]
        if keep:
            conditions.append(Message.id.not_in(list(keep)))
        with self._writing() as session:
            result = session.execute(
                update(Message).where(*conditions).values(status=OUTBOUND_UNCERTAIN, error_code="unfinished")
            )
            return result.rowcount

    def uncertain_outbound(
        self, since: datetime, limit: int = 200, quiet_since: datetime | None = None
    ) -> list[MessageRecord]:
        """Outbound messages left uncertain (a crash mid-send, a timeout), queued since `since`,
        oldest first: candidates for asking the provider whether it has them. With
        `quiet_since`, only those untouched since then (a request the provider may still be
        working on is not asked about yet)."""
        conditions = [
            Message.direction == DIRECTION_OUT,
            Message.status == OUTBOUND_UNCERTAIN,
            Message.created_at >= since,
        ]
        if quiet_since is not None:
            conditions.append(Message.updated_at <= quiet_since)
        with self._reading() as session:
            rows = session.execute(
                select(Message, Seeker.address)
                .join(Seeker, Seeker.id == Message.seeker_id)
                .where(*conditions)
                .order_by(Message.id)
                .limit(limit)
            ).all()
            return [message_record(row, address) for row, address in rows]

    def settle_uncertain(self, message_id: int, provider_id: str | None) -> None:
        """What the provider said of an uncertain message: it has it (sent, with its id), or it
        never got it (queued again, to be sent as if new). Only an uncertain row changes."""
        if provider_id is not None:
            values: dict[str, Any] = {"status": OUTBOUND_SENT, "provider_id": provider_id, "error_code": None}
        else:
            values = {"status": OUTBOUND_QUEUED, "next_attempt_at": None, "done_at": None}
        with self._writing() as session:
            session.execute(
                update(Message)
                .where(Message.id == message_id, Message.direction == DIRECTION_OUT, Message.status == OUTBOUND_UNCERTAIN)
                .values(updated_at=self._clock(), **values)
            )

    def _update_outbound(self, message_id: int, done: bool = False, **values: Any) -> None:
        now = self._clock()
        values["updated_at"] = now
        if done:
            values["done_at"] = now
        with self._writing() as session:
            update_message(session, message_id, DIRECTION_OUT, values)


def queue_one(session: Session, reply: OutboundToQueue, now: datetime) -> MessageRecord:
    """Queues `reply` in `session`'s transaction (creating the seeker if new); returns it."""
    channel, address = checked_channel(reply.channel), checked_address(reply.address)
    seeker = seeker_row(session, channel, address, now)
    row = Message(
        seeker_id=seeker.id,
        direction=DIRECTION_OUT,
        channel=channel,
        kind=reply.kind,
        text=reply.text,
        buttons=[dict(button) for button in reply.buttons] if reply.buttons else None,
        details=dict(reply.details) if reply.details else None,
        language=reply.language or seeker.language,
        status=OUTBOUND_QUEUED,
        consent_exempt=reply.consent_exempt,
        attempts=0,
        in_reply_to=reply.in_reply_to,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return message_record(row, address)


def queue_replies(session: Session, replies: Sequence[OutboundToQueue], now: datetime) -> None:
    """Queues the replies to a turn in `session`'s transaction: one INSERT for them all (rows
    made from the seeker's row in SQL, not read first). Replies to someone with no seeker row
    (erased meanwhile) are queued one by one, creating it, as `enqueue` would."""
    if not replies:
        return
    parameters = [
        {
            "out": DIRECTION_OUT,
            "queued": OUTBOUND_QUEUED,
            "channel": checked_channel(reply.channel),
            "address": checked_address(reply.address),
            "kind": reply.kind,
            "text": reply.text,
            "buttons": [dict(button) for button in reply.buttons] if reply.buttons else None,
            "details": dict(reply.details) if reply.details else None,
            "language": reply.language,
            "consent_exempt": reply.consent_exempt,
            "in_reply_to": reply.in_reply_to,
            "now": now,
        }
        for reply in replies
    ]
    inserted = session.execute(_QUEUE_REPLY, parameters).rowcount
    if inserted != len(replies):
        # Some seeker had no row: the rows that found theirs are in; the others are queued now.
        people = {(p["channel"], p["address"]) for p in parameters}
        known = set(
            session.execute(
                select(Seeker.channel, Seeker.address).where(
                    Seeker.channel.in_({c for c, _ in people}), Seeker.address.in_({a for _, a in people})
                )
            ).all()
        )
        for reply, given in zip(replies, parameters):
            if (given["channel"], given["address"]) not in known:
                queue_one(session, reply, now)


def _outbound_claim(row: Any) -> OutboundClaim:
    """A row of a claiming statement (the message, its address and consent)."""
    return OutboundClaim(message_record(row, row.address), row.consent_status == CONSENT_OPTED_OUT)
