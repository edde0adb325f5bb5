"""What every store class shares: one engine, and a transaction per call.

On SQLite, writers take the write lock when they begin (BEGIN IMMEDIATE), so two writers queue
up behind busy_timeout instead of one failing when it upgrades a read lock to a write lock.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.engine import SQLITE_BEGIN_MODE_OPTION
from bot.store.timestamps import utc_now

Clock = Callable[[], datetime]
Row = TypeVar("Row")


class TransactionalStore:
    """`clock` stamps every row the store writes (created_at, updated_at...). One clock per
    process, given by its wiring point, so a test that moves time moves it everywhere: a store
    reading the machine's clock while the scheduler reads the test's made a test pass or fail by
    the day it ran."""

    def __init__(self, engine: Engine, *, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock
        self._write_engine = engine.execution_options(**{SQLITE_BEGIN_MODE_OPTION: "IMMEDIATE"})

    @property
    def engine(self) -> Engine:
        """The database this store works on, for building a store of another kind beside it."""
        return self._engine

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with Session(self._write_engine, future=True) as session, session.begin():
            yield session

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with Session(self._engine, future=True) as session, session.begin():
            yield session


def insert_or_fetch(session: Session, row: Row, fetch_existing: Callable[[], Row | None]) -> tuple[Row, bool]:
    """Inserts `row` in a savepoint; when a unique constraint refuses it because another
    transaction stored the same thing first, the row that won instead. Returns (row, inserted).

    Raises the IntegrityError when `fetch_existing` finds nothing: then a different constraint
    failed, not the race, and that is a bug to see."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        existing = fetch_existing()
        if existing is None:
            raise
        return existing, False
    return row, True
