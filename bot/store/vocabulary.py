"""The closed sets of values the store accepts, shared by the models, migrations and checks."""
from __future__ import annotations

LANGUAGES = ("en", "es")

CONSENT_PENDING = "pending"
CONSENT_GRANTED = "granted"
CONSENT_OPTED_OUT = "opted_out"
CONSENT_STATUSES = (CONSENT_PENDING, CONSENT_GRANTED, CONSENT_OPTED_OUT)

SCREENING_IN_PROGRESS = "in_progress"
SCREENING_COMPLETE = "complete"
# A screening the seeker walked away from by starting over; kept so drop-off can be counted.
SCREENING_ABANDONED = "abandoned"
SCREENING_STATUSES = (SCREENING_IN_PROGRESS, SCREENING_COMPLETE, SCREENING_ABANDONED)

EVENT_NOTICE_SHOWN = "notice_shown"
EVENT_OPT_OUT = "opt_out"
EVENT_OPT_IN = "opt_in"
CONSENT_EVENTS = (EVENT_NOTICE_SHOWN, EVENT_OPT_OUT, EVENT_OPT_IN)

# Column widths. An E.164 number is at most 16 characters and a Telegram chat id about 15.
CHANNEL_MAX = 32
ADDRESS_MAX = 64
KEYWORD_MAX = 40
RULES_VERSION_MAX = 40


def sql_in_list(values: tuple[str, ...]) -> str:
    """`'a', 'b'` for a CHECK constraint; the values are our own constants, never user text."""
    return ", ".join(f"'{value}'" for value in values)

# The message log: every text in and out, the transcript staff read.
DIRECTION_IN = "in"
DIRECTION_OUT = "out"
DIRECTIONS = (DIRECTION_IN, DIRECTION_OUT)

# Inbound: stored before the webhook answers, then processed once, in arrival order.
INBOUND_RECEIVED = "received"
INBOUND_PROCESSING = "processing"
INBOUND_PROCESSED = "processed"
# Over the flood limit: kept in the transcript, never processed.
INBOUND_THROTTLED = "throttled"
# Nothing to answer (an update kind we do not act on, a group chat).
INBOUND_IGNORED = "ignored"
# Outbound: queued in the database, claimed by the sender, then the provider reports delivery.
OUTBOUND_QUEUED = "queued"
OUTBOUND_SENDING = "sending"
OUTBOUND_SENT = "sent"
OUTBOUND_DELIVERED = "delivered"
OUTBOUND_UNDELIVERED = "undelivered"
OUTBOUND_FAILED = "failed"
# Not sent because the person opted out.
OUTBOUND_REFUSED = "refused"
# The sender stopped (crash) while sending: it may have gone out, so it is never sent again.
OUTBOUND_UNCERTAIN = "uncertain"
MESSAGE_STATUSES = (
    INBOUND_RECEIVED,
    INBOUND_PROCESSING,
    INBOUND_PROCESSED,
    INBOUND_THROTTLED,
    INBOUND_IGNORED,
    OUTBOUND_QUEUED,
    OUTBOUND_SENDING,
    OUTBOUND_SENT,
    OUTBOUND_DELIVERED,
    OUTBOUND_UNDELIVERED,
    OUTBOUND_FAILED,
    OUTBOUND_REFUSED,
    OUTBOUND_UNCERTAIN,
)
PROVIDER_ID_MAX = 64
MESSAGE_KIND_MAX = 24
ERROR_CODE_MAX = 16
# A session's identity, "pid:backend start in microseconds" (bot/store/person_claims.py).
CLAIMED_BY_MAX = 40

# Hiring events (bot.store.event_catalog, registration_store, scheduled_message_store). The event's own definition is
# bot.hiring_events.model.Event.
EVENT_CODE_MAX = 16
# Registration lifecycle: the statuses are the seat rules' (bot.hiring_events.seats), named there once.
from bot.hiring_events.seats import (  # noqa: E402  (re-exported: the models' CHECK constraints use them)
    REGISTRATION_ACTIVE,
    REGISTRATION_CANCELLED,
    REGISTRATION_DECLINED,
    REGISTRATION_EXPIRED,
    REGISTRATION_HOLDS_SEAT,
    REGISTRATION_OFFERED,
    REGISTRATION_REGISTERED,
    REGISTRATION_STATUSES,
    REGISTRATION_WAITLISTED,
)
# What came of it, from the follow-up after the event (or staff): counted in the funnel.
OUTCOME_OFFER = "offer"
OUTCOME_NO_OFFER = "no_offer"
OUTCOME_NO_SHOW = "no_show"
REGISTRATION_OUTCOMES = (OUTCOME_OFFER, OUTCOME_NO_OFFER, OUTCOME_NO_SHOW)
# Confirmation codes are read aloud at the door and typed back by text: no 0/O, 1/I/L, 2/Z,
# 5/S, 8/B look-alikes.
CONFIRMATION_CODE_LENGTH = 6
# A calendar link's token: 32 URL-safe characters, 192 random bits.
CALENDAR_TOKEN_LENGTH = 32
CONFIRMATION_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
OUTCOME_MAX = 16

# Scheduled messages (reminders, follow-ups, nudges): claimed once, sent at most once. Their
# statuses are the schedule rules' (bot.hiring_events.schedule), named there once.
from bot.hiring_events.schedule import (  # noqa: E402  (re-exported: the models' CHECK constraints use them)
    SCHEDULE_CANCELLED,
    SCHEDULE_PENDING,
    SCHEDULE_SENDING,
    SCHEDULE_SENT,
    SCHEDULE_SKIPPED,
    SCHEDULE_STATUSES,
    SKIP_INTERRUPTED,
)
SCHEDULE_KIND_MAX = 24
SKIP_REASON_MAX = 40

# Handoffs to the staff queue (bot.store.handoff_store). waiting -> assigned -> closed; an
# assignee who does not answer in time puts it back to waiting.
HANDOFF_WAITING = "waiting"
HANDOFF_ASSIGNED = "assigned"
HANDOFF_CLOSED = "closed"
HANDOFF_STATUSES = (HANDOFF_WAITING, HANDOFF_ASSIGNED, HANDOFF_CLOSED)
# While a handoff is open the bot is paused for that conversation.
HANDOFF_OPEN = (HANDOFF_WAITING, HANDOFF_ASSIGNED)
HANDOFF_REASON_MAX = 24
TEAM_MAX = 32
LABEL_MAX = 32
NOTE_MAX = 2000

# Staff accounts (bot.store.staff_store).
ROLE_STAFF = "staff"
ROLE_ADMIN = "admin"
ROLES = (ROLE_STAFF, ROLE_ADMIN)
USERNAME_MAX = 64
AUDIT_ACTION_MAX = 40
SUBJECT_TYPE_MAX = 24
# Staff replies are outbound messages of this kind, with details {"staff_id": ...}.
MESSAGE_KIND_STAFF = "staff"
