"""Claims on a person's inbound messages across processes: on PostgreSQL one process at a time
holds a person, and a process that dies (its connection closed) lets go at once. Each PersonClaims
has its own engine, as two instances would."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from bot.store import make_engine
from bot.store.person_claims import LIVE_INSTANCES_KEY, PersonClaims, person_lock_key


@pytest.fixture
def two_instances(db_url):
    engines = [make_engine(db_url), make_engine(db_url)]
    claims = [PersonClaims(engine) for engine in engines]
    yield claims
    for claim, engine in zip(claims, engines):
        claim.close()
        engine.dispose()


def test_one_instance_at_a_time_holds_a_person(backend, two_instances, address):
    first, second = two_instances
    assert first.try_claim("twilio", address)
    if backend == "sqlite":
        # One process serves an SQLite database; its worker map keeps one worker per person.
        assert second.try_claim("twilio", address)
        return
    assert not second.try_claim("twilio", address)
    assert second.try_claim("telegram", address), "another person is not held"
    first.release("twilio", address)
    assert second.try_claim("twilio", address)
    assert not first.try_claim("twilio", address)


@pytest.mark.postgres
def test_a_dead_instance_lets_go_of_its_people(db_url, address):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    engine, survivor_engine = make_engine(db_url), make_engine(db_url)
    dying, survivor = PersonClaims(engine), PersonClaims(survivor_engine)
    try:
        assert dying.try_claim("twilio", address)
        assert not survivor.try_claim("twilio", address)
        # What kill -9 leaves: the server ends the dead process's session. Termination is
        # asynchronous; the timeout (PostgreSQL 14+) waits until the backend has exited and its
        # locks are gone, as a dead process's are by the time anyone asks.
        unsigned = person_lock_key("twilio", address) & 0xFFFFFFFFFFFFFFFF
        with survivor_engine.connect() as connection:
            ended = connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = 'advisory'"
                    " AND granted AND classid = :high AND objid = :low AND objsubid = 1"
                ),
                {"high": unsigned >> 32, "low": unsigned & 0xFFFFFFFF},
            ).scalars().all()
        assert ended == [True]
        assert survivor.try_claim("twilio", address)
    finally:
        dying.close()
        survivor.close()
        engine.dispose()
        survivor_engine.dispose()


def wait_until_the_server_has_ended_their_sessions(engine, seconds: float = 10.0) -> None:
    """A closed connection's backend exits a moment later (PostgreSQL notices the closed socket);
    until then its session locks are still granted, as they would be for a process still dying."""
    deadline = time.monotonic() + seconds
    with engine.connect() as connection:
        while connection.execute(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = 0 AND objid = :key AND objsubid = 1"
            ),
            {"key": LIVE_INSTANCES_KEY},
        ).scalar():
            assert time.monotonic() < deadline, "the closed sessions still hold their locks"
            time.sleep(0.05)


def test_a_starting_instance_learns_whether_another_is_live(backend, db_url):
    engines = [make_engine(db_url) for _ in range(4)]
    first, second, third, fourth = (PersonClaims(engine) for engine in engines)
    try:
        assert first.join_instances()
        if backend == "sqlite":
            assert second.join_instances()  # one process per SQLite database
            return
        assert not second.join_instances()
        first.close()  # as when it dies: its connection ends
        assert not third.join_instances(), "the second instance is still live"
        second.close()
        third.close()
        wait_until_the_server_has_ended_their_sessions(engines[3])
        assert fourth.join_instances(), "every other instance is gone"
    finally:
        for claims in (first, second, third, fourth):
            claims.close()
        for engine in engines:
            engine.dispose()
