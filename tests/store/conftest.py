"""Every store test runs against SQLite (a temporary file) and PostgreSQL (a throwaway database).

PostgreSQL is at 127.0.0.1:5432 with trust auth (override with TEST_POSTGRES_ADMIN_URL). If it
cannot be reached the PostgreSQL variants skip, except under CI=..., where they fail: a CI run
must never pass while silently testing only SQLite.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from sqlalchemy.engine import Engine


from bot.store import IntakeStore, make_engine, migrate
from tests.postgres import throwaway_postgres_database

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _empty_database(backend: str, folder: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder}/intake-{uuid.uuid4().hex[:8]}.db"
        return
    with throwaway_postgres_database() as url:
        yield url


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
