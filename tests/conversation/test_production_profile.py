"""The production profile: PostgreSQL for the product's tables and Rasa's tracker store, Redis for
Rasa's lock store. Same conversation, real services (127.0.0.1:5432 and :6379)."""
from __future__ import annotations

import os
import secrets
import socket

import pytest
from sqlalchemy import create_engine, text

from bot.cli.harness import running_assistant
from tests.postgres import throwaway_postgres_database

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


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
def production_assistant(tmp_path_factory):
    require_redis()
    with throwaway_postgres_database() as url:
        environment = {
            "INTAKE_PROFILE": "production",
            "DATABASE_URL": url,
            "REDIS_URL": REDIS_URL,
            # Production refuses to start the staff console without one.
            "STAFF_SECRET_KEY": secrets.token_hex(32),
        }
        with running_assistant(tmp_path_factory.mktemp("production"), environment) as assistant:
            yield assistant, url


def test_intake_on_postgresql_and_redis(production_assistant):
    assistant, url = production_assistant
    chat = assistant.conversation()
    assert "first name" in chat.say("hi, i need work in IT")
    assert "ZIP" in chat.say("Dana")
    assert "How old" in chat.say("60302")
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.answers == {"sectors": ["it"], "first_name": "Dana", "zip_code": "60302"}

    # Both the product's rows and Rasa's tracker events are in the PostgreSQL database.
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        seekers = connection.execute(
            text("SELECT count(*) FROM seekers WHERE address = :sender"), {"sender": chat.sender}
        ).scalar_one()
        events = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :sender"), {"sender": chat.sender}
        ).scalar_one()
    engine.dispose()
    assert seekers == 1
    assert events > 0
