"""What the three roles of the message log share (bot/store/inbound_queue.py, outbound_queue.py,
transcript.py): the record every caller gets back, the checks on what is written, and the typed
column list for the statements that write a row and return it in one round trip.

Those statements (`... RETURNING`) are written as SQL text: SQLAlchemy 1.4, which Rasa pins,
compiles RETURNING for PostgreSQL but not for SQLite, although SQLite has had it since 3.35.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, String, bindparam, column, text, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update
from sqlalchemy.sql.elements import TextClause

from bot.store.models import JsonDocument, Message
from bot.store.timestamps import UTCDateTime
from bot.store.vocabulary import ERROR_CODE_MAX, MESSAGE_STATUSES, PROVIDER_ID_MAX


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


def message_record(row: Any, address: str) -> MessageRecord:
    """From an ORM row or a result row with the messages columns."""
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


# Every column of `messages`, as a RETURNING list, and the types to read them back with.
RETURNED_MESSAGE = ", ".join(f"messages.{c.name}" for c in Message.__table__.columns)
_MESSAGE_COLUMNS = tuple(Message.__table__.columns)
# The types of the parameters the RETURNING statements bind (dates and JSON need processing).
_PARAMETER_TYPES = {
    "now": UTCDateTime(),
    "details": JsonDocument,
    "buttons": JsonDocument,
    "consent_exempt": Boolean(),
}


def typed_statement(sql: str) -> TextClause:
    """`sql` with its parameters typed like the columns they are written to (dates, JSON)."""
    statement = text(sql)
    bound = [bindparam(name, type_=kind) for name, kind in _PARAMETER_TYPES.items() if f":{name}" in sql]
    return statement.bindparams(*bound) if bound else statement


def returning_statement(sql: str, *extra: tuple[str, Any]) -> TextClause:
    """`sql`, which ends in RETURNING RETURNED_MESSAGE plus the `extra` (name, type) columns,
    ready to run: its parameters and result columns typed."""
    return typed_statement(sql).columns(*_MESSAGE_COLUMNS, *(column(name, kind) for name, kind in extra))


def update_message(session: Session, message_id: int, direction: str, values: Mapping[str, Any]) -> int:
    """UPDATE messages SET `values` WHERE id = `message_id` AND direction = `direction`, in
    `session`'s transaction; returns how many rows changed (0 or 1).

    The statement is built once per set of columns and bound with the values: building an ORM
    `update(Message)...values(...)` and deriving its cache key every time cost about 0.65 ms of
    CPU a call on SQLite, three times what the database spends on it, and the sender's and the
    inbound processor's status marks run once per message."""
    statement = _message_update(frozenset(values))
    parameters = {f"new_{name}": value for name, value in values.items()}
    return session.execute(statement, {**parameters, "message_id": message_id, "message_direction": direction}).rowcount


@lru_cache(maxsize=64)
def _message_update(columns: frozenset[str]) -> Update:
    table = Message.__table__
    # Named apart from the columns: SQLAlchemy keeps a column's own name for its SET clause.
    return (
        update(table)
        .where(table.c.id == bindparam("message_id"), table.c.direction == bindparam("message_direction"))
        .values({table.c[name]: bindparam(f"new_{name}", type_=table.c[name].type) for name in sorted(columns)})
    )


ADDRESS_COLUMN = ("address", String())
CONSENT_COLUMN = ("consent_status", String())


def checked_provider_id(provider_id: str) -> str:
    provider_id = str(provider_id).strip()
    if not provider_id or len(provider_id) > PROVIDER_ID_MAX:
        raise ValueError(f"provider id must be 1-{PROVIDER_ID_MAX} characters")
    return provider_id


def checked_status(status: str) -> str:
    if status not in MESSAGE_STATUSES:
        raise ValueError(f"unknown message status; expected one of {MESSAGE_STATUSES}")
    return status


def clipped_code(code: str | None) -> str | None:
    return str(code)[:ERROR_CODE_MAX] if code else None
