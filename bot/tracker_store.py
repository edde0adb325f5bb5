"""Rasa's SQL tracker store, made fit for a texting assistant on one machine.

Measured on a full intake (py-spy on the Rasa server): reading every conversation back from the
database and rebuilding it event by event on each message took about a fifth of the server's CPU,
and SQLite's default fsync on every commit most of the saving. This subclass keeps Rasa's schema
and behaviour and adds these:

- SQLite through a pool of connections in WAL mode with synchronous=NORMAL: still safe when any
  of our processes crashes.
- A turn marked lost (bot/turn_recording.py) is refused, so Rasa's fail-safe wrapper, told to
  raise, fails the turn instead of keeping it in memory only.
- A tracker read or saved here knows how many of its events are stored, so saving it after a turn
  is one multi-row INSERT, without Rasa's count of the stored events first.
- Optionally (`cache_trackers: true`), a write-through cache of the latest conversations in
  memory (least recently used dropped beyond `TRACKER_CACHE_SIZE`), so a turn needs no read. The
  database stays the record: a conversation is re-read whenever the cached copy holds events that
  were never saved. A copy always holds what a read would return: after a turn that began a new
  Rasa session, the events since that session's start, as Rasa reads them.
  With `versioned_cache: false` (the embedded profile) one Rasa process owns the store and its
  copy is always current. With `versioned_cache: true` (production: several Rasa servers share
  the store) a copy is used only for a turn whose claim read the conversation at the copy's
  version, the id of its newest stored event (bot/tracker_versions.py), and saving a turn made on
  a copy inserts its events only if no other event of that conversation was stored meanwhile;
  otherwise the turn is not recorded and runs again (bot/turn_recording.py), on a fresh read.
"""
from __future__ import annotations

import collections
import itertools
import json
import os
import threading
import weakref
from dataclasses import dataclass
from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker

from bot import tracker_versions
from bot.store import make_engine
from bot.store.statement_trace import trace_if_asked
from bot.turn_recording import refuse_to_save_a_lost_turn


# Conversations whose stored event count is remembered before dead entries are swept.
_COUNTS_KEPT = 10_000

TRACKER_CACHE_SIZE_SETTING = "TRACKER_CACHE_SIZE"
# Conversations kept in memory. A cached conversation is its latest session only, about a dozen
# messages once the intake is over (bot/sessions.py): about 0.1 MB for 12 messages (107 events,
# measured with tracemalloc), so about 100 MB when full. Those who texted last are kept; a WARN campaign's
# thousands of recipients cost one read each when they answer after others have pushed them out.
DEFAULT_TRACKER_CACHE_SIZE = 1000

_EVENT_COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")


def tracker_cache_size() -> int:
    return int(os.environ.get(TRACKER_CACHE_SIZE_SETTING) or DEFAULT_TRACKER_CACHE_SIZE)


class StaleTrackerCopy(Exception):
    """Another Rasa server stored events of this conversation after the copy a turn ran on: the
    turn is not recorded (Rasa's fail-safe wrapper raises TurnNotRecorded) and runs again."""


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    stored: int  # how many of its events are in the database
    version: Optional[int]  # the id of its newest stored event (versioned cache only)


