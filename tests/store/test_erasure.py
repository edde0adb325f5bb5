"""SeekerEraser on SQLite and PostgreSQL: everything about a person goes but the seeker row and the
append-only consent ledger, whatever links their rows (replies, reminders, notes)."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from bot.hiring_events.model import Event
from bot.store import HandoffStore, MessageLog, StaffStore
from bot.store.erasure import ERASURE_KEYWORD, SeekerEraser
from bot.store.vocabulary import ROLE_STAFF
from tests.hiring_event_stores import HiringEventStores


def test_erasure_leaves_only_the_seeker_row_and_the_ledger(engine, store, address):
    log, handoffs, events = MessageLog(engine), HandoffStore(engine), HiringEventStores.on(engine)
    staff = StaffStore(engine).create_account(f"eraser-{uuid.uuid4().hex[:8]}", "Eraser", "x", ROLE_STAFF, ["en"], [])
    store.record_opt_in("twilio", address, "START")
    store.save_answers("twilio", address, {"first_name": "Rosa", "zip_code": "60623"})
    inbound, _ = log.record_inbound("twilio", address, provider_id=f"SM{uuid.uuid4().hex}", kind="text", text="hi", status="processed")
    log.enqueue("twilio", address, "Hello Rosa", in_reply_to=inbound.id)
    code = f"E{uuid.uuid4().hex[:5].upper()}"
    start = (datetime.now(timezone.utc) + timedelta(days=9)).replace(microsecond=0)
    events.catalog.upsert_event(Event(code=code, name={"en": "Day", "es": "Día"}, sectors=("it",), starts_at=start,
                              ends_at=start + timedelta(hours=2), venue="Hall", address="1 Ave, Chicago, IL 60601",
                              capacity=5))
    assert events.registrations.register(code, "twilio", address, {}, datetime.now(timezone.utc)).registration is not None
    handoff, _ = handoffs.open_handoff("twilio", address, reason="asked", language="en", sectors=[], team="general",
                                       priority=0, summary={"first_name": "Rosa"})
    handoffs.add_note(handoff.id, staff.id, "called her back", datetime.now(timezone.utc))

    report = SeekerEraser(engine).erase("twilio", address)

    assert report is not None and report.messages == 2 and report.screenings == 1
    assert report.registrations == 1 and report.handoffs == 1
    assert log.transcript("twilio", address) == ()
    assert store.latest_screening("twilio", address) is None
    assert events.registrations.registrations_of("twilio", address, datetime.now(timezone.utc)) == ()
    assert handoffs.get(handoff.id) is None
    seeker = store.find_seeker("twilio", address)
    assert seeker is not None and seeker.consent_status == "opted_out"
    assert [(event.event, event.keyword) for event in store.consent_history("twilio", address)] == [
        ("opt_in", "START"), ("opt_out", ERASURE_KEYWORD),
    ]
    assert SeekerEraser(engine).erase("twilio", "+15550000000") is None
