"""SQLAlchemy tables: seekers, their screenings, the consent ledger and the message log.

Personal data is kept to what is needed to answer: a channel address and the screening answers
(first name only). Migrations in `migrations/versions/` must match this file; a test checks it.
"""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, CheckConstraint, Column, Date, ForeignKey, Index, Integer, MetaData
from sqlalchemy import String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import declarative_base

from bot.store.timestamps import UTCDateTime
from bot.store.vocabulary import (
    ADDRESS_MAX,
    CHANNEL_MAX,
    CALENDAR_TOKEN_LENGTH,
    CLAIMED_BY_MAX,
    CONFIRMATION_CODE_LENGTH,
    CONSENT_EVENTS,
    CONSENT_PENDING,
    CONSENT_STATUSES,
    DIRECTIONS,
    ERROR_CODE_MAX,
    EVENT_CODE_MAX,
    AUDIT_ACTION_MAX,
    HANDOFF_OPEN,
    HANDOFF_REASON_MAX,
    HANDOFF_STATUSES,
    HANDOFF_WAITING,
    ROLE_STAFF,
    ROLES,
    SUBJECT_TYPE_MAX,
    TEAM_MAX,
    USERNAME_MAX,
    MESSAGE_KIND_MAX,
    MESSAGE_STATUSES,
    PROVIDER_ID_MAX,
    KEYWORD_MAX,
    LANGUAGES,
    OUTCOME_MAX,
    REGISTRATION_ACTIVE,
    REGISTRATION_OFFERED,
    REGISTRATION_OUTCOMES,
    REGISTRATION_STATUSES,
    RULES_VERSION_MAX,
    SCHEDULE_KIND_MAX,
    SCHEDULE_PENDING,
    SCHEDULE_STATUSES,
    SCREENING_IN_PROGRESS,
    SCREENING_STATUSES,
    SKIP_REASON_MAX,
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


class Message(Base):
    """One text in or out: the durable inbound queue, the outbound queue and the transcript.

    Inbound rows are written before the webhook answers; `provider_id` (Twilio's MessageSid,
    Telegram's update_id) is unique per channel and direction, so a redelivery is recognised.
    Outbound rows are queued here and sent by the outbound sender, which claims one at a time.
    """

    __tablename__ = "messages"

    id = Column(Integer, primary_key=True)
    seeker_id = Column(Integer, ForeignKey("seekers.id", ondelete="CASCADE"), nullable=False)
    direction = Column(String(3), nullable=False)
    channel = Column(String(CHANNEL_MAX), nullable=False)
    provider_id = Column(String(PROVIDER_ID_MAX), nullable=True)
    # text, photo, sticker, voice, location, contact, button, blocked...
    kind = Column(String(MESSAGE_KIND_MAX), nullable=False)
    text = Column(Text, nullable=False, default="")
    # Outbound: the choices offered; inbound: media links and what the channel told us.
    buttons = Column(JsonDocument, nullable=True)
    details = Column(JsonDocument, nullable=True)
    language = Column(String(2), nullable=True)
    status = Column(String(16), nullable=False)
    error_code = Column(String(ERROR_CODE_MAX), nullable=True)
    # Opt-out and opt-in confirmations and HELP go out to people who opted out; nothing else.
    consent_exempt = Column(Boolean, nullable=False, default=False)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(UTCDateTime(), nullable=True)
    in_reply_to = Column(Integer, ForeignKey("messages.id"), nullable=True)
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)
    # Inbound: when processing finished; outbound: when the provider accepted it.
    done_at = Column(UTCDateTime(), nullable=True)
    # Inbound, while `processing` on PostgreSQL: which live process has it (the identity of that
    # process's session, bot/store/person_claims.py); None on SQLite and before revision 0009.
    claimed_by = Column(String(CLAIMED_BY_MAX), nullable=True)

    __table_args__ = (
        CheckConstraint(f"direction IN ({sql_in_list(DIRECTIONS)})", name="direction"),
        CheckConstraint(f"status IN ({sql_in_list(MESSAGE_STATUSES)})", name="status"),
        UniqueConstraint("channel", "direction", "provider_id"),
        Index("ix_messages_seeker_id_id", "seeker_id", "id"),
        Index("ix_messages_status", "status"),
    )


# --- hiring events (bot.store.event_catalog, registration_store, scheduled_message_store) ---------

ACTIVE_REGISTRATIONS_ONLY = text(f"status IN ({sql_in_list(REGISTRATION_ACTIVE)})")
NOT_TIED_TO_A_REGISTRATION = text("registration_id IS NULL")


