"""Build a SQLAlchemy engine tuned for the backend behind the URL.

Nothing here runs at import time: callers decide when a connection pool exists.
Engines hide bound parameters from SQL logs and error messages, because the parameters are
phone numbers and answers.
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine, make_url
from sqlalchemy.pool import QueuePool

from bot.store.config import database_url, normalize_url
from bot.store.statement_trace import trace_if_asked

# How long a SQLite writer waits for another writer before giving up, in milliseconds.
# Intake traffic is a few messages a second at most, so waiting is better than failing.
SQLITE_BUSY_TIMEOUT_MS = 15_000

# Execution option read by the SQLite "begin" hook. The store sets it to "IMMEDIATE" for
# writes so the write lock is taken up front: a deferred transaction that reads first and
# writes later can fail at once with "database is locked" instead of waiting.
SQLITE_BEGIN_MODE_OPTION = "sqlite_begin_mode"

# Execution option: when set (seconds), a writer waiting for SQLite's write lock retries every
# that often instead of through SQLite's busy handler, whose naps grow to 100 ms each: under
# steady writing from other processes such a waiter wakes after the lock was taken again and
# can wait several hundred ms. The webhook ingest process sets it, so its inserts, which a
# webhook answer waits for, get the lock within about one interval of it being free.
SQLITE_LOCK_POLL_OPTION = "sqlite_lock_poll_seconds"


def make_engine(url: str | None = None) -> Engine:
    """A future-style engine for `url` (default: `database_url()`)."""
    resolved = make_url(normalize_url(url or database_url()))
    if resolved.get_backend_name() == "sqlite":
        engine = _make_sqlite_engine(resolved)
    else:
        options: dict[str, Any] = {"future": True, "hide_parameters": True}
        if resolved.get_backend_name() == "postgresql":
            # Connections dropped by the server or a proxy are replaced instead of failing a request.
            options["pool_pre_ping"] = True
        engine = create_engine(resolved, **options)
    trace_if_asked(engine)
    return engine


def _make_sqlite_engine(url: Any) -> Engine:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    file_backed = bool(database) and database != ":memory:" and "mode=memory" not in str(url)
    engine = create_engine(
        url,
        future=True,
        hide_parameters=True,
        # Rasa's action server answers from worker threads; the pool hands out one
        # connection per thread at a time, so sharing across threads is safe.
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        # SQLAlchemy 1.4 opens a new SQLite connection per transaction by default; measured,
        # connecting and setting it up was a quarter of the action server's time per message.
        **({"poolclass": QueuePool, "pool_size": 5, "max_overflow": 10} if file_backed else {}),
    )
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see
    # _begin_sqlite_transaction); the module's own guessing breaks SAVEPOINT and DDL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # In WAL mode NORMAL still survives any crash of our processes; only a power cut can
        # lose the last commits. FULL would fsync every commit (about 20 ms each here).
        cursor.execute("PRAGMA synchronous=NORMAL")
        # WAL lets readers go on while one writer writes; it is a no-op for in-memory databases.
        _switch_to_wal(cursor)
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    """Switching the journal mode needs the file to itself, and SQLite's busy handler does not
    wait for that: when another process is writing (two migrations starting at once), retry."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _begin_sqlite_transaction(connection: Any) -> None:
    options = connection.get_execution_options()
    mode = options.get(SQLITE_BEGIN_MODE_OPTION, "DEFERRED")
    if mode not in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE"):
        raise ValueError(f"unknown SQLite begin mode {mode!r}")
    poll_seconds = options.get(SQLITE_LOCK_POLL_OPTION)
    if mode == "DEFERRED" or not poll_seconds:
        connection.exec_driver_sql(f"BEGIN {mode}")
        return
    _begin_polling_for_the_lock(connection.connection, mode, float(poll_seconds))


def _begin_polling_for_the_lock(dbapi_connection: Any, mode: str, poll_seconds: float) -> None:
    """BEGIN IMMEDIATE/EXCLUSIVE, retried every `poll_seconds` while another connection writes,
    up to the usual busy timeout. Only BEGIN can meet the lock: in WAL mode a transaction that
    holds it never waits again, so the busy handler is restored for the rest of it."""
    cursor = dbapi_connection.cursor()
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    try:
        cursor.execute("PRAGMA busy_timeout=0")
        while True:
            try:
                cursor.execute(f"BEGIN {mode}")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(poll_seconds)
    finally:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()
