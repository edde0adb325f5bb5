"""Settings the production profile refuses to start with. Pure: reads a mapping of environment
variables, says what is wrong.

Each of these once let the production profile start in a state an attacker could use: a session
cookie sent over plain http, Twilio signatures not checked, a Telegram secret short enough to
guess, the database reached as a password-less superuser.
"""
from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

from bot.channels.settings import SKIP_SIGNATURE_SETTING

# Telegram allows 1 to 256 of A-Z, a-z, 0-9, _ and -; 32 random ones cannot be guessed.
MIN_TELEGRAM_SECRET_LENGTH = 32
MIN_RASA_API_TOKEN_LENGTH = 32
MIN_METRICS_TOKEN_LENGTH = 32
DATABASE_SUPERUSERS = frozenset({"postgres"})


def unsafe_production_settings(env: Mapping[str, str]) -> list[str]:
    """What is wrong with these settings for the production profile, one sentence each."""

    def value(name: str) -> str:
        return (env.get(name) or "").strip()

    problems: list[str] = []
    if value(SKIP_SIGNATURE_SETTING):
        problems.append(f"{SKIP_SIGNATURE_SETTING} is set: Twilio signatures are always checked in production")
    if value("TELEGRAM_BOT_TOKEN") and len(value("TELEGRAM_SECRET_TOKEN")) < MIN_TELEGRAM_SECRET_LENGTH:
        problems.append(f"TELEGRAM_SECRET_TOKEN must be at least {MIN_TELEGRAM_SECRET_LENGTH} random characters")
    if not value("STAFF_CONSOLE_URL").startswith("https://"):
        problems.append("STAFF_CONSOLE_URL must be the console's https address (Secure cookies, HSTS)")
    public = value("PUBLIC_BASE_URL")
    if public and not public.startswith("https://"):
        problems.append("PUBLIC_BASE_URL must be https")
    if len(value("RASA_API_TOKEN")) < MIN_RASA_API_TOKEN_LENGTH:
        problems.append(f"RASA_API_TOKEN must be at least {MIN_RASA_API_TOKEN_LENGTH} random characters")
    metrics_token = value("METRICS_TOKEN")
    if metrics_token and len(metrics_token) < MIN_METRICS_TOKEN_LENGTH:
        problems.append(f"METRICS_TOKEN must be at least {MIN_METRICS_TOKEN_LENGTH} random characters (or unset)")
    problems.extend(_database_problems(value("DATABASE_URL")))
    return problems


def _database_problems(url: str) -> list[str]:
    if not url:
        return ["DATABASE_URL must be set (the default is PostgreSQL's password-less superuser)"]
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgresql"):
        return ["DATABASE_URL must be a postgresql:// URL in production"]
    problems = []
    if not parts.username or parts.username in DATABASE_SUPERUSERS:
        problems.append("DATABASE_URL must name a role of the application's own, not a superuser")
    # A Unix socket (no host, or ?host=/path) may use peer authentication; over TCP, a password.
    socket_host = parse_qs(parts.query).get("host", [""])[0].startswith("/")
    if parts.hostname and not socket_host and not parts.password:
        problems.append("DATABASE_URL must carry a password when it reaches the database over TCP")
    return problems
