"""An inbound message being processed names the live process that has it (`claimed_by`), so
another instance's claim can tell a message in hand from a crash left-over without a per-person
advisory lock (bot/store/person_claims.py).

Revision ID: 0009_inbound_claimed_by
Revises: 0008_calendar_tokens
Create Date: 2026-12-05
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_inbound_claimed_by"
down_revision = "0008_calendar_tokens"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this migration never changes when the store does.
_CLAIMED_BY_MAX = 40


def upgrade() -> None:
    # Nullable, no default: SQLite adds it without rebuilding the table, and a row left
    # `processing` before this revision has no owner, which the claim takes for a left-over.
    op.add_column("messages", sa.Column("claimed_by", sa.String(_CLAIMED_BY_MAX), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as table:
        table.drop_column("claimed_by")
