"""Which process works through one person's inbound messages, when several instances share a
PostgreSQL database.

Each process runs at most one worker per person (bot/channels/processing.py), but two instances
can both be woken for the same person. Without a claim, the second one's `next_inbound` finds the
first one's `processing` message, takes it for a crash left-over and runs it again. So a worker
first claims the person: a session-level advisory lock, held on one connection this process keeps
for the purpose. It is released when the worker is done, or by PostgreSQL when the process dies
(its connection closes), so a crashed instance's messages are taken up by another at once, with no
lease to wait out. Under the claim, a `processing` message really is a left-over.

Every instance also holds a shared lock on LIVE_INSTANCES_KEY on that connection for as long as
it lives. A starting instance that can take it exclusively first is alone, so every row a crash
left `sending` is a dead process's; otherwise a live instance may be sending it right now, and
only rows quiet long enough are recovered (bot/channels/runtime.py).

SQLite (the embedded profile) serves one process, whose own worker map already does this.
"""
from __future__ import annotations

import hashlib
import threading

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

# In the same key space as the person keys (64-bit digests), which hit it with odds of 2^-64.
LIVE_INSTANCES_KEY = 7_301_994


def person_lock_key(channel: str, address: str) -> int:
    """A signed 64-bit advisory-lock key for the person (a collision only makes two people wait
    for each other across processes, never mixes their messages)."""
    digest = hashlib.blake2b(f"person:{channel}:{address}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class PersonClaims:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._shared = engine.dialect.name == "postgresql"
        self._connection: Connection | None = None
        self._joined = False  # holds the shared live-instance lock (taken again on reconnect)
        # The workers call from several threads; one connection serves them one at a time.
        self._guard = threading.Lock()

    def try_claim(self, channel: str, address: str) -> bool:
        """True: this process now works on the person until `release`. False: another process
        does (the caller waits for it to let go: bot/channels/processing.py)."""
        if not self._shared:
            return True
        return bool(self._run("SELECT pg_try_advisory_lock(:key)", person_lock_key(channel, address)))

    def release(self, channel: str, address: str) -> None:
        if not self._shared:
            return
        self._run("SELECT pg_advisory_unlock(:key)", person_lock_key(channel, address))

    def join_instances(self) -> bool:
        """Counts this process among the live instances until it closes or dies; returns whether
        it was the only one (always, on SQLite)."""
        if not self._shared:
            return True
        alone = bool(self._run("SELECT pg_try_advisory_lock(:key)", LIVE_INSTANCES_KEY))
        if alone:
            self._run("SELECT pg_advisory_unlock(:key)", LIVE_INSTANCES_KEY)
        self._run("SELECT pg_advisory_lock_shared(:key)", LIVE_INSTANCES_KEY)
        self._joined = True
        return alone

    def close(self) -> None:
        with self._guard:
            if self._connection is not None:
                # Ended, not returned to the pool: the locks belong to the session and must go.
                self._connection.invalidate()
                self._connection.close()
                self._connection = None

    def _run(self, statement: str, key: int) -> object:
        with self._guard:
            if self._connection is None:
                # AUTOCOMMIT: the lock belongs to the session, and no transaction stays open.
                self._connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                if self._joined:
                    self._connection.execute(text("SELECT pg_advisory_lock_shared(:key)"), {"key": LIVE_INSTANCES_KEY})
            try:
                return self._connection.execute(text(statement), {"key": key}).scalar()
            except Exception:
                # The connection is gone (a database restart), and the locks with it: the next
                # call opens a new one. The caller's worker stops and the poll wakes it again.
                self._connection.invalidate()
                self._connection.close()
                self._connection = None
                raise
