"""Which process works through one person's inbound messages, when several instances share a
PostgreSQL database, and which instances are live.

Each process runs at most one worker per person (bot/channels/processing.py), but two instances
can both be woken for the same person. Without a claim, the second one's claim finds the first
one's `processing` message, takes it for a crash left-over and runs it again.

How a claim tells the two apart (bot/store/inbound_queue.py `claim_statement`): the claiming
`UPDATE` writes into the message's `claimed_by` this process's identity, the PostgreSQL session
of the one connection it keeps open for as long as it lives (below): "pid:backend start". The
same statement takes a person's next message only when no message of that person is
`processing` under another identity that is still a session in `pg_stat_activity` (which shows
the pid and start of every session of the same role); the message it takes must itself be
`received`, or `processing` under a gone (or this process's own) identity, a test PostgreSQL
makes again on the row's newest version when another claim changed it meanwhile, so two claims
never both take it. A process that dies loses its session at once, so its messages are taken up
by the next claim, with no lease to wait out and no statement beyond the claim: this replaced a
per-person advisory lock taken and released around every worker (2 statements a turn).

Why this and not another way: a lease (an owner and an expiry on the row) would make a dead
instance's messages wait out the lease, and keeping it fresh costs statements; a heartbeat table
the same. The session is what PostgreSQL itself ends when a process dies, and every instance
already keeps one open for the live-instance lock, so liveness costs nothing to maintain.

- The backend start is part of the identity because PostgreSQL gives a dead session's pid to a
  new one.
- A message left `processing` before revision 0009 (or by a claimer with no identity) has no
  owner and is a left-over.
- A process whose connection was lost (a network cut, a terminated session) gets a new identity
  when it opens another (`keep_alive`, called by the poll, and by a worker that found its
  person's messages held), and then writes it into the rows still `processing` under the old
  one, so its own messages in hand stay its own. Between the loss and that moment another
  instance may take them, as it could take the person under the advisory lock, which went with
  the connection too. A process whose identity is gone claims nothing (the claim checks its
  own identity is live), so it never takes a message under an identity others see as dead.
- PostgreSQL reads `pg_stat_activity` once per transaction: the claim is its transaction's
  only statement, so it sees the sessions as they are.
- Upgrading to revision 0009: stop every instance first (an earlier version names no owner, so
  its messages in hand would look like left-overs).
- Left to the Rasa lock store: a message stored with a lower id but committed after a later one
  of the same person was claimed (two webhooks racing) can be claimed by another instance in the
  instant before that claim commits; the lock store still runs the two turns one at a time, as
  it ran them out of order before.

Every instance also holds a shared lock on LIVE_INSTANCES_KEY on that connection for as long as
it lives. A starting instance that can take it exclusively first is alone, so every row a crash
left `sending` is a dead process's; otherwise a live instance may be sending it right now, and
only rows quiet long enough are recovered (bot/channels/runtime.py).

SQLite (the embedded profile) serves one process, whose own worker map already does this: it has
no identity, and every `processing` message it finds is a left-over, as before.
"""
from __future__ import annotations

import logging
import threading

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from bot.store.vocabulary import DIRECTION_IN, INBOUND_PROCESSING

logger = logging.getLogger(__name__)

# Any constant shared by all instances; names the lock in pg_locks.
LIVE_INSTANCES_KEY = 7_301_994


def session_identity(session: str) -> str:
    """SQL for the identity of the `pg_stat_activity` row `session`: "pid:backend start in
    microseconds since 1970", unique among every session the server has had."""
    return (
        f"({session}.pid::text || ':' || (extract(epoch FROM {session}.backend_start) * 1000000)::bigint::text)"
    )


def live_session_named(identity_sql: str) -> str:
    """SQL: whether `identity_sql` (a column or a parameter) names a live session."""
    return f"EXISTS (SELECT 1 FROM pg_stat_activity AS session WHERE {session_identity('session')} = {identity_sql})"


_OWN_IDENTITY = f"SELECT {session_identity('session')} FROM pg_stat_activity AS session WHERE session.pid = pg_backend_pid()"
# The rows this process had in hand under its previous identity become its new identity's.
_KEEP_OWN_ROWS = (
    "UPDATE messages SET claimed_by = :new WHERE claimed_by = :old"
    " AND direction = :direction_in AND status = :processing"
)


class PersonClaims:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._shared = engine.dialect.name == "postgresql"
        self._connection: Connection | None = None
        self._joined = False  # holds the shared live-instance lock (taken again on reconnect)
        self._identity: str | None = None
        # The workers and the poll call from several threads; one connection serves them one at
        # a time.
        self._guard = threading.Lock()

    @property
    def shared(self) -> bool:
        """Whether other processes may claim the same people (PostgreSQL)."""
        return self._shared

    def owner(self) -> str | None:
        """What this process writes into the messages it claims, and tells its own from: its
        session's identity (learnt when it joined the instances, or else now, once); None on
        SQLite."""
        if not self._shared:
            return None
        if self._identity is None:
            with self._guard:
                self._open()
        return self._identity

    def join_instances(self) -> bool:
        """Counts this process among the live instances until it closes or dies, and learns its
        identity; returns whether it was the only one (always, on SQLite)."""
        if not self._shared:
            return True
        with self._guard:
            connection = self._open()
            alone = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LIVE_INSTANCES_KEY}).scalar())
            if alone:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LIVE_INSTANCES_KEY})
            connection.execute(text("SELECT pg_advisory_lock_shared(:key)"), {"key": LIVE_INSTANCES_KEY})
            self._joined = True
            return alone

    def keep_alive(self) -> None:
        """Checks that this process's session is still there (one statement), and opens another
        if it is not: a new identity, given to the messages this process still has in hand.
        Also keeps an idle connection from being dropped by anything that ends idle ones."""
        if not self._shared or self._identity is None:
            return  # no claim made under an identity yet: nothing to keep
        with self._guard:
            if self._connection is not None:
                try:
                    self._connection.execute(text("SELECT 1"))
                    return
                except Exception:
                    logger.warning("this process's claim connection was lost; opening another")
                    self._discard()
            self._open()

    def close(self) -> None:
        with self._guard:
            self._discard()

    def _open(self) -> Connection:
        """The connection, opened if there is none (under the guard): joins the instances again
        if this process had joined, and takes its (new) identity for its rows in hand."""
        if self._connection is not None:
            return self._connection
        # AUTOCOMMIT: the lock belongs to the session, and no transaction stays open.
        connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            if self._joined:
                connection.execute(text("SELECT pg_advisory_lock_shared(:key)"), {"key": LIVE_INSTANCES_KEY})
            identity = connection.execute(text(_OWN_IDENTITY)).scalar()
            if identity is None:
                raise RuntimeError("this session's own start time is not readable in pg_stat_activity")
            if self._identity is not None and identity != self._identity:
                connection.execute(
                    text(_KEEP_OWN_ROWS),
                    {"new": identity, "old": self._identity, "direction_in": DIRECTION_IN, "processing": INBOUND_PROCESSING},
                )
        except Exception:
            connection.invalidate()
            connection.close()
            raise
        self._connection, self._identity = connection, identity
        return connection

    def _discard(self) -> None:
        if self._connection is not None:
            # Ended, not returned to the pool: the lock and the identity belong to the session.
            self._connection.invalidate()
            self._connection.close()
            self._connection = None
