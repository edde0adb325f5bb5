"""ScheduledMessageStore: the durable schedule of reminders, follow-ups, seat offers and nudges.
One transaction per call (or the caller's unit of work); frozen records out.

    scheduled = ScheduledMessageStore(make_engine())
    scheduled.schedule("reminder_2d", "twilio", "+13125550100", due_at, deadline, registration_id)
    for claim in scheduled.claim_due(now): ...   # then mark_sent / mark_skipped / reschedule

pending -> sending (claimed by one process with a conditional UPDATE) -> sent or skipped;
pending -> cancelled. A row left `sending` by a crash becomes skipped ("interrupted") at start-up:
a reminder may be lost, never sent twice. Messages about a registration go only while it is
active: the registration store cancels them when it ends one, and a claim skips any message whose
registration ended meanwhile.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.hiring_events import schedule as rules
from bot.store.hiring_event_rows import ScheduledMessageRecord, cancel_pending_messages, checked_moment, scheduled_record
from bot.store.intake_store import locked_seeker
from bot.store.models import Registration, ScheduledMessage, Seeker
from bot.store.transactions import TransactionalStore, insert_or_fetch
from bot.store.vocabulary import (
    CONSENT_OPTED_OUT,
    SCHEDULE_KIND_MAX,
    SCHEDULE_PENDING,
    SCHEDULE_SENDING,
    SCHEDULE_SENT,
    SCHEDULE_SKIPPED,
    SKIP_INTERRUPTED,
    SKIP_REASON_MAX,
)

logger = logging.getLogger(__name__)

_SCHEDULE_KIND_PATTERN = re.compile(rf"[a-z][a-z0-9_]{{0,{SCHEDULE_KIND_MAX - 1}}}")


@dataclass(frozen=True)
class ScheduledClaim:
    """A scheduled message this process now owns (status "sending"); finish it with mark_sent,
    mark_skipped or reschedule."""

    message: ScheduledMessageRecord
    language: str | None
    recipient_opted_out: bool


class ScheduledMessageStore(TransactionalStore):
    def schedule(
        self,
        kind: str,
        channel: str,
        address: str,
        due_at: datetime,
        deadline: datetime,
        registration_id: int | None = None,
    ) -> ScheduledMessageRecord:
        """Plan a message; idempotent: the same (registration, kind), or (seeker, kind) for a
        message tied to no registration, returns the row already planned, unchanged."""
        if not isinstance(kind, str) or not _SCHEDULE_KIND_PATTERN.fullmatch(kind):
            raise ValueError(f"kind must be 1-{SCHEDULE_KIND_MAX} lower-case letters, digits, '_'")
        due_at, deadline = checked_moment(due_at), checked_moment(deadline)
        if deadline < due_at:
            raise ValueError("deadline is before due_at")
        with self._writing() as session:
            now = self._clock()
            seeker = locked_seeker(session, channel, address, now)
            if registration_id is not None:
                registration = session.get(Registration, registration_id)
                if registration is None or registration.seeker_id != seeker.id:
                    raise ValueError("registration_id is not a registration of this seeker")
            existing = _planned_message(session, seeker.id, kind, registration_id)
            if existing is not None:
                return scheduled_record(existing, seeker)
            row = ScheduledMessage(
                kind=kind,
                seeker_id=seeker.id,
                registration_id=registration_id,
                due_at=due_at,
                deadline=deadline,
                status=SCHEDULE_PENDING,
                created_at=now,
                updated_at=now,
            )
            stored, _ = insert_or_fetch(
                session, row, lambda: _planned_message(session, seeker.id, kind, registration_id)
            )
            return scheduled_record(stored, seeker)

    def claim_due(self, now: datetime, limit: int = 50) -> list[ScheduledClaim]:
        """Claims up to `limit` pending messages due by `now`, earliest first. Each row moves to
        "sending" with a conditional UPDATE, so two processes never claim the same one.

        A message about a registration that has ended (cancelled, declined, expired) is skipped
        here, not returned.
        """
        now = checked_moment(now)
        claims: list[ScheduledClaim] = []
        with self._reading() as session:
            anything_due = session.execute(
                select(ScheduledMessage.id)
                .where(ScheduledMessage.status == SCHEDULE_PENDING, ScheduledMessage.due_at <= now)
                .limit(1)
            ).first()
        if anything_due is None:
            return claims  # the usual case, answered without the write lock
        with self._writing() as session:
            # SKIP LOCKED (PostgreSQL): claimers running at once pick different rows instead of
            # all queueing on the same first ones. The conditional UPDATE below is what makes
            # a claim exclusive, on every backend.
            due_ids = session.execute(
                select(ScheduledMessage.id)
                .where(ScheduledMessage.status == SCHEDULE_PENDING, ScheduledMessage.due_at <= now)
                .order_by(ScheduledMessage.due_at, ScheduledMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).scalars().all()
            for message_id in due_ids:
                taken = session.execute(
                    update(ScheduledMessage)
                    .where(
                        ScheduledMessage.id == message_id,
                        ScheduledMessage.status == SCHEDULE_PENDING,
                    )
                    .values(status=SCHEDULE_SENDING, updated_at=now)
                    .execution_options(synchronize_session=False)
                )
                if taken.rowcount != 1:
                    continue  # another process claimed it first
                row, seeker, registration_status = session.execute(
                    select(ScheduledMessage, Seeker, Registration.status)
                    .join(Seeker, Seeker.id == ScheduledMessage.seeker_id)
                    .outerjoin(Registration, Registration.id == ScheduledMessage.registration_id)
                    .where(ScheduledMessage.id == message_id)
                    .execution_options(populate_existing=True)
                ).one()
                if not rules.still_wanted(row.registration_id, registration_status):
                    row.status = SCHEDULE_SKIPPED
                    row.skip_reason = rules.SKIP_REGISTRATION_ENDED
                    continue
                claims.append(
                    ScheduledClaim(
                        scheduled_record(row, seeker),
                        seeker.language,
                        seeker.consent_status == CONSENT_OPTED_OUT,
                    )
                )
        return claims

    def mark_sent(self, scheduled_id: int, message_id: int | None) -> ScheduledMessageRecord | None:
        """The message went out as outbound message `message_id` (the message log's row).

        Also accepted for a row skipped as interrupted meanwhile (a restart elsewhere): it did go.
        """
        with self._writing() as session:
            found = _with_seeker(session, scheduled_id)
            if found is None:
                return None
            row, seeker = found
            if not rules.may_mark_sent(row.status, row.skip_reason):
                raise ValueError(f"scheduled message {scheduled_id} is {row.status}, not sending")
            row.status = SCHEDULE_SENT
            row.skip_reason = None
            row.sent_message_id = message_id
            row.updated_at = self._clock()
            return scheduled_record(row, seeker)

    def mark_skipped(self, scheduled_id: int, reason: str) -> ScheduledMessageRecord | None:
        """Not sent and never will be (too late, opted out, quiet hours past the deadline...)."""
        reason = " ".join(str(reason).split())[:SKIP_REASON_MAX] or "unspecified"
        with self._writing() as session:
            found = _with_seeker(session, scheduled_id)
            if found is None:
                return None
            row, seeker = found
            if rules.may_skip(row.status):
                row.status = SCHEDULE_SKIPPED
                row.skip_reason = reason
                row.updated_at = self._clock()
                logger.info("scheduled %s %d skipped: %s", row.kind, row.id, reason)
            return scheduled_record(row, seeker)

    def reschedule(self, scheduled_id: int, due_at: datetime) -> ScheduledMessageRecord | None:
        """Back to pending, due at `due_at` (for example after quiet hours); ValueError if that
        is past the message's deadline or the message is already sent, skipped or cancelled."""
        due_at = checked_moment(due_at)
        with self._writing() as session:
            found = _with_seeker(session, scheduled_id)
            if found is None:
                return None
            row, seeker = found
            refusal = rules.reschedule_refusal(row.status, due_at, row.deadline)
            if refusal is not None:
                raise ValueError(f"scheduled message {scheduled_id} cannot be rescheduled: {refusal}")
            row.status = SCHEDULE_PENDING
            row.due_at = due_at
            row.updated_at = self._clock()
            return scheduled_record(row, seeker)

    def cancel_for_registration(self, registration_id: int) -> int:
        """Pending messages about this registration will not be sent; returns how many."""
        with self._writing() as session:
            return cancel_pending_messages(session, registration_id, self._clock())

    def recover_after_crash(self, untouched_since: datetime | None = None) -> int:
        """At start-up: messages a dead process left "sending" may have gone out, so they are
        skipped as "interrupted", never sent again; returns how many. `untouched_since`: only
        those not updated since then (other instances live, one may be sending right now)."""
        conditions = [ScheduledMessage.status == SCHEDULE_SENDING]
        if untouched_since is not None:
            conditions.append(ScheduledMessage.updated_at < untouched_since)
        with self._writing() as session:
            result = session.execute(
                update(ScheduledMessage)
                .where(*conditions)
                .values(status=SCHEDULE_SKIPPED, skip_reason=SKIP_INTERRUPTED, updated_at=self._clock())
                .execution_options(synchronize_session=False)
            )
            if result.rowcount:
                logger.warning(
                    "%d scheduled messages were interrupted while sending", result.rowcount
                )
            return result.rowcount

    def get_scheduled(self, scheduled_id: int) -> ScheduledMessageRecord | None:
        with self._reading() as session:
            found = _with_seeker(session, scheduled_id)
            return scheduled_record(*found) if found is not None else None

    def scheduled_for_registration(
        self, registration_id: int
    ) -> tuple[ScheduledMessageRecord, ...]:
        with self._reading() as session:
            rows = session.execute(
                select(ScheduledMessage, Seeker)
                .join(Seeker, Seeker.id == ScheduledMessage.seeker_id)
                .where(ScheduledMessage.registration_id == registration_id)
                .order_by(ScheduledMessage.due_at, ScheduledMessage.id)
            ).all()
            return tuple(scheduled_record(row, seeker) for row, seeker in rows)


def _with_seeker(session: Session, scheduled_id: int) -> tuple[ScheduledMessage, Seeker] | None:
    found = session.execute(
        select(ScheduledMessage, Seeker)
        .join(Seeker, Seeker.id == ScheduledMessage.seeker_id)
        .where(ScheduledMessage.id == scheduled_id)
    ).one_or_none()
    return (found[0], found[1]) if found is not None else None


def _planned_message(
    session: Session, seeker_id: int, kind: str, registration_id: int | None
) -> ScheduledMessage | None:
    query = select(ScheduledMessage).where(ScheduledMessage.kind == kind)
    if registration_id is None:
        query = query.where(
            ScheduledMessage.seeker_id == seeker_id, ScheduledMessage.registration_id.is_(None)
        )
    else:
        query = query.where(ScheduledMessage.registration_id == registration_id)
    return session.execute(query).scalar_one_or_none()
