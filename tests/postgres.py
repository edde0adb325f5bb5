"""A throwaway PostgreSQL database for tests, on the server this kind of machine runs at
127.0.0.1:5432 (trust auth; override with TEST_POSTGRES_ADMIN_URL). If it cannot be reached,
tests that need it skip, except under CI=..., where they fail: a CI run must never pass while
silently testing only SQLite."""
from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)

def postgres_admin_engine() -> Engine:
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


def create_postgres_database() -> tuple[Engine, str, str]:
    admin = postgres_admin_engine()
    name = f"intake_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    return admin, name, url


def drop_postgres_database(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        # WITH (FORCE) ends sessions a failed test may have left behind.
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def throwaway_postgres_database() -> Iterator[str]:
    admin, name, url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(admin, name)


@contextmanager
def throwaway_postgres_database_with_its_own_role() -> Iterator[str]:
    """A throwaway database owned by a throwaway login role with a password, as production must
    use (the production profile refuses a superuser or a password-less URL over TCP); its URL."""
    admin, name, url = create_postgres_database()
    role = f"intake_role_{uuid.uuid4().hex[:12]}"
    password = uuid.uuid4().hex
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'"))
            connection.execute(text(f'ALTER DATABASE "{name}" OWNER TO "{role}"'))
        database_admin = create_engine(url, future=True, isolation_level="AUTOCOMMIT")
        with database_admin.connect() as connection:
            connection.execute(text(f'ALTER SCHEMA public OWNER TO "{role}"'))
        database_admin.dispose()
        yield make_url(url).set(username=role, password=password).render_as_string(hide_password=False)
    finally:
        drop_postgres_database(admin, name)
        cleanup = postgres_admin_engine()
        with cleanup.connect() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        cleanup.dispose()


def wait_until_a_statement_waits_for_a_lock(engine: Engine, query_like: str, seconds: float = 10.0) -> None:
    """Until a session whose statement is LIKE `query_like` waits for a lock (another
    transaction's row): for tests that make two claims race deterministically."""
    deadline = time.monotonic() + seconds
    # AUTOCOMMIT: a transaction would see pg_stat_activity as it was at its first look.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        while not connection.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE :query"),
            {"query": query_like},
        ).scalar():
            assert time.monotonic() < deadline, "the statement never waited for the lock"
            time.sleep(0.02)
