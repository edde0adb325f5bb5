"""Calendar links get a long random token of their own, apart from the 6-character confirmation
code that checks a person in at the door.

Revision ID: 0008_calendar_tokens
Revises: 0007_staff_sessions
Create Date: 2026-12-05
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0008_calendar_tokens"
down_revision = "0007_staff_sessions"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this migration never changes when the store does.
_TOKEN_LENGTH = 32


def upgrade() -> None:
    # Nullable, and unique through an index: SQLite adds both without rebuilding the table (a
    # rebuild would lose the partial index that keeps one active registration per event).
    op.add_column("registrations", sa.Column("calendar_token", sa.String(_TOKEN_LENGTH), nullable=True))
    connection = op.get_bind()
    registrations = sa.table("registrations", sa.column("id", sa.Integer), sa.column("calendar_token", sa.String))
    for (registration_id,) in connection.execute(sa.select(registrations.c.id)).fetchall():
        connection.execute(
            registrations.update()
            .where(registrations.c.id == registration_id)
            .values(calendar_token=secrets.token_urlsafe(24)[:_TOKEN_LENGTH])
        )
    op.create_index(op.f("uq_registrations_calendar_token"), "registrations", ["calendar_token"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("uq_registrations_calendar_token"), table_name="registrations")
    with op.batch_alter_table("registrations") as table:
        table.drop_column("calendar_token")
