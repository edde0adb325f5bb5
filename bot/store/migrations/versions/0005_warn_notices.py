"""WARN notices imported from the Illinois workNet export or entered by staff.

Revision ID: 0005_warn_notices
Revises: 0004_handoffs
Create Date: 2026-12-05
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_warn_notices"
down_revision = "0004_handoffs"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this migration never changes when the models do.
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "warn_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_key", sa.String(length=400), nullable=False),
        sa.Column("lwia", sa.String(length=8), nullable=True),
        sa.Column("employer", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("zip_code", sa.String(length=10), nullable=True),
        sa.Column("reason", sa.String(length=60), nullable=True),
        sa.Column("expected_layoff", sa.Integer(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("details", _JSON, nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("response_status", sa.String(length=16), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.CheckConstraint("response_status IN ('new', 'in_progress', 'done')", name=op.f("ck_warn_notices_response_status")),
        sa.CheckConstraint("origin IN ('import', 'staff')", name=op.f("ck_warn_notices_origin")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warn_notices")),
        sa.UniqueConstraint("notice_key", name=op.f("uq_warn_notices_notice_key")),
    )
    op.create_index(op.f("ix_warn_notices_lwia_reported_on"), "warn_notices", ["lwia", "reported_on"])
    op.create_index(op.f("ix_warn_notices_employer"), "warn_notices", ["employer"])


def downgrade() -> None:
    op.drop_index("ix_warn_notices_employer", table_name="warn_notices")
    op.drop_index("ix_warn_notices_lwia_reported_on", table_name="warn_notices")
    op.drop_table("warn_notices")
