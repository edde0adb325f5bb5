"""Hiring events, registrations (with waitlist and offers) and scheduled messages.

Revision ID: 0003_events
Revises: 0002_messages
Create Date: 2026-11-25
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_events"
down_revision = "0002_messages"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this migration never changes when the models do.
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIMESTAMP = sa.DateTime(timezone=True)
_REGISTRATION_STATUSES = ("registered", "waitlisted", "offered", "cancelled", "declined", "expired")
_ACTIVE_REGISTRATION_STATUSES = ("registered", "waitlisted", "offered")
_OUTCOMES = ("offer", "no_offer", "no_show")
_SCHEDULE_STATUSES = ("pending", "sending", "sent", "skipped", "cancelled")


def _in_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def upgrade() -> None:
    op.create_table(
        "hiring_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("definition", _JSON, nullable=False),
        sa.Column("starts_at", _TIMESTAMP, nullable=False),
        sa.Column("ends_at", _TIMESTAMP, nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("registration_opens_at", _TIMESTAMP, nullable=True),
        sa.Column("registration_closes_at", _TIMESTAMP, nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hiring_events")),
        sa.UniqueConstraint("code", name=op.f("uq_hiring_events_code")),
        sa.CheckConstraint("capacity > 0", name=op.f("ck_hiring_events_capacity")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_hiring_events_ends_after_start")),
    )
    op.create_index(op.f("ix_hiring_events_starts_at"), "hiring_events", ["starts_at"])

    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("confirmation_code", sa.String(6), nullable=False),
        sa.Column("answers", _JSON, nullable=False),
        sa.Column("waitlist_position", sa.Integer(), nullable=True),
        sa.Column("offer_expires_at", _TIMESTAMP, nullable=True),
        sa.Column("confirmed_at", _TIMESTAMP, nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.Column("cancelled_at", _TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["hiring_events.id"], name=op.f("fk_registrations_event_id_hiring_events")
        ),
        sa.ForeignKeyConstraint(
            ["seeker_id"],
            ["seekers.id"],
            name=op.f("fk_registrations_seeker_id_seekers"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "confirmation_code", name=op.f("uq_registrations_confirmation_code")
        ),
        sa.CheckConstraint(
            f"status IN ({_in_list(_REGISTRATION_STATUSES)})", name=op.f("ck_registrations_status")
        ),
        sa.CheckConstraint(
            f"outcome IN ({_in_list(_OUTCOMES)})", name=op.f("ck_registrations_outcome")
        ),
        sa.CheckConstraint(
            "status <> 'offered' OR offer_expires_at IS NOT NULL",
            name=op.f("ck_registrations_offer_expires"),
        ),
    )
    op.create_index(
        op.f("ix_registrations_event_id_status"), "registrations", ["event_id", "status"]
    )
    op.create_index(op.f("ix_registrations_seeker_id"), "registrations", ["seeker_id"])
    active_only = sa.text(f"status IN ({_in_list(_ACTIVE_REGISTRATION_STATUSES)})")
    op.create_index(
        op.f("uq_registrations_one_active"),
        "registrations",
        ["event_id", "seeker_id"],
        unique=True,
        sqlite_where=active_only,
        postgresql_where=active_only,
    )

    op.create_table(
        "scheduled_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("due_at", _TIMESTAMP, nullable=False),
        sa.Column("deadline", _TIMESTAMP, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("skip_reason", sa.String(40), nullable=True),
        sa.Column("sent_message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_messages")),
        sa.ForeignKeyConstraint(
            ["seeker_id"],
            ["seekers.id"],
            name=op.f("fk_scheduled_messages_seeker_id_seekers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_scheduled_messages_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sent_message_id"],
            ["messages.id"],
            name=op.f("fk_scheduled_messages_sent_message_id_messages"),
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint(
            "registration_id", "kind", name=op.f("uq_scheduled_messages_registration_id_kind")
        ),
        sa.CheckConstraint(
            f"status IN ({_in_list(_SCHEDULE_STATUSES)})", name=op.f("ck_scheduled_messages_status")
        ),
    )
    unattached_only = sa.text("registration_id IS NULL")
    op.create_index(
        op.f("uq_scheduled_messages_seeker_kind_unattached"),
        "scheduled_messages",
        ["seeker_id", "kind"],
        unique=True,
        sqlite_where=unattached_only,
        postgresql_where=unattached_only,
    )
    op.create_index(
        op.f("ix_scheduled_messages_status_due_at"), "scheduled_messages", ["status", "due_at"]
    )
    op.create_index(op.f("ix_scheduled_messages_seeker_id"), "scheduled_messages", ["seeker_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_scheduled_messages_seeker_id"), table_name="scheduled_messages")
    op.drop_index(op.f("ix_scheduled_messages_status_due_at"), table_name="scheduled_messages")
    op.drop_index(
        op.f("uq_scheduled_messages_seeker_kind_unattached"), table_name="scheduled_messages"
    )
    op.drop_table("scheduled_messages")
    op.drop_index(op.f("uq_registrations_one_active"), table_name="registrations")
    op.drop_index(op.f("ix_registrations_seeker_id"), table_name="registrations")
    op.drop_index(op.f("ix_registrations_event_id_status"), table_name="registrations")
    op.drop_table("registrations")
    op.drop_index(op.f("ix_hiring_events_starts_at"), table_name="hiring_events")
    op.drop_table("hiring_events")