class TrackerCache:
    """The conversations last read or saved, the least recently used dropped beyond `size`.
    Locked: Rasa's HTTP API (its own event loop) and the inbound processor (the dialogue thread's)
    share the store."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"{TRACKER_CACHE_SIZE_SETTING} must be at least 1, not {size}")
        self.size = size
        self._entries: collections.OrderedDict[str, _Cached] = collections.OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, sender_id: str) -> Optional[_Cached]:
        with self._lock:
            entry = self._entries.get(sender_id)
            if entry is not None:
                self._entries.move_to_end(sender_id)
            return entry

    def put(self, sender_id: str, entry: _Cached) -> None:
        with self._lock:
            self._entries[sender_id] = entry
            self._entries.move_to_end(sender_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def pop(self, sender_id: str) -> Optional[_Cached]:
        with self._lock:
            return self._entries.pop(sender_id, None)


class IntakeTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        *args: Any,
        cache_trackers: bool = False,
        versioned_cache: bool = False,
        cache_size: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # Rasa's engine opens a new SQLite connection for every read and write (SQLAlchemy
            # 1.4's default for files); a pool of tuned connections is kept instead.
            # The store's own engine builder does exactly that (WAL, synchronous=NORMAL, busy
            # timeout), so both databases are tuned the same way.
            url = self.engine.url.render_as_string(hide_password=False)
            self.engine.dispose()
            self.engine = make_engine(url)
            self.sessionmaker = sessionmaker(bind=self.engine)
        else:
            # Rasa's own engine: counted with ours when statements are traced (a turn's count).
            trace_if_asked(self.engine)
        if versioned_cache and self.engine.dialect.name == "sqlite":
            raise ValueError("versioned_cache needs PostgreSQL (INSERT ... RETURNING)")
        self._versioned = versioned_cache
        self._cache = TrackerCache(cache_size or tracker_cache_size()) if cache_trackers else None
        # Sender id -> (the tracker object last read or saved, its events then in the database).
        self._counted: dict[str, tuple[weakref.ref, int]] = {}

    def _cached(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        if self._cache is None:
            return None
        entry = self._cache.get(sender_id)
        if entry is None:
            return None
        if len(entry.tracker.events) != entry.stored:
            # Someone changed the tracker without saving it (a failed turn): trust the database.
            self._cache.pop(sender_id)
            return None
        if self._versioned and tracker_versions.handed_version(sender_id) != entry.version:
            # Another instance stored events since, or no claim read the version for this read.
            return None
        return entry.tracker

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        tracker = self._cached(sender_id)
        if tracker is not None:
            return tracker
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._note_stored(tracker)
            if self._cache is not None and not self._versioned:
                # Read whole from the database this process alone writes: current until saved.
                # (A shared store's copy is kept only once saved, with its version.)
                self._cache.put(sender_id, _Cached(tracker, len(tracker.events), None))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        refuse_to_save_a_lost_turn()  # a turn whose action server call failed runs again whole
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        already = self._known_stored(tracker)
        copy = self._cache.pop(sender_id) if self._cache is not None else None
        # The version the turn's tracker stands on, when it is a shared store's cached copy.
        based_on = copy.version if self._versioned and copy is not None and copy.tracker is tracker else None
        with self.session_scope() as session:
            if already is None:
                already = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()
            rows = [self._row(sender_id, new_event) for new_event in itertools.islice(tracker.events, already, None)]
            if not rows:
                version = based_on
            elif self._versioned:
                version = self._insert_returning_newest(session, sender_id, rows, based_on)
            else:
                # One multi-row INSERT instead of an ORM object per event.
                session.execute(self.SQLEvent.__table__.insert(), rows)
                version = None
            session.commit()
        if self._starts_a_session(tracker, already):
            # A read returns the new session only: keep what it would return.
            tracker = self._latest_session_as_read(tracker)
        self._note_stored(tracker)
        if self._cache is not None and (version is not None or not self._versioned):
            self._cache.put(sender_id, _Cached(tracker, len(tracker.events), version))

    def _insert_returning_newest(
        self, session: Any, sender_id: Text, rows: list[dict[str, Any]], based_on: Optional[int]
    ) -> int:
        """Inserts `rows` in one statement and returns the id of the newest. `based_on`: the
        version of the cached copy the turn ran on; the rows are inserted only if the
        conversation's newest stored event is still that one, else StaleTrackerCopy."""
        table = self.SQLEvent.__table__
        if based_on is None:
            statement = table.insert().values(rows)
        else:
            new_events = sa.values(*(sa.column(name, table.c[name].type) for name in _EVENT_COLUMNS), name="new_events")
            newest_stored = sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sender_id).scalar_subquery()
            statement = table.insert().from_select(
                _EVENT_COLUMNS,
                sa.select(new_events.data([tuple(row[name] for name in _EVENT_COLUMNS) for row in rows])).where(
                    newest_stored == based_on
                ),
            )
        inserted = session.execute(statement.returning(table.c.id)).scalars().all()
        if not inserted:
            raise StaleTrackerCopy(f"the conversation changed after version {based_on}")
        return max(inserted)

    def _latest_session_as_read(self, tracker: DialogueStateTracker) -> DialogueStateTracker:
        """The tracker `retrieve` would now read from the database, without reading it: Rasa's
        read (SQLTrackerStore._event_query) takes the events whose timestamp is not before the
        latest session start's, and rebuilds the tracker from their stored JSON (with the
        domain's slots and no event history limit, as SQLTrackerStore._retrieve). The in-memory
        tracker holds every event of the database's latest sessions it was read with, so the
        same filter over its events gives the same events, as long as the clock does not go
        back (which would upset Rasa's own read too)."""
        session_start = max(event.timestamp for event in tracker.events if isinstance(event, SessionStarted))
        stored = [json.loads(json.dumps(event.as_dict())) for event in tracker.events if event.timestamp >= session_start]
        return DialogueStateTracker.from_dict(tracker.sender_id, stored, self.domain.slots)

    def _note_stored(self, tracker: DialogueStateTracker) -> None:
        """`tracker`, as read or just saved, has all its events in the database: saving it
        later needs no count of them first (Rasa's save asks the database every time). Only this
        very object: one a turn changed without saving is never handed out again here, and a
        turn holds the conversation's lock from its read to its save."""
        if len(self._counted) > _COUNTS_KEPT:
            self._counted = {key: value for key, value in self._counted.items() if value[0]() is not None}
        self._counted[tracker.sender_id] = (weakref.ref(tracker), len(tracker.events))

    def _known_stored(self, tracker: DialogueStateTracker) -> Optional[int]:
        """How many of `tracker`'s events are in the database, when this process read or saved
        this very object last; None when the database must be asked."""
        noted = self._counted.pop(tracker.sender_id, None)
        if noted is None or noted[0]() is not tracker:
            return None
        return noted[1]

    @staticmethod
    def _row(sender_id: Text, new_event: Any) -> dict[str, Any]:
        data = new_event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": new_event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    @staticmethod
    def _starts_a_session(tracker: DialogueStateTracker, already: int) -> bool:
        """Whether the events just saved began a session (Rasa's action_session_start, or any
        other way a SessionStarted event is added): a read would then begin there."""
        return any(isinstance(event, SessionStarted) for event in itertools.islice(tracker.events, already, None))
