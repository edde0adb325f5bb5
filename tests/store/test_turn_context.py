"""What a dialogue turn reads first, in one statement, says what the four reads it replaced
said (IntakeStore.find_seeker, MessageLog.latest_outbound, HandoffStore.open_state,
EventCatalog.get_event), on SQLite and PostgreSQL."""
from __future__ import annotations

import uuid

import pytest

from bot.store import EventCatalog, HandoffStore, IntakeStore, MessageLog
from bot.store.turn_context import TurnContextQuery
from tests.store.test_handoff_store import open_one
from tests.store.test_hiring_event_stores import make_event


@pytest.fixture()
def stores(engine):
    return (
        TurnContextQuery(engine),
        IntakeStore(engine),
        MessageLog(engine),
        HandoffStore(engine),
        EventCatalog(engine),
    )


def _stored_inbound(log: MessageLog, address: str) -> None:
    log.record_inbound("twilio", address, provider_id="SM" + uuid.uuid4().hex, kind="text", text="hi")


def test_a_person_never_seen_has_nothing(stores, address: str) -> None:
    query, *_ = stores
    read = query.read("twilio", address, None)
    assert (read.known_seeker, read.offered_buttons, read.handoff, read.event_code_exists) == (False, None, None, False)


@pytest.mark.parametrize("with_handoff", [False, True])
@pytest.mark.parametrize("buttons", [None, [{"title": "Yes", "payload": "/affirm"}]])
def test_it_reads_what_the_four_reads_read(stores, address: str, with_handoff: bool, buttons) -> None:
    query, intake, log, handoffs, hiring_events = stores
    _stored_inbound(log, address)
    intake.set_language("twilio", address, "es")
    intake.record_opt_out("twilio", address, "STOP")
    log.enqueue("twilio", address, "an older question", buttons=[{"title": "Old", "payload": "/old"}])
    log.enqueue("twilio", address, "the last question", buttons=buttons)
    if with_handoff:
        open_one(handoffs, address)
    event = hiring_events.upsert_event(make_event())[0]
    read = query.read("twilio", address, event.code)
    seeker = intake.find_seeker("twilio", address)
    assert (read.known_seeker, read.language, read.consent_status) == (True, seeker.language, seeker.consent_status)
    assert read.offered_buttons == log.latest_outbound("twilio", address).buttons == buttons
    assert read.handoff == handoffs.open_state("twilio", address)
    assert (read.handoff is not None) == with_handoff
    assert read.event_code_exists
    assert not query.read("twilio", address, "NOSUCHCODE").event_code_exists
    assert not query.read("twilio", address, None).event_code_exists


@pytest.mark.parametrize("with_handoff", [False, True])
def test_claiming_with_the_context_reads_what_claiming_then_reading_reads(stores, engine, address: str, with_handoff: bool) -> None:
    query, intake, log, handoffs, hiring_events = stores
    event = hiring_events.upsert_event(make_event())[0]
    _stored_inbound(log, address)
    log.finish_inbound(log.next_inbound("twilio", address).id)
    intake.set_language("twilio", address, "es")
    log.enqueue("twilio", address, "pick one", buttons=[{"title": "A", "payload": "a"}])
    if with_handoff:
        open_one(handoffs, address)
    for text in (event.code.lower(), "not a code"):
        log.record_inbound("twilio", address, provider_id="SM" + uuid.uuid4().hex, kind="text", text=text)
    expected = query.read("twilio", address, None)

    first = query.claim_next_with_context("twilio", address)
    assert first.claim.message.text == event.code.lower() and first.claim.more_waiting
    assert first.claim.message.status == "received"
    assert first.context == expected
    assert first.event_code_of_text == event.code
    log.finish_inbound(first.claim.message.id)

    second = query.claim_next_with_context("twilio", address)
    assert second.claim.message.text == "not a code" and not second.claim.more_waiting
    assert second.event_code_of_text is None
    # Claimed again after a crash: says so, as InboundQueue.next_inbound does.
    again = query.claim_next_with_context("twilio", address)
    assert again.claim.message.id == second.claim.message.id and again.claim.message.status == "processing"
    log.finish_inbound(second.claim.message.id)
    assert query.claim_next_with_context("twilio", address) is None


def test_the_claim_reads_the_version_of_the_persons_conversation(stores, engine, db_url: str, address: str) -> None:
    """Where Rasa's tracker is in the same database (production), the claim also returns the id of
    the newest event of the conversation whose sender id is the person's address; the tracker
    store uses its cached copy only at that version (bot/tracker_store.py)."""
    import asyncio

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy import text

    from bot.cli.settings import tracker_store_config
    from bot.tracker_store import IntakeTrackerStore

    _, _, log, _, _ = stores
    config = tracker_store_config(db_url, cache_trackers=False)
    config.pop("type")
    tracker_store = IntakeTrackerStore(Domain.empty(), **config)  # Rasa's `events` table, here
    query = TurnContextQuery(engine, tracker_version=True)

    _stored_inbound(log, address)
    assert query.claim_next_with_context("twilio", address).tracker_version is None  # no conversation yet
    for sender in (address, address + "0"):  # someone else's conversation does not count
        tracker = DialogueStateTracker.from_events(sender, [UserUttered("hi", message_id="1")])
        asyncio.run(tracker_store.save(tracker))
    with engine.connect() as connection:
        newest = connection.execute(
            text("SELECT max(id) FROM events WHERE sender_id = :sender"), {"sender": address}
        ).scalar()
    claimed = query.claim_next_with_context("twilio", address)  # the same message, claimed again
    assert claimed.tracker_version == newest is not None
    assert TurnContextQuery(engine).claim_next_with_context("twilio", address).tracker_version is None  # not asked
