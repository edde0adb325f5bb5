"""The tracker store's cache of conversations (bot/tracker_store.py) hands a turn exactly what a
read from the database would, without reading: after a turn that began a Rasa session (the first
contact, a session cut at rest by bot/sessions.py, the turn after a restart) too. It keeps the
latest conversations only, and where several Rasa servers share the store (production) a copy is
used only at the version the message's claim read, and a turn made on a copy that another server
overtook is not saved."""
from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.actions.action import ActionSessionStart
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_RESTART_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Restarted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, event, text

from bot import tracker_versions
from bot.cli.settings import tracker_store_config
from bot.sessions import BoundedSessionProcessor, carried_over_slots, session_is_full
from bot.tracker_store import TRACKER_CACHE_SIZE_SETTING, IntakeTrackerStore, StaleTrackerCopy
from tests.postgres import throwaway_postgres_database

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "flows"))
SESSION_LIMIT = 3  # messages a session holds before it may be cut at rest
_message_ids = itertools.count(1)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def tracker_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    with throwaway_postgres_database() as url:
        yield url


@pytest.fixture(autouse=True)
def sessions_as_in_the_rasa_server(monkeypatch) -> None:
    monkeypatch.setattr(ActionSessionStart, "_slot_set_events_from_tracker", staticmethod(carried_over_slots))


def _store(url: str, *, cache: bool = True, size: int | None = None) -> IntakeTrackerStore:
    """The store as the profile of `url` configures it: cached and owned on SQLite (embedded),
    cached by version on PostgreSQL (production)."""
    config = tracker_store_config(url, cache_trackers=cache, versioned_cache=cache and url.startswith("postgres"))
    config.pop("type")
    return IntakeTrackerStore(DOMAIN, **config, **({"cache_size": size} if size else {}))


class Statements:
    """Counts the statements `store` sends."""

    def __init__(self, store: IntakeTrackerStore) -> None:
        self.count = 0
        event.listen(store.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: object) -> None:
        self.count += 1


def _processor() -> BoundedSessionProcessor:
    """The Rasa server's message processor, as far as a session's start needs it."""
    processor = BoundedSessionProcessor.__new__(BoundedSessionProcessor)
    processor.domain = DOMAIN
    processor.action_endpoint = None
    processor.nlg = None
    processor.session_messages = SESSION_LIMIT
    return processor


def _newest_event_id(url: str, sender: str) -> int | None:
    """What the claim of `sender`'s message reads as the conversation's version."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT max(id) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    finally:
        engine.dispose()


async def _turn(store: IntakeTrackerStore, url: str, sender: str, said: str, *events, metadata=None) -> DialogueStateTracker:
    """One dialogue turn as Rasa's processor runs it: the tracker got, its session started when
    it is new, expired or full and at rest (bot/sessions.py), the message and what the dialogue
    did, saved. On PostgreSQL the claim's version is handed over first (processing.py)."""
    if url.startswith("postgres"):
        tracker_versions.hand_over(sender, _newest_event_id(url, sender))
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    await _processor()._update_tracker_session(tracker, CollectingOutputChannel(), metadata)
    tracker.update(UserUttered(said, {"name": "inform", "confidence": 0.9}, message_id=str(next(_message_ids))), DOMAIN)
    for happened in events:
        tracker.update(happened, DOMAIN)
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    await store.save(tracker)
    return tracker


def _answered(text_: str) -> list:
    return [ActionExecuted("utter_answer"), BotUttered(text_)]


async def _assert_cached_equals_a_read(store: IntakeTrackerStore, url: str, sender: str) -> None:
    """As the next turn's read: on PostgreSQL with the version its claim would read."""
    if url.startswith("postgres"):
        tracker_versions.hand_over(sender, _newest_event_id(url, sender))
    statements = Statements(store)
    cached = await store.retrieve(sender)
    assert statements.count == 0, "the cached copy is used: no read"
    read = await _store(url, cache=False).retrieve(sender)
    assert [e.as_dict() for e in cached.events] == [e.as_dict() for e in read.events]
    assert cached.current_slot_values() == read.current_slot_values()
    assert cached.active_loop_name == read.active_loop_name
    assert _message(cached.latest_message) == _message(read.latest_message)
    assert [e.as_dict() for e in cached.applied_events()] == [e.as_dict() for e in read.applied_events()]


def _message(latest: UserUttered) -> dict:
    """The latest message as stored; after a restart Rasa makes an empty one, stamped when the
    tracker is rebuilt (in the read as in the copy), so its time is left out."""
    message = latest.as_dict()
    if latest.text is None:
        message.pop("timestamp")
    return message


def _sessions_in(tracker: DialogueStateTracker) -> int:
    return sum(1 for e in tracker.events if isinstance(e, SessionStarted))


