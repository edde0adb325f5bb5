"""WARN outreach campaigns and their rosters.

Revision ID: 0006_campaigns
Revises: 0005_warn_notices
Create Date: 2026-12-05
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006_campaigns"
down_revision = "0005_warn_notices"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this migration never changes when the models do.
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "warn_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("message_es", sa.Text(), nullable=False),
        sa.Column("event_codes", _JSON, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.Column("started_at", _TIMESTAMP, nullable=True),
        sa.Column("finished_at", _TIMESTAMP, nullable=True),
        sa.CheckConstraint("status IN ('draft', 'sending', 'paused', 'done')", name=op.f("ck_warn_campaigns_status")),
        sa.ForeignKeyConstraint(["notice_id"], ["warn_notices.id"], name=op.f("fk_warn_campaigns_notice_id_warn_notices")),
        sa.ForeignKeyConstraint(["created_by"], ["staff_accounts.id"], name=op.f("fk_warn_campaigns_created_by_staff_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warn_campaigns")),
    )
    op.create_index(op.f("ix_warn_campaigns_notice_id"), "warn_campaigns", ["notice_id"])
    op.create_index(op.f("ix_warn_campaigns_status"), "warn_campaigns", ["status"])
    op.create_table(
        "campaign_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.CheckConstraint("status IN ('pending', 'queued', 'suppressed')", name=op.f("ck_campaign_members_status")),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["warn_campaigns.id"], name=op.f("fk_campaign_members_campaign_id_warn_campaigns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["seeker_id"], ["seekers.id"], name=op.f("fk_campaign_members_seeker_id_seekers"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], name=op.f("fk_campaign_members_message_id_messages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_members")),
        sa.UniqueConstraint("campaign_id", "seeker_id", name=op.f("uq_campaign_members_campaign_id_seeker_id")),
    )
    op.create_index(op.f("ix_campaign_members_campaign_id_status"), "campaign_members", ["campaign_id", "status"])
    op.create_index(op.f("ix_campaign_members_seeker_id"), "campaign_members", ["seeker_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_campaign_members_seeker_id"), table_name="campaign_members")
    op.drop_index(op.f("ix_campaign_members_campaign_id_status"), table_name="campaign_members")
    op.drop_table("campaign_members")
    op.drop_index(op.f("ix_warn_campaigns_status"), table_name="warn_campaigns")
    op.drop_index(op.f("ix_warn_campaigns_notice_id"), table_name="warn_campaigns")
    op.drop_table("warn_campaigns")
