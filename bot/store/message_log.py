"""MessageLog: every text in and out, as a durable queue both ways and as the transcript.

Inbound: `record_inbound` runs before a webhook answers, and a provider id seen before is
reported as a duplicate instead of stored twice. Processing claims the oldest waiting message
of one person at a time, so each person's messages are handled in arrival order.

Outbound: `enqueue` writes the reply; the sender claims due rows (at most one in flight per
person, oldest first), and records the outcome. A row left `sending` by a crash becomes
`uncertain` and is never sent again: a text sent twice is worse than a text lost and logged.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from bot.store.models import Message, Seeker
from bot.store.intake_store import seeker_row
from bot.store.transactions import TransactionalStore, insert_or_fetch
from bot.store.validation import checked_address, checked_channel
from bot.store.vocabulary import (
    CONSENT_OPTED_OUT,
    DIRECTION_IN,
    DIRECTION_OUT,
    ERROR_CODE_MAX,
    INBOUND_PROCESSED,
    INBOUND_PROCESSING,
    INBOUND_RECEIVED,
    MESSAGE_STATUSES,
    OUTBOUND_DELIVERED,
    OUTBOUND_FAILED,
    OUTBOUND_QUEUED,
    OUTBOUND_REFUSED,
    OUTBOUND_SENDING,
    OUTBOUND_SENT,
    OUTBOUND_UNCERTAIN,
    OUTBOUND_UNDELIVERED,
    PROVIDER_ID_MAX,
)

logger = logging.getLogger(__name__)

_WAITING_INBOUND = (INBOUND_RECEIVED, INBOUND_PROCESSING)
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


@dataclass(frozen=True)
class MessageRecord:
    id: int
    seeker_id: int
    direction: str
    channel: str
    address: str
    provider_id: str | None
    kind: str
    text: str
    buttons: list[dict[str, str]] | None
    details: dict[str, Any] | None
    language: str | None
    status: str
    error_code: str | None
    consent_exempt: bool
    attempts: int
    in_reply_to: int | None
    created_at: datetime
    done_at: datetime | None


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


class MessageLog(TransactionalStore):
    # --- inbound -------------------------------------------------------------------------

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
                provider_id=_checked_provider_id(message.provider_id),
                status=_checked_status(message.status),
            )
            for message in messages
        ]
        with self._writing() as session:
            return [self._insert_inbound(session, message) for message in checked]

    def _insert_inbound(self, session: Session, message: InboundToRecord) -> tuple[MessageRecord, bool]:
        now = self._clock()
        seeker = seeker_row(session, message.channel, message.address, now)
        row = Message(
            seeker_id=seeker.id,
            direction=DIRECTION_IN,
            channel=message.channel,
            provider_id=message.provider_id,
            kind=message.kind,
            text=message.text,
            details=dict(message.details) if message.details else None,
            language=seeker.language,
            status=message.status,
            consent_exempt=False,
            attempts=0,
            created_at=now,
            updated_at=now,
        )
        # A savepoint per message: a redelivery undoes only its own insert.
        stored, inserted = insert_or_fetch(session, row, lambda: self._stored_inbound(session, message))
        if inserted:
            return _record(stored, message.address), True
        return _record(stored, session.get(Seeker, stored.seeker_id).address), False

    @staticmethod
    def _stored_inbound(session: Session, message: InboundToRecord) -> Message | None:
        return session.execute(
            select(Message).where(
                Message.channel == message.channel,
                Message.direction == DIRECTION_IN,
                Message.provider_id == message.provider_id,
            )
        ).scalar_one_or_none()

    def next_inbound(self, channel: str, address: str) -> MessageRecord | None:
        """The person's oldest message not yet processed, now marked as being processed.

        The record shows the status it was found in: `processing` means an earlier attempt
        started it and did not finish (the process died), so the caller checks before redoing it.
        """
        with self._writing() as session:
            row = session.execute(
                select(Message)
                .join(Seeker, Seeker.id == Message.seeker_id)
                .where(
                    Seeker.channel == checked_channel(channel),
                    Seeker.address == checked_address(address),
                    Message.direction == DIRECTION_IN,
                    Message.status.in_(_WAITING_INBOUND),
                )
                .order_by(Message.id)
                .limit(1)
            ).scalar_one_or_none()
            if row is None:
                return None
            found = _record(row, address)
            row.status = INBOUND_PROCESSING
            row.updated_at = self._clock()
            return found

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
            for reply in replies:
                self._queue(session, reply, now)
            values: dict[str, Any] = {"status": _checked_status(status), "updated_at": now, "done_at": now}
            if details:
                row = session.get(Message, message_id)
                if row is not None:
                    values["details"] = {**(row.details or {}), **details}
            session.execute(
                update(Message).where(Message.id == message_id, Message.direction == DIRECTION_IN).values(**values)
            )

    # --- outbound ------------------------------------------------------------------------

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
            return self._queue(session, reply, self._clock())

    def _queue(self, session: Session, reply: OutboundToQueue, now: datetime) -> MessageRecord:
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
        return _record(row, address)

    def claim_due(self, now: datetime | None = None, limit: int = 50) -> list[OutboundClaim]:
        """Claims the oldest queued message of each person whose turn it is.

        A person with a message in flight, or whose oldest queued message waits for a retry,
        gets nothing this pass, so their messages go out in the order they were queued.
        """
        now = now or self._clock()
        claims: list[OutboundClaim] = []
        if not self._anything_queued():
            return claims  # the common case, answered without taking the write lock
        with self._writing() as session:
            _serialise_claims(session)
            busy = set(
                session.execute(
                    select(Message.seeker_id).where(
                        Message.direction == DIRECTION_OUT, Message.status == OUTBOUND_SENDING
                    )
                ).scalars()
            )
            queued = session.execute(
                select(Message, Seeker.address, Seeker.consent_status)
                .join(Seeker, Seeker.id == Message.seeker_id)
                .where(Message.direction == DIRECTION_OUT, Message.status == OUTBOUND_QUEUED)
                .order_by(Message.id)
                .limit(_CLAIM_WINDOW)
            ).all()
            for row, address, consent_status in queued:
                if row.seeker_id in busy:
                    continue
                busy.add(row.seeker_id)  # later rows of this person wait for this one
                if row.next_attempt_at is not None and row.next_attempt_at > now:
                    continue
                row.status = OUTBOUND_SENDING
                row.attempts += 1
                row.updated_at = now
                claims.append(
                    OutboundClaim(_record(row, address), consent_status == CONSENT_OPTED_OUT)
                )
                if len(claims) >= limit:
                    break
        return claims

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
            error_code=_clipped_code(error_code),
            next_attempt_at=retry_at,
        )

    def mark_failed(self, message_id: int, error_code: str | None) -> None:
        self._update_outbound(
            message_id, done=True, status=OUTBOUND_FAILED, error_code=_clipped_code(error_code)
        )

    def mark_uncertain(self, message_id: int, error_code: str | None) -> None:
        """The provider may have it (a timeout): logged, never sent again."""
        self._update_outbound(
            message_id, done=True, status=OUTBOUND_UNCERTAIN, error_code=_clipped_code(error_code)
        )

    def mark_refused(self, message_id: int, reason: str) -> None:
        self._update_outbound(
            message_id, done=True, status=OUTBOUND_REFUSED, error_code=_clipped_code(reason)
        )

    def record_delivery(
        self, channel: str, provider_id: str, status: str, error_code: str | None = None
    ) -> MessageRecord | None:
        """A delivery report from the provider; returns the message, or None if unknown."""
        with self._writing() as session:
            row = session.execute(
                select(Message).where(
                    Message.channel == checked_channel(channel),
                    Message.direction == DIRECTION_OUT,
                    Message.provider_id == _checked_provider_id(provider_id),
                )
            ).scalar_one_or_none()
            if row is None:
                return None
            if _DELIVERY_RANK.get(status, -1) > _DELIVERY_RANK.get(row.status, -1):
                row.status = status
                row.updated_at = self._clock()
            if error_code:
                row.error_code = _clipped_code(error_code)
            address = session.get(Seeker, row.seeker_id).address
            return _record(row, address)

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
            return [_record(row, address) for row, address in rows]

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

    # --- reading -------------------------------------------------------------------------

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
            return tuple(reversed([_record(row, address) for row in rows]))

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
            return _record(*found) if found is not None else None

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
            return [_record(row, address) for row in rows]

    def _update_outbound(self, message_id: int, done: bool = False, **values: Any) -> None:
        now = self._clock()
        values["updated_at"] = now
        if done:
            values["done_at"] = now
        with self._writing() as session:
            session.execute(
                update(Message)
                .where(Message.id == message_id, Message.direction == DIRECTION_OUT)
                .values(**values)
            )



# Any constant shared by all claimers; names the lock in pg_locks.
_CLAIM_LOCK_KEY = 7_301_993


def _serialise_claims(session: Session) -> None:
    """One claimer at a time: reading the queue and marking rows `sending` must be one step, or
    two senders both claim a row (SQLite's write transaction already holds its lock from the
    start). A transaction-scoped advisory lock, released at commit."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CLAIM_LOCK_KEY})


def _checked_provider_id(provider_id: str) -> str:
    provider_id = str(provider_id).strip()
    if not provider_id or len(provider_id) > PROVIDER_ID_MAX:
        raise ValueError(f"provider id must be 1-{PROVIDER_ID_MAX} characters")
    return provider_id


def _checked_status(status: str) -> str:
    if status not in MESSAGE_STATUSES:
        raise ValueError(f"unknown message status; expected one of {MESSAGE_STATUSES}")
    return status


def _clipped_code(code: str | None) -> str | None:
    return str(code)[:ERROR_CODE_MAX] if code else None


def _record(row: Message, address: str) -> MessageRecord:
    return MessageRecord(
        id=row.id,
        seeker_id=row.seeker_id,
        direction=row.direction,
        channel=row.channel,
        address=address,
        provider_id=row.provider_id,
        kind=row.kind,
        text=row.text,
        buttons=[dict(button) for button in row.buttons] if row.buttons else None,
        details=dict(row.details) if row.details else None,
        language=row.language,
        status=row.status,
        error_code=row.error_code,
        consent_exempt=bool(row.consent_exempt),
        attempts=row.attempts or 0,
        in_reply_to=row.in_reply_to,
        created_at=row.created_at,
        done_at=row.done_at,
    )
