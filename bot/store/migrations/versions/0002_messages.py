"""The message log: durable inbound queue, outbound queue and transcript in one table.

Revision ID: 0002_messages
Revises: 0001_initial
Create Date: 2026-11-25
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_messages"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this migration never changes when the models do.
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIMESTAMP = sa.DateTime(timezone=True)
_STATUSES = (
    "received", "processing", "processed", "throttled", "ignored",
    "queued", "sending", "sent", "delivered", "undelivered", "failed", "refused", "uncertain",
)


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("provider_id", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", _JSON, nullable=True),
        sa.Column("details", _JSON, nullable=True),
        sa.Column("language", sa.String(2), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_code", sa.String(16), nullable=True),
        sa.Column("consent_exempt", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _TIMESTAMP, nullable=True),
        sa.Column("in_reply_to", sa.Integer(), nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.Column("done_at", _TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.ForeignKeyConstraint(
            ["seeker_id"], ["seekers.id"], name=op.f("fk_messages_seeker_id_seekers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["in_reply_to"], ["messages.id"], name=op.f("fk_messages_in_reply_to_messages")
        ),
        sa.UniqueConstraint(
            "channel", "direction", "provider_id", name=op.f("uq_messages_channel_direction_provider_id")
        ),
        sa.CheckConstraint("direction IN ('in', 'out')", name=op.f("ck_messages_direction")),
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{status}'" for status in _STATUSES) + ")",
            name=op.f("ck_messages_status"),
        ),
    )
    op.create_index(op.f("ix_messages_seeker_id_id"), "messages", ["seeker_id", "id"])
    op.create_index(op.f("ix_messages_status"), "messages", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_messages_status"), table_name="messages")
    op.drop_index(op.f("ix_messages_seeker_id_id"), table_name="messages")
    op.drop_table("messages")