def test_after_each_session_start_the_cached_tracker_is_what_a_read_returns(tracker_url):
    store, sender = _store(tracker_url), "+13125550101"

    async def conversation() -> None:
        # The first contact starts the first session (with the channel's metadata, which Rasa
        # sets as a slot before the session starts: a read leaves it out).
        first = await _turn(store, tracker_url, sender, "hi", *_answered("Hi! First name?"), ActiveLoop("intake_form"),
                            metadata={"keyword_language": "en"})
        assert _sessions_in(first) == 1
        await _assert_cached_equals_a_read(store, tracker_url, sender)
        await _turn(store, tracker_url, sender, "Maria", SlotSet("first_name", "Maria"), *_answered("ZIP?"))
        await _assert_cached_equals_a_read(store, tracker_url, sender)
        # The intake ends; the session is long enough and at rest, so the next message cuts it.
        await _turn(store, tracker_url, sender, "60623", SlotSet("zip_code", "60623"), ActiveLoop(None), *_answered("Done"))
        await _assert_cached_equals_a_read(store, tracker_url, sender)
        full = await store.retrieve(sender)
        assert session_is_full(full, SESSION_LIMIT)
        cut = await _turn(store, tracker_url, sender, "is it free?", *_answered("Yes, free."))
        assert _sessions_in(cut) == 2, "a new session began at rest"
        await _assert_cached_equals_a_read(store, tracker_url, sender)
        again = await store.retrieve(sender)
        assert _sessions_in(again) == 1 and again.get_slot("first_name") == "Maria", "the slots carried over"
        # A restart (Rasa forgets the slots; the session goes on), and the turn after it.
        await _turn(store, tracker_url, sender, "/restart", ActionExecuted(ACTION_RESTART_NAME), Restarted())
        await _assert_cached_equals_a_read(store, tracker_url, sender)
        after_restart = await _turn(store, tracker_url, sender, "hello again", *_answered("Hi! First name?"))
        assert after_restart.get_slot("first_name") is None
        await _assert_cached_equals_a_read(store, tracker_url, sender)
        # And the next turns go on from the copy, saved where a read would have them.
        await _turn(store, tracker_url, sender, "Ana", SlotSet("first_name", "Ana"))
        await _assert_cached_equals_a_read(store, tracker_url, sender)

    asyncio.run(conversation())


def test_the_cache_keeps_the_latest_conversations_only(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = _store(url, size=2)
    people = ["+13125550111", "+13125550112", "+13125550113"]

    async def scenario() -> list[bool]:
        for person in people:
            await _turn(store, url, person, "hi")
        statements = Statements(store)
        reads = []
        for person in (people[2], people[1], people[0], people[2]):
            before = statements.count
            assert (await store.retrieve(person)).sender_id == person
            reads.append(statements.count > before)
        return reads

    # The first was dropped when the third came and is read; reading it drops the least recently
    # used (the third, as the second was used since), which is then read again.
    assert asyncio.run(scenario()) == [False, False, True, True]
    assert len(store._cache) == 2


def test_the_cache_size_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.setenv(TRACKER_CACHE_SIZE_SETTING, "7")
    assert _store(f"sqlite:///{tmp_path / 'tracker.db'}")._cache.size == 7


@pytest.mark.postgres
def test_a_copy_is_used_only_at_the_version_the_claim_read():
    """Two Rasa servers share the store; this person's second message went to the other one."""
    with throwaway_postgres_database() as url:
        here, there, sender = _store(url), _store(url), "+13125550121"

        async def scenario() -> DialogueStateTracker:
            await _turn(here, url, sender, "hi", *_answered("Hi! First name?"))
            await _turn(there, url, sender, "Maria", SlotSet("first_name", "Maria"))
            tracker_versions.hand_over(sender, _newest_event_id(url, sender))
            statements = Statements(here)
            tracker = await here.retrieve(sender)
            assert statements.count == 1, "read, not the stale copy"
            return tracker

        assert asyncio.run(scenario()).get_slot("first_name") == "Maria"


@pytest.mark.postgres
def test_a_turn_made_on_a_copy_another_server_overtook_is_not_saved():
    """The other server stored a turn between this message's claim and its turn (a reminder): the
    copy matches the claim's version, so the turn runs on it, but its save finds the newer event
    and stores nothing; the turn is run again (StaleTrackerCopy fails it, bot/turn_recording.py)."""
    with throwaway_postgres_database() as url:
        here, there, sender = _store(url), _store(url), "+13125550131"

        async def scenario() -> None:
            await _turn(here, url, sender, "hi")
            claimed = _newest_event_id(url, sender)
            await _turn(there, url, sender, "reminder", *_answered("Your event is tomorrow"))
            stored = _newest_event_id(url, sender)
            tracker_versions.hand_over(sender, claimed)
            tracker = await here.retrieve(sender)
            tracker.update(UserUttered("Maria", message_id="late"), DOMAIN)
            with pytest.raises(StaleTrackerCopy):
                await here.save(tracker)
            assert _newest_event_id(url, sender) == stored
            tracker_versions.hand_over(sender, stored)
            fresh = await here.retrieve(sender)
            assert any(isinstance(e, BotUttered) and e.text == "Your event is tomorrow" for e in fresh.events)

        asyncio.run(scenario())


@pytest.mark.parametrize(
    "environ, cached, versioned",
    [
        ({}, True, False),  # embedded: one Rasa process owns the conversations
        ({"INTAKE_PROFILE": "production", "DATABASE_URL": "postgresql://app:pw@db/intake"}, True, True),
        # The tracker elsewhere: the claim cannot read its version, so a copy could never be used.
        (
            {
                "INTAKE_PROFILE": "production",
                "DATABASE_URL": "postgresql://app:pw@db/intake",
                "TRACKER_DATABASE_URL": "postgresql://app:pw@other/tracker",
            },
            False,
            False,
        ),
    ],
)
def test_each_profile_configures_the_cache_it_can_keep_right(tmp_path, environ, cached, versioned):
    import yaml

    from bot.channels.settings import channel_settings
    from bot.cli.settings import load_settings
    from bot.cli.supervisor import write_endpoints

    settings = load_settings({**environ, "INTAKE_VAR_DIR": str(tmp_path)})
    tracker_store = yaml.safe_load(write_endpoints(settings).read_text())["tracker_store"]
    assert (tracker_store["cache_trackers"], tracker_store["versioned_cache"]) == (cached, versioned)
    # The Rasa server's runtime has the claim read the version exactly where the store uses it.
    served = channel_settings({"DATABASE_URL": settings.database_url, "TRACKER_DATABASE_URL": settings.tracker_database_url})
    assert served.tracker_in_the_database == versioned
