"""What every store class shares: one engine, and a transaction per call, unless the call is
made inside a unit of work.

On SQLite, writers take the write lock when they begin (BEGIN IMMEDIATE), so two writers queue
up behind busy_timeout instead of one failing when it upgrades a read lock to a write lock.

`unit_of_work(engine)` lets one operation span several stores and commit once: every store call
made inside it on the same database (in the same thread or asyncio task) joins its transaction,
so a crash between two of them leaves nothing half done.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.engine import SQLITE_BEGIN_MODE_OPTION
from bot.store.timestamps import utc_now

Clock = Callable[[], datetime]
Row = TypeVar("Row")

# The unit of work under way in this thread or task, if any: its session, and whether it writes.
_unit: ContextVar[tuple[Session, bool] | None] = ContextVar("unit_of_work", default=None)


def _for_writing(engine: Engine) -> Engine:
    return engine.execution_options(**{SQLITE_BEGIN_MODE_OPTION: "IMMEDIATE"})


@contextmanager
def unit_of_work(engine: Engine, *, writing: bool = True) -> Iterator[Session]:
    """One transaction for every store call made inside, committed once when the block ends, or
    rolled back whole when it raises. A unit inside a unit joins the outer one.

    `writing=False` is for several reads that should cost one transaction: store calls that
    write do not join it (on SQLite they need the write lock taken at BEGIN) and commit alone."""
    joined = _unit.get()
    if joined is not None:
        yield joined[0]
        return
    with Session(_for_writing(engine) if writing else engine, future=True) as session, session.begin():
        token = _unit.set((session, writing))
        try:
            yield session
        finally:
            _unit.reset(token)


class TransactionalStore:
    """`clock` stamps every row the store writes (created_at, updated_at...). One clock per
    process, given by its wiring point, so a test that moves time moves it everywhere: a store
    reading the machine's clock while the scheduler reads the test's made a test pass or fail by
    the day it ran."""

    def __init__(self, engine: Engine, *, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock
        self._write_engine = _for_writing(engine)

    @property
    def engine(self) -> Engine:
        """The database this store works on, for building a store of another kind beside it."""
        return self._engine

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        joined = self._joined_unit(writing=True)
        if joined is not None:
            yield joined
            return
        with Session(self._write_engine, future=True) as session, session.begin():
            yield session

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        joined = self._joined_unit(writing=False)
        if joined is not None:
            yield joined
            return
        with Session(self._engine, future=True) as session, session.begin():
            yield session

    def _joined_unit(self, *, writing: bool) -> Session | None:
        """The unit of work under way, when it is on this store's database and can take this
        call (a write joins only a writing unit)."""
        unit = _unit.get()
        if unit is None:
            return None
        session, unit_writes = unit
        if (writing and not unit_writes) or session.get_bind().url != self._engine.url:
            return None
        return session


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
