"""Seekers, screenings and the append-only consent ledger.

Revision ID: 0001_initial
Revises:
Create Date: 2025-11-25
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

# Written out here rather than imported, so this migration never changes when the models do.
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIMESTAMP = sa.DateTime(timezone=True)
_APPEND_ONLY_MESSAGE = "consent_events is append-only"


def upgrade() -> None:
    op.create_table(
        "seekers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("language", sa.String(2), nullable=True),
        sa.Column("consent_status", sa.String(16), nullable=False),
        sa.Column("consent_notice_at", _TIMESTAMP, nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seekers")),
        sa.UniqueConstraint("channel", "address", name=op.f("uq_seekers_channel_address")),
        sa.CheckConstraint("language IN ('en', 'es')", name=op.f("ck_seekers_language")),
        sa.CheckConstraint(
            "consent_status IN ('pending', 'granted', 'opted_out')",
            name=op.f("ck_seekers_consent_status"),
        ),
    )

    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answers", _JSON, nullable=False),
        sa.Column("results", _JSON, nullable=True),
        sa.Column("rules_version", sa.String(40), nullable=True),
        sa.Column("started_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.Column("completed_at", _TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screenings")),
        sa.ForeignKeyConstraint(
            ["seeker_id"],
            ["seekers.id"],
            name=op.f("fk_screenings_seeker_id_seekers"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "status IN ('in_progress', 'complete', 'abandoned')", name=op.f("ck_screenings_status")
        ),
    )
    op.create_index(op.f("ix_screenings_seeker_id"), "screenings", ["seeker_id"])
    in_progress_only = sa.text("status = 'in_progress'")
    op.create_index(
        op.f("uq_screenings_one_in_progress"),
        "screenings",
        ["seeker_id"],
        unique=True,
        sqlite_where=in_progress_only,
        postgresql_where=in_progress_only,
    )

    op.create_table(
        "consent_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("keyword", sa.String(40), nullable=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_events")),
        sa.ForeignKeyConstraint(
            ["seeker_id"], ["seekers.id"], name=op.f("fk_consent_events_seeker_id_seekers")
        ),
        sa.CheckConstraint(
            "event IN ('notice_shown', 'opt_out', 'opt_in')", name=op.f("ck_consent_events_event")
        ),
    )
    op.create_index(op.f("ix_consent_events_seeker_id"), "consent_events", ["seeker_id"])
    _refuse_consent_ledger_changes()


def downgrade() -> None:
    _allow_consent_ledger_changes()
    op.drop_index(op.f("ix_consent_events_seeker_id"), table_name="consent_events")
    op.drop_table("consent_events")
    op.drop_index(op.f("uq_screenings_one_in_progress"), table_name="screenings")
    op.drop_index(op.f("ix_screenings_seeker_id"), table_name="screenings")
    op.drop_table("screenings")
    op.drop_table("seekers")


def _refuse_consent_ledger_changes() -> None:
    """The ledger is evidence of what a seeker agreed to and when; the database guards it."""
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER consent_events_no_{action.lower()} BEFORE {action} "
                f"ON consent_events BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END"
            )
    elif dialect == "postgresql":
        # SQLSTATE 23000 so drivers report it as an integrity error, as SQLite does.
        op.execute(
            "CREATE FUNCTION consent_events_refuse_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{_APPEND_ONLY_MESSAGE}' USING ERRCODE = '23000'; "
            "END $$"
        )
        op.execute(
            "CREATE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE "
            "ON consent_events FOR EACH ROW EXECUTE FUNCTION consent_events_refuse_change()"
        )
        op.execute(
            "CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE "
            "ON consent_events FOR EACH STATEMENT EXECUTE FUNCTION consent_events_refuse_change()"
        )


def _allow_consent_ledger_changes() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS consent_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS consent_events_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS consent_events_no_truncate ON consent_events")
        op.execute("DROP TRIGGER IF EXISTS consent_events_append_only ON consent_events")
        op.execute("DROP FUNCTION IF EXISTS consent_events_refuse_change()")
