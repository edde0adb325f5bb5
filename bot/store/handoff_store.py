"""HandoffStore: conversations handed to the staff queue, their claims, notes and labels.

    handoffs = HandoffStore(make_engine())
    record, is_new = handoffs.open_handoff("twilio", "+13125550100", reason="asked", language="es",
                                           sectors=["healthcare"], team="healthcare", priority=2,
                                           summary={...})
    handoffs.open_for("twilio", "+13125550100")   # not None: in the queue (bot.handoff.model.pauses_the_bot
                                                  # says whether the bot stays quiet meanwhile)
    handoffs.claim(record.id, staff_id)           # waiting -> assigned
    handoffs.close(record.id, staff_id)           # the bot takes the conversation back

One open handoff per seeker, kept by a partial unique index: asking for a person twice joins the
same place in the queue. Claims change a row only while it is locked (SELECT ... FOR UPDATE on
PostgreSQL, BEGIN IMMEDIATE on SQLite), so two staff pressing "claim" at once cannot both win.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bot.store.models import Handoff, HandoffNote, Message, Seeker
from bot.store.intake_store import locked_seeker
from bot.store.transactions import TransactionalStore, insert_or_fetch
from bot.store.validation import checked_json_document, checked_language
from bot.store.vocabulary import (
    DIRECTION_IN,
    HANDOFF_ASSIGNED,
    HANDOFF_CLOSED,
    HANDOFF_OPEN,
    HANDOFF_REASON_MAX,
    HANDOFF_WAITING,
    LABEL_MAX,
    NOTE_MAX,
    TEAM_MAX,
)


@dataclass(frozen=True)
class HandoffRecord:
    id: int
    seeker_id: int
    channel: str
    address: str
    language: str | None
    reason: str
    priority: int
    team: str
    sectors: tuple[str, ...]
    summary: dict[str, Any]
    status: str
    assignee_id: int | None
    assigned_at: datetime | None
    created_at: datetime
    first_response_at: datetime | None
    first_responder_id: int | None
    last_staff_reply_at: datetime | None
    closed_at: datetime | None
    closed_by: int | None
    labels: tuple[str, ...]
    # The seeker's latest message (any time, not only since the handoff); None if never texted.
    last_inbound_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.status in HANDOFF_OPEN


@dataclass(frozen=True)
class OpenHandoffState:
    id: int
    reason: str
    status: str
    created_at: datetime | None = None


@dataclass(frozen=True)
class NoteRecord:
    id: int
    handoff_id: int
    staff_id: int
    text: str
    created_at: datetime


class HandoffStore(TransactionalStore):
    # --- opening -------------------------------------------------------------------------

    def open_handoff(
        self,
        channel: str,
        address: str,
        *,
        reason: str,
        language: str | None,
        sectors: Sequence[str],
        team: str,
        priority: int,
        summary: Mapping[str, Any],
        now: datetime | None = None,
    ) -> tuple[HandoffRecord, bool]:
        """Puts the seeker in the queue; returns (handoff, is_new). A seeker already waiting
        keeps their place: the open handoff is returned unchanged."""
        if not reason or len(reason) > HANDOFF_REASON_MAX:
            raise ValueError("a handoff reason is 1 to %d characters" % HANDOFF_REASON_MAX)
        if not team or len(team) > TEAM_MAX:
            raise ValueError("a team is 1 to %d characters" % TEAM_MAX)
        if language is not None:
            language = checked_language(language)
        summary = checked_json_document(summary, "summary")
        now = now or self._clock()
        with self._writing() as session:
            seeker = locked_seeker(session, channel, address, now)
            existing = _open_row(session, seeker.id)
            if existing is not None:
                return _record(session, existing, seeker), False
            row = Handoff(
                seeker_id=seeker.id,
                language=language,
                reason=reason,
                priority=int(priority),
                team=team,
                sectors=list(sectors),
                summary=summary,
                status=HANDOFF_WAITING,
                labels=[],
                created_at=now,
                updated_at=now,
            )
            # Another process may open one between our read and insert (the seeker lock makes
            # this rare); theirs stands.
            stored, inserted = insert_or_fetch(session, row, lambda: _open_row(session, seeker.id))
            return _record(session, stored, seeker), inserted

    # --- reading -------------------------------------------------------------------------

    def open_for(self, channel: str, address: str) -> HandoffRecord | None:
        """The seeker's open handoff: while there is one the bot stays quiet."""
        with self._reading() as session:
            found = session.execute(_open_handoff_query(channel, address, Handoff, Seeker)).first()
            return _record(session, *found) if found is not None else None

    def open_state(self, channel: str, address: str) -> OpenHandoffState | None:
        """The seeker's open handoff as (id, reason, status), or None: the check made for every
        message and reminder, so it reads one indexed row and none of the record's other parts."""
        with self._reading() as session:
            found = session.execute(
                _open_handoff_query(channel, address, Handoff.id, Handoff.reason, Handoff.status, Handoff.created_at)
            ).first()
            return OpenHandoffState(*found) if found is not None else None

    def get(self, handoff_id: int) -> HandoffRecord | None:
        with self._reading() as session:
            found = session.execute(
                select(Handoff, Seeker).join(Seeker, Seeker.id == Handoff.seeker_id).where(Handoff.id == handoff_id)
            ).first()
            return _record(session, *found) if found is not None else None

    def queue(
        self,
        *,
        statuses: Sequence[str] = HANDOFF_OPEN,
        assignee_id: int | None = None,
        unassigned: bool = False,
        team: str | None = None,
        language: str | None = None,
        limit: int = 200,
    ) -> list[HandoffRecord]:
        """Handoffs to work, most urgent first: higher priority, then the longest waiting."""
        query = select(Handoff, Seeker).join(Seeker, Seeker.id == Handoff.seeker_id).where(Handoff.status.in_(statuses))
        if assignee_id is not None:
            query = query.where(Handoff.assignee_id == assignee_id)
        if unassigned:
            query = query.where(Handoff.assignee_id.is_(None))
        if team is not None:
            query = query.where(Handoff.team == team)
        if language is not None:
            query = query.where(Handoff.language == language)
        query = query.order_by(Handoff.priority.desc(), Handoff.created_at, Handoff.id).limit(limit)
        with self._reading() as session:
            rows = session.execute(query).all()
            latest = _latest_inbound(session, [seeker.id for _, seeker in rows])
            return [_record(session, handoff, seeker, latest) for handoff, seeker in rows]

    def between(self, start: datetime, end: datetime) -> list[HandoffRecord]:
        """Every handoff created in [start, end), for reports."""
        with self._reading() as session:
            rows = session.execute(
                select(Handoff, Seeker)
                .join(Seeker, Seeker.id == Handoff.seeker_id)
                .where(Handoff.created_at >= start, Handoff.created_at < end)
                .order_by(Handoff.created_at, Handoff.id)
            ).all()
            latest = _latest_inbound(session, [seeker.id for _, seeker in rows])
            return [_record(session, handoff, seeker, latest) for handoff, seeker in rows]

    def history_of(self, seeker_id: int) -> list[HandoffRecord]:
        with self._reading() as session:
            rows = session.execute(
                select(Handoff, Seeker)
                .join(Seeker, Seeker.id == Handoff.seeker_id)
                .where(Handoff.seeker_id == seeker_id)
                .order_by(Handoff.created_at.desc(), Handoff.id.desc())
            ).all()
            return [_record(session, handoff, seeker) for handoff, seeker in rows]

    # --- working it ----------------------------------------------------------------------

    def claim(self, handoff_id: int, staff_id: int, now: datetime | None = None) -> HandoffRecord | None:
        """Assigns a waiting handoff to `staff_id`. None when it is closed or someone else holds
        it (claiming one's own again is a no-op that returns it)."""
        now = now or self._clock()
        with self._writing() as session:
            row = _locked(session, handoff_id)
            if row is None or row.status == HANDOFF_CLOSED:
                return None
            if row.status == HANDOFF_ASSIGNED and row.assignee_id != staff_id:
                return None
            if row.assignee_id != staff_id:
                row.status = HANDOFF_ASSIGNED
                row.assignee_id = staff_id
                row.assigned_at = now
                row.updated_at = now
            return _record(session, row)

    def reassign(self, handoff_id: int, staff_id: int, now: datetime | None = None) -> HandoffRecord | None:
        """Gives an open handoff to `staff_id` whoever holds it (an admin moving work)."""
        now = now or self._clock()
        with self._writing() as session:
            row = _locked(session, handoff_id)
            if row is None or row.status == HANDOFF_CLOSED:
                return None
            row.status = HANDOFF_ASSIGNED
            row.assignee_id = staff_id
            row.assigned_at = now
            row.updated_at = now
            return _record(session, row)

    def release(self, handoff_id: int, staff_id: int, now: datetime | None = None) -> HandoffRecord | None:
        """The assignee puts it back in the pool. None unless `staff_id` holds it."""
        now = now or self._clock()
        with self._writing() as session:
            row = _locked(session, handoff_id)
            if row is None or row.status != HANDOFF_ASSIGNED or row.assignee_id != staff_id:
                return None
            _back_to_pool(row, now)
            return _record(session, row)

    def release_stale_claims(self, now: datetime, timeout: timedelta) -> list[int]:
        """Claims whose assignee has not texted the seeker within `timeout` of claiming go back
        to the pool; returns their ids. Answering once is enough to keep a claim."""
        cutoff = now - timeout
        with self._writing() as session:
            rows = session.execute(
                select(Handoff)
                .where(
                    Handoff.status == HANDOFF_ASSIGNED,
                    Handoff.assigned_at <= cutoff,
                    or_(Handoff.last_staff_reply_at.is_(None), Handoff.last_staff_reply_at < Handoff.assigned_at),
                )
                .with_for_update()
            ).scalars().all()
            for row in rows:
                _back_to_pool(row, now)
            return [row.id for row in rows]

    def record_staff_reply(self, handoff_id: int, staff_id: int, now: datetime | None = None) -> HandoffRecord:
        """A staff text went into the outbox: the SLA clock stops at the first one. Replying to
        an unclaimed handoff claims it."""
        now = now or self._clock()
        with self._writing() as session:
            row = _locked(session, handoff_id)
            if row is None:
                raise LookupError(f"no handoff {handoff_id}")
            if row.first_response_at is None:
                row.first_response_at = now
                row.first_responder_id = staff_id
            if row.status == HANDOFF_WAITING:
                row.status = HANDOFF_ASSIGNED
                row.assignee_id = staff_id
                row.assigned_at = now
            row.last_staff_reply_at = now
            row.updated_at = now
            return _record(session, row)

    def close(self, handoff_id: int, staff_id: int, now: datetime | None = None) -> HandoffRecord | None:
        """Ends the handoff; the bot answers this seeker again. None if it was already closed."""
        now = now or self._clock()
        with self._writing() as session:
            row = _locked(session, handoff_id)
            if row is None or row.status == HANDOFF_CLOSED:
                return None
            row.status = HANDOFF_CLOSED
            row.closed_at = now
            row.closed_by = staff_id
            row.updated_at = now
            return _record(session, row)

    def add_note(self, handoff_id: int, staff_id: int, text: str, now: datetime | None = None) -> NoteRecord:
        text = (text or "").strip()
        if not text:
            raise ValueError("a note needs some text")
        if len(text) > NOTE_MAX:
            raise ValueError("a note is at most %d characters" % NOTE_MAX)
        with self._writing() as session:
            if session.get(Handoff, handoff_id) is None:
                raise LookupError(f"no handoff {handoff_id}")
            note = HandoffNote(handoff_id=handoff_id, staff_id=staff_id, text=text, created_at=now or self._clock())
            session.add(note)
            session.flush()
            return _note(note)

    def notes(self, handoff_id: int) -> list[NoteRecord]:
        with self._reading() as session:
            rows = session.execute(
                select(HandoffNote).where(HandoffNote.handoff_id == handoff_id).order_by(HandoffNote.id)
            ).scalars()
            return [_note(row) for row in rows]

    def set_labels(self, handoff_id: int, labels: Sequence[str]) -> HandoffRecord:
        cleaned = list(dict.fromkeys(normalize_label(label) for label in labels if label and label.strip()))
        with self._writing() as session:
            row = _locked(session, handoff_id)
            if row is None:
                raise LookupError(f"no handoff {handoff_id}")
            row.labels = cleaned
            row.updated_at = self._clock()
            return _record(session, row)



