"""Channel configuration, from the environment only (see `.env.example` and the README)."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_TWILIO_API_BASE_URL = "https://api.twilio.com"
DEFAULT_TELEGRAM_API_BASE_URL = "https://api.telegram.org"
# Turning the Twilio signature check off is for a laptop with no Twilio account only.
SKIP_SIGNATURE_SETTING = "TWILIO_SKIP_SIGNATURE_CHECK_FOR_DEVELOPMENT"
# "hold": store and answer webhooks but process nothing (for a model deploy); "on" otherwise.
PROCESSING_SETTING = "INBOUND_PROCESSING"
# The webhook ingest process's HTTP port (ingest.py), where PUBLIC_BASE_URL should lead.
WEBHOOK_PORT_SETTING = "WEBHOOK_PORT"
DEFAULT_WEBHOOK_PORT = 5006
# The UDP port on 127.0.0.1 where the Rasa process hears that the webhook process stored a
# message (see wake.py); both processes read it.
WAKE_PORT_SETTING = "DIALOGUE_WAKE_PORT"
DEFAULT_WAKE_PORT = 5007
TRUSTED_PROXY_SETTING = "TRUSTED_PROXY_ADDRESSES"
RETENTION_SETTING = "RETENTION_DAYS"


@dataclass(frozen=True)
class ChannelSettings:
    public_base_url: str | None
    twilio_account_sid: str | None
    twilio_auth_token: str | None
    twilio_api_base_url: str
    twilio_messaging_service_sid: str | None
    twilio_from_number: str | None
    skip_twilio_signature: bool
    telegram_bot_token: str | None
    telegram_secret_token: str | None
    telegram_api_base_url: str
    flood_limit_per_minute: int
    hold_processing: bool
    scheduler_poll_seconds: float
    send_timeout_seconds: float
    dialogue_wake_port: int
    # How often the Rasa process looks for stored messages no wake announced (a lost datagram,
    # or a message stored while it was down): the most such a message waits.
    inbound_poll_seconds: float
    # Outreach campaign texts queued a second (WARN rosters): what the sending number may send.
    # A US long code about 1, a toll-free number 3, a short code 100 (Twilio's limits).
    campaign_messages_per_second: float = 1.0
    # How often the outbound sender looks for texts other processes queued (the staff console,
    # reminders); texts queued in the Rasa process wake it at once.
    send_poll_seconds: float = 1.0
    # Messages all senders together may have processed a minute: many senders (or one with many
    # numbers) cannot each stay under their own limit and still keep the dialogue busy. About what
    # two cores process (the 2,500-seeker event benchmark runs at about 1,000 a minute).
    flood_limit_all_senders_per_minute: int = 1200
    # Peers (TCP addresses) whose X-Forwarded-Proto/-Host are believed when no PUBLIC_BASE_URL
    # says where Twilio calls: anyone else could name any host and replay a request signed for it.
    trusted_proxy_addresses: frozenset[str] = frozenset()
    # People inactive this many days have their data erased by the scheduler's daily sweep.
    retention_days: int | None = None
    # Rasa's tracker database, so the sweep erases conversations there too.
    tracker_database_url: str | None = None
    # Rasa's tracker is in the PostgreSQL database of the messages (production): the inbound claim
    # reads the conversation's version for the tracker store's cache (bot/tracker_versions.py).
    tracker_in_the_database: bool = False

    @property
    def twilio_configured(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def telegram_configured(self) -> bool:
        return bool(self.telegram_bot_token and self.telegram_secret_token)

    def public_url(self, path: str) -> str | None:
        if not self.public_base_url:
            return None
        return self.public_base_url.rstrip("/") + path


def channel_settings(environ: Mapping[str, str] | None = None) -> ChannelSettings:
    env = os.environ if environ is None else environ

    def value(name: str) -> str | None:
        return (env.get(name) or "").strip() or None

    return ChannelSettings(
        public_base_url=value("PUBLIC_BASE_URL"),
        twilio_account_sid=value("TWILIO_ACCOUNT_SID"),
        twilio_auth_token=value("TWILIO_AUTH_TOKEN"),
        twilio_api_base_url=(value("TWILIO_API_BASE_URL") or DEFAULT_TWILIO_API_BASE_URL).rstrip("/"),
        twilio_messaging_service_sid=value("TWILIO_MESSAGING_SERVICE_SID"),
        twilio_from_number=value("TWILIO_FROM_NUMBER"),
        # Never in production, whatever the variable says (the supervisor refuses it too).
        skip_twilio_signature=value(SKIP_SIGNATURE_SETTING) in ("1", "true", "yes")
        and value("INTAKE_PROFILE") != "production",
        telegram_bot_token=value("TELEGRAM_BOT_TOKEN"),
        telegram_secret_token=value("TELEGRAM_SECRET_TOKEN"),
        telegram_api_base_url=(
            value("TELEGRAM_API_BASE_URL") or DEFAULT_TELEGRAM_API_BASE_URL
        ).rstrip("/"),
        flood_limit_per_minute=int(value("FLOOD_LIMIT_PER_MINUTE") or 20),
        hold_processing=(value(PROCESSING_SETTING) or "on").lower() == "hold",
        scheduler_poll_seconds=float(value("SCHEDULER_POLL_SECONDS") or 30),
        send_timeout_seconds=float(value("SEND_TIMEOUT_SECONDS") or 15),
        dialogue_wake_port=int(value(WAKE_PORT_SETTING) or DEFAULT_WAKE_PORT),
        inbound_poll_seconds=float(value("INBOUND_POLL_SECONDS") or 2),
        campaign_messages_per_second=float(value("CAMPAIGN_MESSAGES_PER_SECOND") or 1),
        send_poll_seconds=float(value("SEND_POLL_SECONDS") or 1),
        flood_limit_all_senders_per_minute=int(value("FLOOD_LIMIT_ALL_SENDERS_PER_MINUTE") or 1200),
        retention_days=int(value(RETENTION_SETTING)) if (value(RETENTION_SETTING) or "").isdigit() else None,
        tracker_database_url=value("TRACKER_DATABASE_URL"),
        tracker_in_the_database=_tracker_in_the_database(value("TRACKER_DATABASE_URL"), value("DATABASE_URL")),
        trusted_proxy_addresses=frozenset(
            address.strip() for address in (value(TRUSTED_PROXY_SETTING) or "").split(",") if address.strip()
        ),
    )


def _tracker_in_the_database(tracker_url: str | None, database_url: str | None) -> bool:
    """The same PostgreSQL database (the production default: TRACKER_DATABASE_URL is DATABASE_URL)."""
    return bool(tracker_url) and tracker_url == database_url and tracker_url.startswith("postgres")
