"""Staff accounts, handoffs to the staff queue with their notes, and the append-only audit log.

Revision ID: 0004_handoffs
Revises: 0003_events
Create Date: 2026-11-25
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_handoffs"
down_revision = "0003_events"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this migration never changes when the models do.
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIMESTAMP = sa.DateTime(timezone=True)
_ROLES = ("staff", "admin")
_HANDOFF_STATUSES = ("waiting", "assigned", "closed")
_OPEN_HANDOFF_STATUSES = ("waiting", "assigned")
_APPEND_ONLY_MESSAGE = "audit_log is append-only"


def _in_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def upgrade() -> None:
    op.create_table(
        "staff_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("languages", _JSON, nullable=False),
        sa.Column("teams", _JSON, nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", _TIMESTAMP, nullable=True),
        sa.Column("api_token_digest", sa.String(64), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", _TIMESTAMP, nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_accounts")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_accounts_username")),
        sa.UniqueConstraint("api_token_digest", name=op.f("uq_staff_accounts_api_token_digest")),
        sa.CheckConstraint(f"role IN ({_in_list(_ROLES)})", name=op.f("ck_staff_accounts_role")),
    )

    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(2), nullable=True),
        sa.Column("reason", sa.String(24), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(32), nullable=False),
        sa.Column("sectors", _JSON, nullable=False),
        sa.Column("summary", _JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", _TIMESTAMP, nullable=True),
        sa.Column("first_response_at", _TIMESTAMP, nullable=True),
        sa.Column("first_responder_id", sa.Integer(), nullable=True),
        sa.Column("last_staff_reply_at", _TIMESTAMP, nullable=True),
        sa.Column("closed_at", _TIMESTAMP, nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("labels", _JSON, nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoffs")),
        sa.ForeignKeyConstraint(
            ["seeker_id"], ["seekers.id"], name=op.f("fk_handoffs_seeker_id_seekers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["assignee_id"], ["staff_accounts.id"], name=op.f("fk_handoffs_assignee_id_staff_accounts")),
        sa.ForeignKeyConstraint(
            ["first_responder_id"], ["staff_accounts.id"], name=op.f("fk_handoffs_first_responder_id_staff_accounts")
        ),
        sa.ForeignKeyConstraint(["closed_by"], ["staff_accounts.id"], name=op.f("fk_handoffs_closed_by_staff_accounts")),
        sa.CheckConstraint(f"status IN ({_in_list(_HANDOFF_STATUSES)})", name=op.f("ck_handoffs_status")),
        sa.CheckConstraint(
            "status <> 'assigned' OR assignee_id IS NOT NULL", name=op.f("ck_handoffs_assigned_has_assignee")
        ),
    )
    op.create_index(op.f("ix_handoffs_status_created_at"), "handoffs", ["status", "created_at"])
    op.create_index(op.f("ix_handoffs_seeker_id"), "handoffs", ["seeker_id"])
    open_only = sa.text(f"status IN ({_in_list(_OPEN_HANDOFF_STATUSES)})")
    op.create_index(
        op.f("uq_handoffs_one_open"),
        "handoffs",
        ["seeker_id"],
        unique=True,
        sqlite_where=open_only,
        postgresql_where=open_only,
    )

    op.create_table(
        "handoff_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_notes")),
        sa.ForeignKeyConstraint(
            ["handoff_id"], ["handoffs.id"], name=op.f("fk_handoff_notes_handoff_id_handoffs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_accounts.id"], name=op.f("fk_handoff_notes_staff_id_staff_accounts")),
    )
    op.create_index(op.f("ix_handoff_notes_handoff_id"), "handoff_notes", ["handoff_id"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject_type", sa.String(24), nullable=True),
        sa.Column("subject_id", sa.String(64), nullable=True),
        sa.Column("details", _JSON, nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_accounts.id"], name=op.f("fk_audit_log_staff_id_staff_accounts")),
    )
    op.create_index(op.f("ix_audit_log_subject"), "audit_log", ["subject_type", "subject_id"])
    op.create_index(op.f("ix_audit_log_staff_id"), "audit_log", ["staff_id"])
    _refuse_audit_log_changes()


def downgrade() -> None:
    _allow_audit_log_changes()
    op.drop_index(op.f("ix_audit_log_staff_id"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_subject"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_handoff_notes_handoff_id"), table_name="handoff_notes")
    op.drop_table("handoff_notes")
    op.drop_index(op.f("uq_handoffs_one_open"), table_name="handoffs")
    op.drop_index(op.f("ix_handoffs_seeker_id"), table_name="handoffs")
    op.drop_index(op.f("ix_handoffs_status_created_at"), table_name="handoffs")
    op.drop_table("handoffs")
    op.drop_table("staff_accounts")


def _refuse_audit_log_changes() -> None:
    """What staff saw and did is evidence; the database guards it, as it does the consent ledger."""
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{action.lower()} BEFORE {action} "
                f"ON audit_log BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_refuse_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{_APPEND_ONLY_MESSAGE}' USING ERRCODE = '23000'; "
            "END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE "
            "ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()"
        )


def _allow_audit_log_changes() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_refuse_change()")