def normalize_label(label: str) -> str:
    """Labels are short lowercase tags ("needs-callback"); spaces become dashes."""
    cleaned = "-".join(label.strip().lower().split())
    if not cleaned or len(cleaned) > LABEL_MAX:
        raise ValueError("a label is 1 to %d characters" % LABEL_MAX)
    return cleaned


def _back_to_pool(row: Handoff, now: datetime) -> None:
    row.status = HANDOFF_WAITING
    row.assignee_id = None
    row.assigned_at = None
    row.updated_at = now


def _open_handoff_query(channel: str, address: str, *columns: Any) -> Any:
    return (
        select(*columns)
        .select_from(Handoff)
        .join(Seeker, Seeker.id == Handoff.seeker_id)
        .where(Seeker.channel == channel, Seeker.address == address, Handoff.status.in_(HANDOFF_OPEN))
    )


def _open_row(session: Session, seeker_id: int) -> Handoff | None:
    return session.execute(
        select(Handoff).where(Handoff.seeker_id == seeker_id, Handoff.status.in_(HANDOFF_OPEN))
    ).scalar_one_or_none()


def _locked(session: Session, handoff_id: int) -> Handoff | None:
    return session.execute(select(Handoff).where(Handoff.id == handoff_id).with_for_update()).scalar_one_or_none()


