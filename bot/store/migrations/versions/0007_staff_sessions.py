"""Staff session versions: signing out or a new password ends every session of the account.

Revision ID: 0007_staff_sessions
Revises: 0006_campaigns
Create Date: 2026-12-05
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_staff_sessions"
down_revision = "0006_campaigns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_accounts") as table:
        table.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("staff_accounts") as table:
        table.drop_column("session_version")
