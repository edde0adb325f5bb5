"""The production profile: PostgreSQL for the product's tables and Rasa's tracker store, Redis for
Rasa's lock store. Same conversation, real services (127.0.0.1:5432 and :6379)."""
from __future__ import annotations

import json
import os
import secrets
import socket
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text

from bot.cli.harness import running_assistant
from bot.cli.settings import RASA_API_TOKEN_SETTING, load_settings
from bot.cli.supervisor import rasa_api_token_for_run
from tests.channels.people import SmsSeeker
from tests.channels.settings import TEST_CHANNEL_ENV
from tests.postgres import throwaway_postgres_database_with_its_own_role

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def production_profile_settings(database_url: str) -> dict[str, str]:
    """What the production profile needs to start: PostgreSQL and Redis, and strong throwaway
    secrets (production refuses to start without them, or with weak ones: production_checks.py)."""
    return {
        "INTAKE_PROFILE": "production",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "STAFF_SECRET_KEY": secrets.token_hex(32),
        RASA_API_TOKEN_SETTING: secrets.token_urlsafe(32),
        "TELEGRAM_SECRET_TOKEN": secrets.token_urlsafe(32),
        "STAFF_CONSOLE_URL": "https://console.example.org",
    }


def require_redis() -> None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            if connection.recv(16).startswith(b"+PONG"):
                return
    except OSError:
        pass
    if os.environ.get("CI"):
        pytest.fail("Redis is not reachable at 127.0.0.1:6379", pytrace=False)
    pytest.skip("Redis is not reachable at 127.0.0.1:6379")


@pytest.fixture(scope="module")
def production_assistant(tmp_path_factory, twilio_api, telegram_api):
    require_redis()
    with throwaway_postgres_database_with_its_own_role() as url:
        environment = {
            **TEST_CHANNEL_ENV,
            "TWILIO_API_BASE_URL": twilio_api.base_url,
            "TELEGRAM_API_BASE_URL": telegram_api.base_url,
            **production_profile_settings(url),
        }
        with running_assistant(tmp_path_factory.mktemp("production"), environment) as assistant:
            yield assistant, url


def test_intake_on_postgresql_and_redis(production_assistant, twilio_api):
    assistant, url = production_assistant
    seeker = SmsSeeker(assistant, twilio_api)
    assert "first name" in seeker.say("hi, i need work in IT")
    assert "ZIP" in seeker.say("Dana")
    assert "How old" in seeker.say("60302")
    screening = assistant.store.latest_screening("twilio", seeker.number)
    assert screening.answers == {"sectors": ["it"], "first_name": "Dana", "zip_code": "60302"}

    # Both the product's rows and Rasa's tracker events are in the PostgreSQL database.
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        seekers = connection.execute(
            text("SELECT count(*) FROM seekers WHERE address = :sender"), {"sender": seeker.number}
        ).scalar_one()
        events = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :sender"), {"sender": seeker.number}
        ).scalar_one()
    engine.dispose()
    assert seekers == 1
    assert events > 0


def test_production_serves_no_rest_channel_and_no_api_call_without_the_token(production_assistant):
    assistant, _ = production_assistant
    rest = f"{assistant.rasa_url}/webhooks/rest/webhook?{urlencode({'token': assistant.rasa_api_token})}"
    request = urllib.request.Request(
        rest, data=json.dumps({"sender": "+13125550100", "message": "hi"}).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 404  # not mounted at all, whatever the token
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{assistant.rasa_url}/conversations/+13125550100/tracker", timeout=30)
    assert refused.value.code == 401


def test_production_refuses_to_start_without_an_api_token(tmp_path):
    settings = load_settings({"INTAKE_PROFILE": "production", "INTAKE_VAR_DIR": str(tmp_path)})
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(RASA_API_TOKEN_SETTING, raising=False)
        with pytest.raises(SystemExit, match=RASA_API_TOKEN_SETTING):
            rasa_api_token_for_run(settings)