class HiringEvent(Base):
    """One hiring event. `definition` is the whole bot.hiring_events.model.Event as JSON; the columns
    beside it repeat what queries filter and sort on."""

    # Not "events": that is the table of Rasa's tracker store, which shares the database in the
    # production profile.
    __tablename__ = "hiring_events"

    id = Column(Integer, primary_key=True)
    code = Column(String(EVENT_CODE_MAX), nullable=False)
    definition = Column(JsonDocument, nullable=False)
    starts_at = Column(UTCDateTime(), nullable=False)
    ends_at = Column(UTCDateTime(), nullable=False)
    capacity = Column(Integer, nullable=False)
    registration_opens_at = Column(UTCDateTime(), nullable=True)
    registration_closes_at = Column(UTCDateTime(), nullable=True)
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)

    __table_args__ = (
        UniqueConstraint("code"),
        CheckConstraint("capacity > 0", name="capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_hiring_events_starts_at", "starts_at"),
    )


class Registration(Base):
    """A seeker's place at an event: registered, on the waitlist, offered a freed seat, or over.

    Rows are never deleted (except with their seeker): cancelled, declined and expired ones are
    the history the funnel counts.
    """

    __tablename__ = "registrations"

    id = Column(Integer, primary_key=True)
    event_id = Column(Integer, ForeignKey("hiring_events.id"), nullable=False)
    seeker_id = Column(Integer, ForeignKey("seekers.id", ondelete="CASCADE"), nullable=False)
    status = Column(String(16), nullable=False)
    confirmation_code = Column(String(CONFIRMATION_CODE_LENGTH), nullable=False)
    # The key of the calendar link: long and random, apart from the short code that checks the
    # person in at the door. Always set by the store (nullable only so SQLite adds it in place).
    calendar_token = Column(String(CALENDAR_TOKEN_LENGTH), nullable=True)
    # Answers to the event's own questions, by question key.
    answers = Column(JsonDocument, nullable=False)
    # Queue order on the event's waitlist; kept after promotion, so it only ever grows.
    waitlist_position = Column(Integer, nullable=True)
    offer_expires_at = Column(UTCDateTime(), nullable=True)
    # The seeker replied to a reminder that they are coming.
    confirmed_at = Column(UTCDateTime(), nullable=True)
    attended = Column(Boolean, nullable=False, default=False)
    outcome = Column(String(OUTCOME_MAX), nullable=True)
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)
    cancelled_at = Column(UTCDateTime(), nullable=True)

    __table_args__ = (
        UniqueConstraint("confirmation_code"),
        Index("uq_registrations_calendar_token", "calendar_token", unique=True),
        CheckConstraint(f"status IN ({sql_in_list(REGISTRATION_STATUSES)})", name="status"),
        CheckConstraint(f"outcome IN ({sql_in_list(REGISTRATION_OUTCOMES)})", name="outcome"),
        CheckConstraint(
            f"status <> '{REGISTRATION_OFFERED}' OR offer_expires_at IS NOT NULL",
            name="offer_expires",
        ),
        Index("ix_registrations_event_id_status", "event_id", "status"),
        Index("ix_registrations_seeker_id", "seeker_id"),
        # One active registration per seeker and event, whatever the code does.
        Index(
            "uq_registrations_one_active",
            "event_id",
            "seeker_id",
            unique=True,
            sqlite_where=ACTIVE_REGISTRATIONS_ONLY,
            postgresql_where=ACTIVE_REGISTRATIONS_ONLY,
        ),
    )


