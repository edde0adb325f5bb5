"""Plain values the store hands back, so callers never hold an ORM object or a session."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class SeekerRecord:
    id: int
    channel: str
    address: str
    language: str | None
    consent_status: str
    consent_notice_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ScreeningRecord:
    id: int
    seeker_id: int
    status: str
    # A private copy: changing it changes nothing in the database.
    answers: dict[str, Any]
    results: dict[str, Any] | None
    rules_version: str | None
    started_at: datetime
    updated_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True)
class ConsentEventRecord:
    id: int
    seeker_id: int
    event: str
    keyword: str | None
    channel: str
    created_at: datetime
