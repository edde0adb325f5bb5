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
    settings = console_settings(
        {"INTAKE_PROFILE": "production", "STAFF_SECRET_KEY": KEY, "STAFF_CONSOLE_URL": "https://console.example.org"}
    )
    assert settings.secret_key == KEY and not settings.secret_key_generated and not settings.development


@pytest.mark.parametrize("url", [None, "http://console.example.org", "http://127.0.0.1:8080"])
def test_production_requires_the_console_to_be_served_over_https(url):
    env = {"INTAKE_PROFILE": "production", "STAFF_SECRET_KEY": KEY}
    if url:
        env["STAFF_CONSOLE_URL"] = url
    with pytest.raises(ConsoleConfigError, match="https"):
        console_settings(env)


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


@pytest.mark.parametrize("public_url, hsts", [("https://console.example.org", True), ("http://127.0.0.1:8080", False)])
def test_the_console_served_over_https_tells_browsers_never_to_use_http(console_factory, public_url, hsts):
    console = console_factory(public_url=public_url)
    header = console.client().get("/login").headers.get("Strict-Transport-Security")
    assert (header is not None and "max-age=31536000" in header) == hsts
