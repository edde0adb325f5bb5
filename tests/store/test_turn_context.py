"""What a dialogue turn reads first, in one statement, says what the four reads it replaced
said (IntakeStore.find_seeker, MessageLog.latest_outbound, HandoffStore.open_state,
HiringEventStore.get_event), on SQLite and PostgreSQL."""
from __future__ import annotations

import uuid

import pytest

from bot.store import HandoffStore, HiringEventStore, IntakeStore, MessageLog
from bot.store.turn_context import TurnContextQuery
from tests.store.test_handoff_store import open_one
from tests.store.test_hiring_event_store import make_event


@pytest.fixture()
def stores(engine):
    return (
        TurnContextQuery(engine),
        IntakeStore(engine),
        MessageLog(engine),
        HandoffStore(engine),
        HiringEventStore(engine),
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
