"""Every store test runs against SQLite (a temporary file) and PostgreSQL (a throwaway database).

PostgreSQL is at 127.0.0.1:5432 with trust auth (override with TEST_POSTGRES_ADMIN_URL). If it
cannot be reached the PostgreSQL variants skip, except under CI=..., where they fail: a CI run
must never pass while silently testing only SQLite.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

from bot.store import IntakeStore, make_engine, migrate

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _postgres_admin_engine() -> Engine:
    """AUTOCOMMIT, because CREATE/DROP DATABASE cannot run inside a transaction."""
    engine = create_engine(
        POSTGRES_ADMIN_URL,
        future=True,
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        engine.dispose()
        reason = f"PostgreSQL not reachable at {make_url(POSTGRES_ADMIN_URL).host}: {error.orig}"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return engine


def _create_postgres_database() -> tuple[Engine, str, str]:
    admin = _postgres_admin_engine()
    name = f"intake_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    return admin, name, url


def _drop_postgres_database(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        # WITH (FORCE) ends sessions a failed test may have left behind.
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_database(backend: str, folder: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder}/intake-{uuid.uuid4().hex[:8]}.db"
        return
    admin, name, url = _create_postgres_database()
    try:
        yield url
    finally:
        _drop_postgres_database(admin, name)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def db_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated database per backend for the whole session; tests use unique addresses."""
    folder = tmp_path_factory.mktemp(f"store-{backend}")
    for url in _empty_database(backend, str(folder)):
        migrate(url)
        yield url


@pytest.fixture()
def empty_db_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database no migration has touched, for the tests about migrating."""
    folder = tmp_path_factory.mktemp(f"empty-{backend}")
    yield from _empty_database(backend, str(folder))


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture()
def store(engine: Engine) -> IntakeStore:
    return IntakeStore(engine)


@pytest.fixture()
def address() -> str:
    """A made-up, phone-like address no other test uses, so tests can share one database."""
    return f"+1555{uuid.uuid4().int % 10**11:011d}"