def _latest_inbound(session: Session, seeker_ids: list[int]) -> dict[int, datetime]:
    if not seeker_ids:
        return {}
    rows = session.execute(
        select(Message.seeker_id, func.max(Message.created_at))
        .where(and_(Message.seeker_id.in_(set(seeker_ids)), Message.direction == DIRECTION_IN))
        .group_by(Message.seeker_id)
    ).all()
    return {seeker_id: _aware(latest) for seeker_id, latest in rows if latest is not None}


def _aware(value: Any) -> datetime:
    """func.max bypasses the column type on SQLite, which hands back naive text-parsed UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _record(
    session: Session, row: Handoff, seeker: Seeker | None = None, latest: Mapping[int, datetime] | None = None
) -> HandoffRecord:
    seeker = seeker if seeker is not None else session.get(Seeker, row.seeker_id)
    if latest is None:
        latest = _latest_inbound(session, [row.seeker_id])
    return HandoffRecord(
        id=row.id,
        seeker_id=row.seeker_id,
        channel=seeker.channel,
        address=seeker.address,
        language=row.language,
        reason=row.reason,
        priority=row.priority,
        team=row.team,
        sectors=tuple(row.sectors or ()),
        summary=dict(row.summary or {}),
        status=row.status,
        assignee_id=row.assignee_id,
        assigned_at=row.assigned_at,
        created_at=row.created_at,
        first_response_at=row.first_response_at,
        first_responder_id=row.first_responder_id,
        last_staff_reply_at=row.last_staff_reply_at,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
        labels=tuple(row.labels or ()),
        last_inbound_at=latest.get(row.seeker_id),
    )


def _note(row: HandoffNote) -> NoteRecord:
    return NoteRecord(id=row.id, handoff_id=row.handoff_id, staff_id=row.staff_id, text=row.text, created_at=row.created_at)
