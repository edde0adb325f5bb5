"""Claims on a person's inbound messages across processes: on PostgreSQL a message in the hands of
a live process is that process's, and its person's later messages wait for it; a process that
dies (its session ended) lets go at once. Each instance has its own engine and PersonClaims, as
two processes would. SQLite serves one process, which takes any `processing` message it finds
for a left-over (its worker map keeps its own workers apart)."""
from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import text

from bot.store import MessageLog, make_engine, migrate
from bot.store.person_claims import LIVE_INSTANCES_KEY, PersonClaims
from tests.postgres import throwaway_postgres_database_with_its_own_role, wait_until_a_statement_waits_for_a_lock


class Instance:
    """What one process has: its engine, its claims (joined) and its message log."""

    def __init__(self, db_url: str) -> None:
        self.engine = make_engine(db_url)
        self.claims = PersonClaims(self.engine)
        self.claims.join_instances()
        self.log = MessageLog(self.engine)

    def claim(self, address: str, channel: str = "twilio"):
        return self.log.next_inbound(channel, address, self.claims.owner())

    def close(self) -> None:
        self.claims.close()
        self.engine.dispose()


@pytest.fixture
def two_instances(db_url):
    instances = [Instance(db_url), Instance(db_url)]
    yield instances
    for instance in instances:
        instance.close()


@pytest.fixture
def postgres_only(backend):
    if backend != "postgresql":
        pytest.skip("PostgreSQL only: one process serves an SQLite database")


def _texts(log: MessageLog, address: str, *texts: str, channel: str = "twilio") -> list[int]:
    return [
        log.record_inbound(channel, address, provider_id="SM" + uuid.uuid4().hex, kind="text", text=body)[0].id
        for body in texts
    ]


def _end_session(engine, owner: str) -> None:
    """What kill -9 (or a lost connection) leaves: the server ends that process's session. The
    timeout waits until the backend has exited, as a dead process's has by the time anyone asks."""
    pid = int(owner.split(":")[0])
    with engine.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid, 10000)"), {"pid": pid}).scalar()


def test_a_message_in_hand_is_not_taken_by_another_instance(backend, two_instances, address):
    first, second = two_instances
    one, two = _texts(first.log, address, "one", "two")
    taken = first.claim(address)
    assert taken.id == one and taken.status == "received"
    if backend == "sqlite":
        # One process per SQLite database: a `processing` message it finds is a left-over.
        assert second.claim(address).id == one
        return
    assert second.claim(address) is None, "the first instance has this person's first message in hand"
    [other] = _texts(second.log, address, "hello", channel="telegram")
    assert second.claim(address, "telegram").id == other, "another person is not held"
    first.log.finish_inbound(one)
    taken = second.claim(address)
    assert taken.id == two and taken.status == "received", "the next message, once the first is done"
    assert first.claim(address) is None
    assert first.log.get(two).status == "processing"


def test_a_process_takes_up_its_own_message_again(backend, two_instances, address):
    """A turn that could not be recorded leaves the message `processing`; its own worker runs it
    again later, knowing it was started (found `processing`)."""
    first, _ = two_instances
    [one] = _texts(first.log, address, "one")
    first.claim(address)
    again = first.claim(address)
    assert again.id == one and again.status == "processing" and again.attempts == 2


@pytest.mark.postgres
def test_a_dead_instance_lets_go_of_its_messages(postgres_only, two_instances, address):
    dying, survivor = two_instances
    [one] = _texts(dying.log, address, "one")
    dying.claim(address)
    assert survivor.claim(address) is None
    _end_session(survivor.engine, dying.claims.owner())
    found = survivor.claim(address)
    assert found.id == one and found.status == "processing", "a left-over, checked against the tracker"


@pytest.mark.postgres
def test_instances_under_a_login_role_that_is_no_superuser_see_each_others_sessions(postgres_only, address):
    """Production connects as a role of its own, no superuser: pg_stat_activity shows the pid and
    start of that role's sessions, which is all the claim asks of it."""
    with throwaway_postgres_database_with_its_own_role() as url:
        migrate(url)
        first, second = Instance(url), Instance(url)
        try:
            [one] = _texts(first.log, address, "one")
            first.claim(address)
            assert second.claim(address) is None
            _end_session(second.engine, first.claims.owner())
            assert second.claim(address).id == one
        finally:
            first.close()
            second.close()


