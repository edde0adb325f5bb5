"""A staff reply queues the text, records the reply on the handoff and writes the audit line in
one transaction: a crash at any step after the first leaves none of them behind."""
from __future__ import annotations

import pytest

from bot.store.handoff_store import HandoffStore
from bot.store.staff_store import StaffStore
from bot.store.vocabulary import HANDOFF_WAITING
from tests.staff.conftest import post


class Crash(RuntimeError):
    pass


def _crash(*_args, **_kwargs):
    raise Crash("the process died here")


@pytest.mark.parametrize(
    "store_class, step",
    [
        (HandoffStore, "record_staff_reply"),  # after the text was queued
        (StaffStore, "audit"),  # after the text was queued and the reply recorded
    ],
)
def test_a_crash_part_way_through_a_reply_leaves_no_half_of_it(console, monkeypatch, store_class, step):
    account = console.add_staff()
    handoff = console.open_handoff()
    client = console.signed_in(account)
    monkeypatch.setattr(store_class, step, _crash)
    with pytest.raises(Crash):
        post(client, f"/handoffs/{handoff.id}/reply", text="Hello, this is Ana.")
    assert [m for m in console.messages.transcript(handoff.channel, handoff.address) if m.direction == "out"] == []
    untouched = console.handoffs.get(handoff.id)
    assert (untouched.status, untouched.first_response_at, untouched.assignee_id) == (HANDOFF_WAITING, None, None)
    monkeypatch.undo()
    assert "replied" not in [entry.action for entry in console.staff.audit_entries(staff_id=account.id)]


def test_the_reply_after_a_crash_goes_through_whole(console, monkeypatch):
    account = console.add_staff()
    handoff = console.open_handoff()
    client = console.signed_in(account)
    monkeypatch.setattr(StaffStore, "audit", _crash)
    with pytest.raises(Crash):
        post(client, f"/handoffs/{handoff.id}/reply", text="first try")
    monkeypatch.undo()
    assert post(client, f"/handoffs/{handoff.id}/reply", text="second try").status_code == 302
    [queued] = [m for m in console.messages.transcript(handoff.channel, handoff.address) if m.direction == "out"]
    assert queued.text == "second try"
    replied = [entry for entry in console.staff.audit_entries(staff_id=account.id) if entry.action == "replied"]
    assert [entry.details for entry in replied] == [{"message_id": queued.id}]
