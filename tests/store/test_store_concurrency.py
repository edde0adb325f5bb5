"""Two processes handling the same seeker at the same moment must both succeed.

Each thread gets its own engine, as a separate process would, so they share no pool.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Engine

from bot import answers as answer
from bot.store import IntakeStore, make_engine
from bot.store.engine import SQLITE_BEGIN_MODE_OPTION
from bot.store.models import ConsentEvent, Screening, Seeker
from bot.store.timestamps import utc_now

ROUNDS = 8

OPERATIONS: dict[str, Callable[[IntakeStore, str, int], Any]] = {
    "consent_notice": lambda store, address, n: store.record_consent_notice(
        "twilio", address, "es" if n else "en"
    ),
    "save_answers": lambda store, address, n: store.save_answers(
        "twilio", address, {answer.AGE: 20 + n}
    ),
    "opt_out": lambda store, address, n: store.record_opt_out("twilio", address, "STOP"),
    "complete": lambda store, address, n: store.complete_screening(
        "twilio", address, {answer.AGE: 20 + n}, {"n": n}, "v1"
    ),
}


def _run_together(work: list[Callable[[], Any]]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(work))

    def run(job: Callable[[], Any]) -> None:
        start.wait()
        try:
            job()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _count(engine: Engine, statement: Any) -> int:
    with engine.connect() as connection:
        return connection.execute(statement).scalar_one()


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_two_processes_same_new_seeker(db_url: str, engine: Engine, operation: str) -> None:
    engines = [make_engine(db_url), make_engine(db_url)]
    stores = [IntakeStore(each) for each in engines]
    addresses = [f"+1555{uuid.uuid4().int % 10**11:011d}" for _ in range(ROUNDS)]
    try:
        for address in addresses:
            jobs = [
                lambda s=s, n=n, a=address: OPERATIONS[operation](s, a, n)
                for n, s in enumerate(stores)
            ]
            errors = _run_together(jobs)
            assert errors == []
    finally:
        for each in engines:
            each.dispose()

    for address in addresses:
        seekers = _count(
            engine,
            select(func.count()).select_from(Seeker).where(Seeker.address == address),
        )
        assert seekers == 1
        seeker = IntakeStore(engine).find_seeker("twilio", address)
        assert seeker is not None
        seeker_id = seeker.id
        open_screenings = _count(
            engine,
            select(func.count())
            .select_from(Screening)
            .where(Screening.seeker_id == seeker_id, Screening.status == "in_progress"),
        )
        assert open_screenings <= 1
        if operation in ("consent_notice", "opt_out"):
            events = _count(
                engine,
                select(func.count())
                .select_from(ConsentEvent)
                .where(ConsentEvent.seeker_id == seeker_id),
            )
            assert events == 2  # neither call's event was lost
        if operation == "complete":
            latest = IntakeStore(engine).latest_screening("twilio", address)
            assert latest is not None and latest.status == "complete"


def test_concurrent_answers_are_all_kept(db_url: str, address: str) -> None:
    """Each message merges its answer under the seeker's row lock: no update is lost."""
    names = [answer.ZIP_CODE, answer.AGE, answer.VETERAN, answer.SECTORS]
    values: dict[str, Any] = {
        answer.ZIP_CODE: "60623",
        answer.AGE: 22,
        answer.VETERAN: False,
        answer.SECTORS: ["it"],
    }
    engines = [make_engine(db_url) for _ in names]
    try:
        errors = _run_together(
            [
                lambda e=e, name=name: IntakeStore(e).save_answers(
                    "twilio", address, {name: values[name]}
                )
                for e, name in zip(engines, names)
            ]
        )
        assert errors == []
        screening = IntakeStore(engines[0]).latest_screening("twilio", address)
    finally:
        for each in engines:
            each.dispose()
    assert screening is not None and screening.answers == values


def test_losing_the_insert_race_reads_the_winner(
    backend: str, db_url: str, address: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Force the race: another transaction inserts the seeker while we are about to.

    The other transaction holds its uncommitted row until our store call is blocked on it.
    On PostgreSQL our INSERT then fails on the unique constraint, which the store must absorb;
    on SQLite our transaction waits for the write lock and finds the row.
    """
    rival_engine = make_engine(db_url).execution_options(
        **{SQLITE_BEGIN_MODE_OPTION: "IMMEDIATE"}
    )
    our_engine = make_engine(db_url)
    caplog.set_level(logging.DEBUG, logger="bot.store")
    try:
        with rival_engine.connect() as rival:
            transaction = rival.begin()
            now = utc_now()
            rival.execute(
                insert(Seeker).values(
                    channel="twilio",
                    address=address,
                    language="en",
                    consent_status="pending",
                    created_at=now,
                    updated_at=now,
                )
            )
            outcome: list[Any] = []
            our_store = IntakeStore(our_engine)
            ours = threading.Thread(
                target=lambda: outcome.append(
                    _capture(lambda: our_store.record_consent_notice("twilio", address, "es"))
                )
            )
            ours.start()
            _wait_until_blocked(backend, db_url, ours)
            transaction.commit()
            ours.join(timeout=30)
        assert len(outcome) == 1 and not isinstance(outcome[0], BaseException), outcome
        assert outcome[0].language == "es" and outcome[0].created_at == now
        if backend == "postgresql":
            assert "created concurrently" in caplog.text
    finally:
        rival_engine.dispose()
        our_engine.dispose()


def _capture(job: Callable[[], Any]) -> Any:
    try:
        return job()
    except BaseException as error:
        return error


def _wait_until_blocked(backend: str, db_url: str, ours: threading.Thread) -> None:
    if backend != "postgresql":
        time.sleep(0.5)  # SQLite: our BEGIN IMMEDIATE waits on the rival's write lock
        assert ours.is_alive()
        return
    # A separate connection: pg_stat_activity is frozen for the length of a transaction.
    watcher = make_engine(db_url)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and ours.is_alive():
            with watcher.connect() as connection:
                waiting = connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                ).scalar_one()
            if waiting:
                return
            time.sleep(0.05)
    finally:
        watcher.dispose()
    pytest.fail("our insert never blocked on the rival's uncommitted row")
