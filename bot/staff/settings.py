"""Staff console configuration, from the environment only (see `.env.example`).

STAFF_CONSOLE_HOST / STAFF_CONSOLE_PORT: where waitress listens (127.0.0.1:8080: put a TLS proxy
in front of it for anything but a laptop). STAFF_CONSOLE_URL: the address staff open; when it is
https the session cookie is marked Secure. STAFF_SECRET_KEY signs the session cookie: required in
the production profile; in development a random one is made per process (and sessions end at
every restart). HANDOFF_CLAIM_TIMEOUT_MINUTES: how long a claim without a reply lasts.
HANDOFF_SLA_MINUTES: the target time to the first staff reply, in business hours.
"""
from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.handoff.business_hours import BusinessCalendar, calendar_from_env
from bot.scheduling.quiet_hours import QuietHours, quiet_hours_from_env
from bot.store.config import DEFAULT_SQLITE_PATH, normalize_url

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_CLAIM_TIMEOUT_MINUTES = 30
DEFAULT_SLA_MINUTES = 60
# A key shorter than this is guessable offline from one signed cookie.
MIN_SECRET_KEY_LENGTH = 32
PRODUCTION_PROFILE = "production"


class ConsoleConfigError(ValueError):
    pass


@dataclass(frozen=True)
class ConsoleSettings:
    host: str
    port: int
    public_url: str
    secret_key: str
    # True when the key was made up for this process (development): sessions do not survive a restart.
    secret_key_generated: bool
    database_url: str
    development: bool
    claim_timeout: timedelta
    sla_target: timedelta
    quiet_hours: QuietHours | None
    business_calendar: BusinessCalendar
    # METRICS_TOKEN: what Prometheus sends (Authorization: Bearer) for /metrics; unset, /metrics
    # answers 401 to everyone. The console's port is the one the public proxy reaches.
    metrics_token: str | None = None

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")


METRICS_TOKEN_SETTING = "METRICS_TOKEN"


def console_settings(environ: Mapping[str, str] | None = None) -> ConsoleSettings:
    env = os.environ if environ is None else environ

    def value(name: str) -> str | None:
        return (env.get(name) or "").strip() or None

    development = (value("INTAKE_PROFILE") or "embedded") != PRODUCTION_PROFILE
    host = value("STAFF_CONSOLE_HOST") or DEFAULT_HOST
    port = _positive_int(value("STAFF_CONSOLE_PORT"), DEFAULT_PORT, "STAFF_CONSOLE_PORT")
    secret_key = value("STAFF_SECRET_KEY")
    generated = False
    if secret_key is None:
        if not development:
            raise ConsoleConfigError(
                "STAFF_SECRET_KEY is required in the production profile "
                f"(at least {MIN_SECRET_KEY_LENGTH} random characters, e.g. `openssl rand -hex 32`)"
            )
        secret_key = secrets.token_hex(32)
        generated = True
        logger.warning("STAFF_SECRET_KEY is not set: using a random key, so staff sign in again after every restart")
    elif len(secret_key) < MIN_SECRET_KEY_LENGTH:
        raise ConsoleConfigError(f"STAFF_SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters")
    public_url = (value("STAFF_CONSOLE_URL") or f"http://{host}:{port}").rstrip("/")
    if not development and not public_url.startswith("https://"):
        raise ConsoleConfigError(
            "STAFF_CONSOLE_URL must be the console's https address in the production profile "
            "(session cookies are Secure, and HSTS is sent, only over https)"
        )
    database_url = value("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"
    return ConsoleSettings(
        host=host,
        port=port,
        public_url=public_url,
        secret_key=secret_key,
        secret_key_generated=generated,
        database_url=normalize_url(database_url),
        development=development,
        claim_timeout=timedelta(
            minutes=_positive_int(
                value("HANDOFF_CLAIM_TIMEOUT_MINUTES"), DEFAULT_CLAIM_TIMEOUT_MINUTES, "HANDOFF_CLAIM_TIMEOUT_MINUTES"
            )
        ),
        sla_target=timedelta(
            minutes=_positive_int(value("HANDOFF_SLA_MINUTES"), DEFAULT_SLA_MINUTES, "HANDOFF_SLA_MINUTES")
        ),
        quiet_hours=quiet_hours_from_env(env),
        business_calendar=calendar_from_env(env),
        metrics_token=value(METRICS_TOKEN_SETTING),
    )


def _positive_int(text: str | None, default: int, name: str) -> int:
    if text is None:
        return default
    try:
        number = int(text)
    except ValueError as error:
        raise ConsoleConfigError(f"{name}={text!r} is not a whole number") from error
    if number <= 0:
        raise ConsoleConfigError(f"{name} must be positive, not {number}")
    return number
