"""Rasa's SQL tracker store, made fit for a texting assistant on one machine.

Measured on a full intake (py-spy on the Rasa server): reading every conversation back from the
database and rebuilding it event by event on each message took about a fifth of the server's CPU,
and SQLite's default fsync on every commit most of the saving. This subclass keeps Rasa's schema
and behaviour and adds two things:

- SQLite through a pool of connections in WAL mode with synchronous=NORMAL: still safe when any
  of our processes crashes.
- A turn marked lost (bot/turn_recording.py) is refused, so Rasa's fail-safe wrapper, told to
  raise, fails the turn instead of keeping it in memory only.
- A tracker read or saved here knows how many of its events are stored, so saving it after a turn
  is one multi-row INSERT, without Rasa's count of the stored events first.
- Optionally (`cache_trackers: true`, only where one Rasa process owns the store, as in the
  embedded profile), a write-through cache of the conversations in memory. The database stays the
  record: a conversation is re-read whenever the cached copy holds events that were never saved.
"""
from __future__ import annotations

import itertools
import json
import weakref
from typing import Any, Optional, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker

from bot.store import make_engine
from bot.store.statement_trace import trace_if_asked
from bot.turn_recording import refuse_to_save_a_lost_turn


# Conversations whose stored event count is remembered before dead entries are swept.
_COUNTS_KEPT = 10_000


class IntakeTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, cache_trackers: bool = False, **kwargs: Any) -> None:
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
        self._cache: dict[str, DialogueStateTracker] | None = {} if cache_trackers else None
        # How many events of each cached conversation's latest session are in the database.
        self._stored: dict[str, int] = {}
        # Sender id -> (the tracker object last read or saved, its events then in the database).
        self._counted: dict[str, tuple[weakref.ref, int]] = {}

    def _cached(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        if self._cache is None:
            return None
        tracker = self._cache.get(sender_id)
        if tracker is not None and len(tracker.events) != self._stored.get(sender_id):
            # Someone changed the tracker without saving it (a failed turn): trust the database.
            del self._cache[sender_id]
            return None
        return tracker

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        tracker = self._cached(sender_id)
        if tracker is not None:
            return tracker
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._note_stored(tracker)
            if self._cache is not None:
                self._cache[sender_id] = tracker
                self._stored[sender_id] = len(tracker.events)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        refuse_to_save_a_lost_turn()  # a turn whose action server call failed runs again whole
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        already = self._known_stored(tracker)
        with self.session_scope() as session:
            if already is None:
                already = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()
            rows = [self._row(sender_id, new_event) for new_event in itertools.islice(tracker.events, already, None)]
            if rows:
                # One multi-row INSERT instead of an ORM object per event.
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
        if self._starts_new_session(tracker, already):
            # A new session's events are read back from where it started; let the database say so.
            self._counted.pop(sender_id, None)
            if self._cache is not None:
                self._cache.pop(sender_id, None)
                self._stored.pop(sender_id, None)
            return
        self._note_stored(tracker)
        if self._cache is not None:
            self._cache[sender_id] = tracker
            self._stored[sender_id] = len(tracker.events)

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
    def _starts_new_session(tracker: DialogueStateTracker, already: int) -> bool:
        return any(
            isinstance(e, ActionExecuted) and e.action_name == ACTION_SESSION_START_NAME
            for e in itertools.islice(tracker.events, already, None)
        )
