"""SQLAlchemy tables: seekers, their screenings and the consent ledger.

Personal data is kept to what is needed to answer: a channel address and the screening answers
(first name only). Migrations in `migrations/versions/` must match this file; a test checks it.
"""
from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, Integer, MetaData, String
from sqlalchemy import UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import declarative_base

from bot.store.timestamps import UTCDateTime
from bot.store.vocabulary import (
    ADDRESS_MAX,
    CHANNEL_MAX,
    CONSENT_EVENTS,
    CONSENT_PENDING,
    CONSENT_STATUSES,
    KEYWORD_MAX,
    LANGUAGES,
    RULES_VERSION_MAX,
    SCREENING_IN_PROGRESS,
    SCREENING_STATUSES,
    sql_in_list,
)

# Fixed constraint names, so migrations can refer to them the same way on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))

# JSONB on PostgreSQL: stored parsed, so answers can be queried later without re-parsing text.
JsonDocument = JSON().with_variant(JSONB(), "postgresql")

IN_PROGRESS_ONLY = text(f"status = '{SCREENING_IN_PROGRESS}'")


class Seeker(Base):
    __tablename__ = "seekers"

    id = Column(Integer, primary_key=True)
    channel = Column(String(CHANNEL_MAX), nullable=False)
    # Phone number in E.164 or Telegram chat id, exactly as the channel gave it.
    address = Column(String(ADDRESS_MAX), nullable=False)
    # Null until the conversation has settled on a language.
    language = Column(String(2), nullable=True)
    consent_status = Column(String(16), nullable=False, default=CONSENT_PENDING)
    consent_notice_at = Column(UTCDateTime(), nullable=True)
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)

    __table_args__ = (
        UniqueConstraint("channel", "address"),
        CheckConstraint(f"language IN ({sql_in_list(LANGUAGES)})", name="language"),
        CheckConstraint(
            f"consent_status IN ({sql_in_list(CONSENT_STATUSES)})", name="consent_status"
        ),
    )


class Screening(Base):
    __tablename__ = "screenings"

    id = Column(Integer, primary_key=True)
    # Screenings go with their seeker if a seeker is ever erased; the consent ledger does not.
    seeker_id = Column(Integer, ForeignKey("seekers.id", ondelete="CASCADE"), nullable=False)
    status = Column(String(16), nullable=False, default=SCREENING_IN_PROGRESS)
    answers = Column(JsonDocument, nullable=False)
    results = Column(JsonDocument, nullable=True)
    rules_version = Column(String(RULES_VERSION_MAX), nullable=True)
    started_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)
    completed_at = Column(UTCDateTime(), nullable=True)

    __table_args__ = (
        CheckConstraint(f"status IN ({sql_in_list(SCREENING_STATUSES)})", name="status"),
        Index("ix_screenings_seeker_id", "seeker_id"),
        # At most one open screening per seeker, enforced by the database itself.
        Index(
            "uq_screenings_one_in_progress",
            "seeker_id",
            unique=True,
            sqlite_where=IN_PROGRESS_ONLY,
            postgresql_where=IN_PROGRESS_ONLY,
        ),
    )


class ConsentEvent(Base):
    """Append-only: database triggers (see the migrations) refuse UPDATE and DELETE."""

    __tablename__ = "consent_events"

    id = Column(Integer, primary_key=True)
    seeker_id = Column(Integer, ForeignKey("seekers.id"), nullable=False)
    event = Column(String(16), nullable=False)
    # The keyword or short text that caused the event ("STOP", "BAJA"), cut to KEYWORD_MAX.
    keyword = Column(String(KEYWORD_MAX), nullable=True)
    channel = Column(String(CHANNEL_MAX), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False)

    __table_args__ = (
        CheckConstraint(f"event IN ({sql_in_list(CONSENT_EVENTS)})", name="event"),
        Index("ix_consent_events_seeker_id", "seeker_id"),
    )