@pytest.mark.postgres
def test_a_claim_that_lost_the_race_for_a_message_takes_nothing(postgres_only, two_instances, address):
    """Both claims aim at the same `received` message; the one that waits for the other's to
    commit must see the message is now in live hands, not a left-over to run again."""
    first, second = two_instances
    [one] = _texts(first.log, address, "one")
    result: list[object] = []
    with first.engine.connect() as connection:
        racing = connection.begin()
        # The first instance's claim, not yet committed: it holds the row.
        connection.execute(
            text("UPDATE messages SET status = 'processing', attempts = 1, claimed_by = :owner WHERE id = :id"),
            {"owner": first.claims.owner(), "id": one},
        )
        claiming = threading.Thread(target=lambda: result.append(second.claim(address)))
        claiming.start()
        wait_until_a_statement_waits_for_a_lock(first.engine, "%UPDATE messages SET status%claimed_by%")
        racing.commit()
        claiming.join()
    assert result == [None]
    assert first.log.get(one).attempts == 1


@pytest.mark.postgres
def test_a_process_whose_session_is_gone_claims_nothing_until_it_has_another(postgres_only, two_instances, address):
    first, second = two_instances
    one, two = _texts(first.log, address, "one", "two")
    first.claim(address)
    old_owner = first.claims.owner()
    _end_session(second.engine, old_owner)
    first.log.finish_inbound(one)
    assert first.claim(address) is None, "nothing is taken under an identity others see as dead"
    first.claims.keep_alive()
    assert first.claims.owner() != old_owner
    assert first.claim(address).id == two


@pytest.mark.postgres
def test_a_process_that_opens_a_new_session_keeps_its_messages_in_hand(postgres_only, two_instances, address):
    first, second = two_instances
    [one] = _texts(first.log, address, "one")
    first.claim(address)
    _end_session(second.engine, first.claims.owner())
    first.claims.keep_alive()  # the poll notices the lost session at once
    assert second.claim(address) is None, "still the first instance's"
    with first.engine.connect() as connection:
        owner = connection.execute(text("SELECT claimed_by FROM messages WHERE id = :id"), {"id": one}).scalar()
    assert owner == first.claims.owner()


@pytest.mark.postgres
def test_an_earlier_message_waits_while_a_later_one_is_in_hand(postgres_only, two_instances, address):
    """A message whose insert committed after a later one of the same person was claimed (two
    webhooks racing): it is not taken while that later one is in another live process's hands."""
    first, second = two_instances
    earlier, later = _texts(first.log, address, "one", "two")
    with first.engine.begin() as connection:
        connection.execute(
            text("UPDATE messages SET status = 'processing', attempts = 1, claimed_by = :owner WHERE id = :id"),
            {"owner": first.claims.owner(), "id": later},
        )
    assert second.claim(address) is None
    first.log.finish_inbound(later)
    assert second.claim(address).id == earlier


@pytest.mark.postgres
def test_a_live_session_that_was_given_a_dead_ones_pid_is_not_its_owner(postgres_only, two_instances, address):
    first, second = two_instances
    [one] = _texts(first.log, address, "one")
    pid_now_someone_elses = first.claims.owner().split(":")[0]
    with first.engine.begin() as connection:
        connection.execute(
            text("UPDATE messages SET status = 'processing', attempts = 1, claimed_by = :owner WHERE id = :id"),
            {"owner": f"{pid_now_someone_elses}:0", "id": one},  # that pid, in a session long gone
        )
    found = second.claim(address)
    assert found.id == one and found.status == "processing"


@pytest.mark.postgres
def test_a_message_left_processing_before_owners_were_recorded_is_a_left_over(postgres_only, two_instances, address):
    first, second = two_instances
    [one] = _texts(first.log, address, "one")
    with first.engine.begin() as connection:
        connection.execute(text("UPDATE messages SET status = 'processing', attempts = 1 WHERE id = :id"), {"id": one})
    found = second.claim(address)
    assert found.id == one and found.status == "processing"


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
            assert first.owner() is None
            return
        assert not second.join_instances()
        assert first.owner() and second.owner() and first.owner() != second.owner()
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
