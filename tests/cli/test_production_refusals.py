"""The production profile refuses to start with settings an attacker could use: the pure check,
and `python -m bot.cli run` (what `make run` calls) refusing before it migrates or starts anything."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.production_checks import unsafe_production_settings

ROOT = Path(__file__).resolve().parents[2]
SAFE = {
    "INTAKE_PROFILE": "production",
    "DATABASE_URL": "postgresql://intake:s3cret-password@db.internal:5432/intake",
    "STAFF_CONSOLE_URL": "https://console.example.org",
    "PUBLIC_BASE_URL": "https://intake.example.org",
    "RASA_API_TOKEN": "r" * 43,
    "TELEGRAM_BOT_TOKEN": "123:abc",
    "TELEGRAM_SECRET_TOKEN": "t" * 40,
}


def test_safe_settings_pass():
    assert unsafe_production_settings(SAFE) == []


@pytest.mark.parametrize(
    "changes, complaint",
    [
        ({"TWILIO_SKIP_SIGNATURE_CHECK_FOR_DEVELOPMENT": "1"}, "TWILIO_SKIP_SIGNATURE_CHECK_FOR_DEVELOPMENT"),
        ({"TELEGRAM_SECRET_TOKEN": "short-secret"}, "TELEGRAM_SECRET_TOKEN"),
        ({"TELEGRAM_SECRET_TOKEN": ""}, "TELEGRAM_SECRET_TOKEN"),
        ({"STAFF_CONSOLE_URL": "http://console.example.org"}, "STAFF_CONSOLE_URL"),
        ({"STAFF_CONSOLE_URL": ""}, "STAFF_CONSOLE_URL"),
        ({"PUBLIC_BASE_URL": "http://intake.example.org"}, "PUBLIC_BASE_URL"),
        ({"RASA_API_TOKEN": "short"}, "RASA_API_TOKEN"),
        ({"METRICS_TOKEN": "short"}, "METRICS_TOKEN"),
        ({"DATABASE_URL": ""}, "DATABASE_URL must be set"),
        ({"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/postgres"}, "superuser"),
        ({"DATABASE_URL": "postgresql://intake@db.internal:5432/intake"}, "password"),
        ({"DATABASE_URL": "sqlite:///var/intake.db"}, "postgresql"),
    ],
)
def test_each_unsafe_setting_is_named(changes, complaint):
    problems = unsafe_production_settings({**SAFE, **changes})
    assert any(complaint in problem for problem in problems), problems


def test_a_long_metrics_token_or_none_is_fine():
    assert unsafe_production_settings({**SAFE, "METRICS_TOKEN": "m" * 32}) == []


def test_a_unix_socket_may_use_peer_authentication():
    socket_url = {"DATABASE_URL": "postgresql://intake@/intake?host=/var/run/postgresql"}
    assert unsafe_production_settings({**SAFE, **socket_url}) == []


def test_make_run_refuses_unsafe_production_settings_before_starting_anything(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in SAFE and not key.startswith("TWILIO_")}
    env.update(
        {
            "INTAKE_PROFILE": "production",
            "INTAKE_VAR_DIR": str(tmp_path),
            "TWILIO_SKIP_SIGNATURE_CHECK_FOR_DEVELOPMENT": "1",
            "TELEGRAM_BOT_TOKEN": "123:abc",
            "TELEGRAM_SECRET_TOKEN": "guessable",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "Refusing to start the production profile" in said
    for setting in ("TWILIO_SKIP_SIGNATURE_CHECK_FOR_DEVELOPMENT", "TELEGRAM_SECRET_TOKEN", "STAFF_CONSOLE_URL", "DATABASE_URL", "RASA_API_TOKEN"):
        assert setting in said
    assert "Starting the assistant" not in said
    assert not (tmp_path / "endpoints.yml").exists()
