"""Console settings from the environment."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.staff.settings import ConsoleConfigError, console_settings

KEY = "k" * 40


def test_defaults_in_development():
    settings = console_settings({})
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)
    assert settings.claim_timeout == timedelta(minutes=30) and settings.sla_target == timedelta(minutes=60)
    assert settings.development and settings.secret_key_generated and len(settings.secret_key) >= 32
    assert not settings.secure_cookies
    # A fresh key each time: nothing predictable signs cookies.
    assert console_settings({}).secret_key != settings.secret_key


def test_production_requires_a_secret_key():
    with pytest.raises(ConsoleConfigError, match="STAFF_SECRET_KEY"):
        console_settings({"INTAKE_PROFILE": "production"})
    settings = console_settings({"INTAKE_PROFILE": "production", "STAFF_SECRET_KEY": KEY})
    assert settings.secret_key == KEY and not settings.secret_key_generated and not settings.development


def test_a_short_secret_key_is_refused():
    with pytest.raises(ConsoleConfigError, match="at least 32"):
        console_settings({"STAFF_SECRET_KEY": "short"})


@pytest.mark.parametrize(
    "env, field, expected",
    [
        ({"STAFF_CONSOLE_HOST": "0.0.0.0"}, "host", "0.0.0.0"),
        ({"STAFF_CONSOLE_PORT": "9090"}, "port", 9090),
        ({"HANDOFF_CLAIM_TIMEOUT_MINUTES": "15"}, "claim_timeout", timedelta(minutes=15)),
        ({"HANDOFF_SLA_MINUTES": "120"}, "sla_target", timedelta(minutes=120)),
        ({"STAFF_CONSOLE_URL": "https://console.example.org/"}, "public_url", "https://console.example.org"),
        ({"DATABASE_URL": "postgres://u@h/db"}, "database_url", "postgresql://u@h/db"),
        ({"QUIET_HOURS": "off"}, "quiet_hours", None),
    ],
)
def test_settings_from_the_environment(env, field, expected):
    assert getattr(console_settings(env), field) == expected


def test_https_console_url_makes_cookies_secure():
    assert console_settings({"STAFF_CONSOLE_URL": "https://console.example.org"}).secure_cookies


@pytest.mark.parametrize(
    "name, value",
    [("STAFF_CONSOLE_PORT", "eighty"), ("STAFF_CONSOLE_PORT", "0"), ("HANDOFF_SLA_MINUTES", "-5"), ("HANDOFF_CLAIM_TIMEOUT_MINUTES", "1.5")],
)
def test_bad_numbers_are_refused_naming_the_setting(name, value):
    with pytest.raises(ConsoleConfigError, match=name):
        console_settings({name: value})
