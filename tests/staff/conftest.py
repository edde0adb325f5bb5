"""The staff console under Flask's test client, against a freshly migrated SQLite file per test.

Migrating takes most of a second, so it is done once and the file copied for each test. The app's
clock is a `MovableClock`: tests stand an hour later or in the middle of the night with it.
"""
from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from bot.handoff.business_hours import BusinessCalendar
from bot.staff.app import create_app
from bot.staff.passwords import hash_password
from bot.staff.settings import ConsoleSettings
from bot.store import HandoffRecord, HandoffStore, IntakeStore, MessageLog, StaffAccount, StaffStore, make_engine, migrate
from bot.store.vocabulary import ROLE_ADMIN, ROLE_STAFF

PASSWORD = "correct horse battery"


class MovableClock:
    """Real time plus an offset the test sets."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset


@dataclass
class Console:
    app: Flask
    engine: Engine
    clock: MovableClock
    staff: StaffStore
    handoffs: HandoffStore
    messages: MessageLog
    intake: IntakeStore

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def add_staff(self, role: str = ROLE_STAFF, languages=("en", "es"), teams=(), name: str | None = None) -> StaffAccount:
        username = f"{role}-{uuid.uuid4().hex[:8]}"
        return self.staff.create_account(
            username, name or username, _password_hash(), role, list(languages), list(teams)
        )

    def add_admin(self) -> StaffAccount:
        return self.add_staff(ROLE_ADMIN)

    def signed_in(self, account: StaffAccount) -> FlaskClient:
        client = self.client()
        response = login(client, account.username, PASSWORD)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    def open_handoff(self, *, language: str = "en", team: str = "general", priority: int = 0, summary=None,
                     address: str | None = None, channel: str = "twilio") -> HandoffRecord:
        handoff, created = self.handoffs.open_handoff(
            channel,
            address or new_address(),
            reason="asked",
            language=language,
            sectors=[] if team == "general" else [team],
            team=team,
            priority=priority,
            summary=summary or {},
        )
        assert created
        return handoff

    def seeker_writes(self, handoff: HandoffRecord, text: str) -> int:
        message, _ = self.messages.record_inbound(
            handoff.channel, handoff.address, provider_id=f"SM{uuid.uuid4().hex}", kind="text", text=text,
            details={"handoff_id": handoff.id}, status="processed",
        )
        return message.id


_HASH_CACHE: dict[str, str] = {}


def _password_hash() -> str:
    """argon2 is slow on purpose; every test account shares one hash of PASSWORD."""
    if PASSWORD not in _HASH_CACHE:
        _HASH_CACHE[PASSWORD] = hash_password(PASSWORD)
    return _HASH_CACHE[PASSWORD]


def new_address() -> str:
    return f"+1312{uuid.uuid4().int % 10**7:07d}"


def csrf_of(client: FlaskClient) -> str:
    """The session's CSRF token, as the hidden field of any form on the page carries it."""
    page = client.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF field on the login page"
    return found.group(1)


def login(client: FlaskClient, username: str, password: str):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(client)})


def post(client: FlaskClient, path: str, **fields: str):
    """A form POST from a page of this console: with the session's CSRF token."""
    with client.session_transaction() as session:
        token = session.get("csrf_token")
    assert token, "sign in (or open a page) before posting"
    return client.post(path, data={**fields, "csrf_token": token})


def test_settings(**changes) -> ConsoleSettings:
    settings = ConsoleSettings(
        host="127.0.0.1",
        port=8080,
        public_url="http://127.0.0.1:8080",
        secret_key="test-" + "k" * 40,
        secret_key_generated=False,
        database_url="sqlite://",
        development=True,
        claim_timeout=timedelta(minutes=30),
        sla_target=timedelta(minutes=60),
        quiet_hours=None,
        business_calendar=BusinessCalendar(),
    )
    return replace(settings, **changes)


test_settings.__test__ = False  # a helper, not a test


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("staff-template") / "template.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture()
def database_url(migrated_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "console.db"
    shutil.copyfile(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture()
def console_factory(database_url: str) -> Iterator:
    """Builds a Console with settings changed as asked (quiet hours, timeouts...)."""
    engines: list[Engine] = []

    def build(**setting_changes) -> Console:
        engine = make_engine(database_url)
        engines.append(engine)
        clock = MovableClock()
        app = create_app(test_settings(database_url=database_url, **setting_changes), engine=engine, clock=clock)
        app.config["TESTING"] = True
        return Console(app, engine, clock, StaffStore(engine), HandoffStore(engine), MessageLog(engine), IntakeStore(engine))

    yield build
    for engine in engines:
        engine.dispose()


@pytest.fixture()
def console(console_factory) -> Console:
    return console_factory()