class ScheduledMessage(Base):
    """A message due later (reminder, follow-up, nudge), kept here so a restart loses none.

    pending -> sending (claimed by one process) -> sent | skipped; pending -> cancelled.
    """

    __tablename__ = "scheduled_messages"

    id = Column(Integer, primary_key=True)
    kind = Column(String(SCHEDULE_KIND_MAX), nullable=False)
    seeker_id = Column(Integer, ForeignKey("seekers.id", ondelete="CASCADE"), nullable=False)
    registration_id = Column(
        Integer, ForeignKey("registrations.id", ondelete="CASCADE"), nullable=True
    )
    due_at = Column(UTCDateTime(), nullable=False)
    # Past this moment the message is pointless (the event has started) and is skipped.
    deadline = Column(UTCDateTime(), nullable=False)
    status = Column(String(16), nullable=False, default=SCHEDULE_PENDING)
    skip_reason = Column(String(SKIP_REASON_MAX), nullable=True)
    sent_message_id = Column(Integer, ForeignKey("messages.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)

    __table_args__ = (
        CheckConstraint(f"status IN ({sql_in_list(SCHEDULE_STATUSES)})", name="status"),
        UniqueConstraint("registration_id", "kind"),
        # Messages not about a registration (the screening nudge) go once per seeker and kind.
        Index(
            "uq_scheduled_messages_seeker_kind_unattached",
            "seeker_id",
            "kind",
            unique=True,
            sqlite_where=NOT_TIED_TO_A_REGISTRATION,
            postgresql_where=NOT_TIED_TO_A_REGISTRATION,
        ),
        Index("ix_scheduled_messages_status_due_at", "status", "due_at"),
        Index("ix_scheduled_messages_seeker_id", "seeker_id"),
    )


# --- staff accounts, handoffs, audit (bot.store.staff_store, bot.store.handoff_store) ----------

OPEN_HANDOFFS_ONLY = text(f"status IN ({sql_in_list(HANDOFF_OPEN)})")


class StaffAccount(Base):
    """A person who works the queue. Created by `python -m bot.cli staff add`; never by a page."""

    __tablename__ = "staff_accounts"

    id = Column(Integer, primary_key=True)
    username = Column(String(USERNAME_MAX), nullable=False)
    display_name = Column(String(USERNAME_MAX), nullable=False)
    # argon2id hash (bot.staff.passwords); the password itself is never stored.
    password_hash = Column(String(255), nullable=False)
    role = Column(String(16), nullable=False, default=ROLE_STAFF)
    # Languages spoken ("en", "es") and sector teams ("healthcare", ..., "general") for routing.
    languages = Column(JsonDocument, nullable=False)
    teams = Column(JsonDocument, nullable=False)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(UTCDateTime(), nullable=True)
    # SHA-256 of the API token; the token is shown once when made.
    api_token_digest = Column(String(64), nullable=True)
    # Carried in each session cookie; raised by signing out and by a new password, which ends
    # every session made before (a copied cookie included).
    session_version = Column(Integer, nullable=False, default=1, server_default="1")
    disabled = Column(Boolean, nullable=False, default=False)
    last_login_at = Column(UTCDateTime(), nullable=True)
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)

    __table_args__ = (
        UniqueConstraint("username"),
        UniqueConstraint("api_token_digest"),
        CheckConstraint(f"role IN ({sql_in_list(ROLES)})", name="role"),
    )


class Handoff(Base):
    """A conversation handed to staff. While it is open (waiting or assigned) the bot is paused
    for that seeker; closing it gives the conversation back to the bot."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    seeker_id = Column(Integer, ForeignKey("seekers.id", ondelete="CASCADE"), nullable=False)
    language = Column(String(2), nullable=True)
    reason = Column(String(HANDOFF_REASON_MAX), nullable=False)
    # Higher first: veterans and laid-off workers come before others.
    priority = Column(Integer, nullable=False, default=0)
    team = Column(String(TEAM_MAX), nullable=False)
    sectors = Column(JsonDocument, nullable=False)
    # The screening answers and results as they were at the handoff.
    summary = Column(JsonDocument, nullable=False)
    status = Column(String(16), nullable=False, default=HANDOFF_WAITING)
    assignee_id = Column(Integer, ForeignKey("staff_accounts.id"), nullable=True)
    assigned_at = Column(UTCDateTime(), nullable=True)
    first_response_at = Column(UTCDateTime(), nullable=True)
    first_responder_id = Column(Integer, ForeignKey("staff_accounts.id"), nullable=True)
    last_staff_reply_at = Column(UTCDateTime(), nullable=True)
    closed_at = Column(UTCDateTime(), nullable=True)
    closed_by = Column(Integer, ForeignKey("staff_accounts.id"), nullable=True)
    labels = Column(JsonDocument, nullable=False)
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)

    __table_args__ = (
        CheckConstraint(f"status IN ({sql_in_list(HANDOFF_STATUSES)})", name="status"),
        CheckConstraint("status <> 'assigned' OR assignee_id IS NOT NULL", name="assigned_has_assignee"),
        Index("ix_handoffs_status_created_at", "status", "created_at"),
        Index("ix_handoffs_seeker_id", "seeker_id"),
        # One open handoff per seeker: asking twice joins the same place in the queue.
        Index(
            "uq_handoffs_one_open",
            "seeker_id",
            unique=True,
            sqlite_where=OPEN_HANDOFFS_ONLY,
            postgresql_where=OPEN_HANDOFFS_ONLY,
        ),
    )


class HandoffNote(Base):
    __tablename__ = "handoff_notes"

    id = Column(Integer, primary_key=True)
    handoff_id = Column(Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False)
    staff_id = Column(Integer, ForeignKey("staff_accounts.id"), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(UTCDateTime(), nullable=False)

    __table_args__ = (Index("ix_handoff_notes_handoff_id", "handoff_id"),)


class AuditEntry(Base):
    """Who viewed or changed which seeker, handoff or event. Append-only, like the consent
    ledger: database triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    # Null for what happens before anyone is known (a failed login names no account).
    staff_id = Column(Integer, ForeignKey("staff_accounts.id"), nullable=True)
    action = Column(String(AUDIT_ACTION_MAX), nullable=False)
    subject_type = Column(String(SUBJECT_TYPE_MAX), nullable=True)
    subject_id = Column(String(64), nullable=True)
    details = Column(JsonDocument, nullable=True)
    created_at = Column(UTCDateTime(), nullable=False)

    __table_args__ = (
        Index("ix_audit_log_subject", "subject_type", "subject_id"),
        Index("ix_audit_log_staff_id", "staff_id"),
    )


# --- WARN notices (bot.store.warn_store) ------------------------------------------------------

WARN_RESPONSE_STATUSES = ("new", "in_progress", "done")
WARN_ORIGINS = ("import", "staff")


class WarnNoticeRow(Base):
    """A WARN notice: as the state published it (imported from the Illinois workNet export) or
    as staff heard of it first. `details` is the whole bot.warn.notices.WarnNotice; the columns
    beside it repeat what the console filters and sorts on."""

    __tablename__ = "warn_notices"

    id = Column(Integer, primary_key=True)
    # "iebs:<IEBS Id>", else "site:<employer>|<address>|<first report date>" (WarnNotice.key).
    notice_key = Column(String(400), nullable=False)
    lwia = Column(String(8), nullable=True)
    employer = Column(String(300), nullable=False)
    city = Column(String(120), nullable=True)
    zip_code = Column(String(10), nullable=True)
    reason = Column(String(60), nullable=True)
    expected_layoff = Column(Integer, nullable=True)
    reported_on = Column(Date, nullable=True)
    details = Column(JsonDocument, nullable=False)
    origin = Column(String(16), nullable=False)
    # Our rapid response to it: new, in_progress, done.
    response_status = Column(String(16), nullable=False, default="new")
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)

    __table_args__ = (
        UniqueConstraint("notice_key"),
        CheckConstraint(f"response_status IN ({sql_in_list(WARN_RESPONSE_STATUSES)})", name="response_status"),
        CheckConstraint(f"origin IN ({sql_in_list(WARN_ORIGINS)})", name="origin"),
        Index("ix_warn_notices_lwia_reported_on", "lwia", "reported_on"),
        Index("ix_warn_notices_employer", "employer"),
    )


# --- WARN outreach campaigns (bot.store.campaign_store) -----------------------------------------

CAMPAIGN_STATUSES = ("draft", "sending", "paused", "done")
MEMBER_STATUSES = ("pending", "queued", "suppressed")


class Campaign(Base):
    """Outreach to the workers a WARN notice affects: a first text in both languages, the
    rapid-response sessions (hiring events) it offers, and a roster (CampaignMember)."""

    __tablename__ = "warn_campaigns"

    id = Column(Integer, primary_key=True)
    notice_id = Column(Integer, ForeignKey("warn_notices.id"), nullable=False)
    name = Column(String(120), nullable=False)
    message_en = Column(Text, nullable=False)
    message_es = Column(Text, nullable=False)
    # Codes of the hiring events offered as rapid-response sessions.
    event_codes = Column(JsonDocument, nullable=False)
    status = Column(String(16), nullable=False, default="draft")
    created_by = Column(Integer, ForeignKey("staff_accounts.id"), nullable=True)
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)
    started_at = Column(UTCDateTime(), nullable=True)
    finished_at = Column(UTCDateTime(), nullable=True)

    __table_args__ = (
        CheckConstraint(f"status IN ({sql_in_list(CAMPAIGN_STATUSES)})", name="status"),
        Index("ix_warn_campaigns_notice_id", "notice_id"),
        Index("ix_warn_campaigns_status", "status"),
    )


class CampaignMember(Base):
    """One worker on a campaign's roster. `message_id` is set in the same transaction that
    queues their text, so nobody is texted twice for one campaign, whatever crashes."""

    __tablename__ = "campaign_members"

    id = Column(Integer, primary_key=True)
    campaign_id = Column(Integer, ForeignKey("warn_campaigns.id", ondelete="CASCADE"), nullable=False)
    seeker_id = Column(Integer, ForeignKey("seekers.id", ondelete="CASCADE"), nullable=False)
    first_name = Column(String(40), nullable=True)
    language = Column(String(2), nullable=False)
    status = Column(String(16), nullable=False, default="pending")
    message_id = Column(Integer, ForeignKey("messages.id"), nullable=True)
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)

    __table_args__ = (
        UniqueConstraint("campaign_id", "seeker_id"),
        CheckConstraint(f"status IN ({sql_in_list(MEMBER_STATUSES)})", name="status"),
        Index("ix_campaign_members_campaign_id_status", "campaign_id", "status"),
        Index("ix_campaign_members_seeker_id", "seeker_id"),
    )
