"""The conversation page and its actions: transcript, claim, reply rules, notes, labels, close."""
from __future__ import annotations

import threading
from datetime import datetime, time, timedelta

import pytest

from bot.channel_replies import reply as channel_reply
from bot.scheduling.quiet_hours import QuietHours
from bot.store.vocabulary import HANDOFF_ASSIGNED, HANDOFF_CLOSED, HANDOFF_WAITING, MESSAGE_KIND_STAFF
from tests.staff.conftest import post

SCRIPT = "<script>alert(1)</script>"


def _queued_staff_texts(console, handoff):
    return [
        message for message in console.messages.transcript(handoff.channel, handoff.address)
        if message.direction == "out"
    ]


def _quiet_around(moment: datetime) -> QuietHours:
    """Quiet hours from an hour before `moment` to an hour after it, on the Chicago clock."""
    local = moment.astimezone(QuietHours().tz)
    start = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (local + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    return QuietHours(start=start, end=end)


def test_the_transcript_shows_what_the_seeker_typed_as_text(console):
    handoff = console.open_handoff()
    console.seeker_writes(handoff, SCRIPT)
    client = console.signed_in(console.add_staff())
    page = client.get(f"/handoffs/{handoff.id}").get_data(as_text=True)
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # The polled JSON carries it as a string the page inserts with textContent.
    polled = client.get(f"/handoffs/{handoff.id}/messages?after=0").get_json()
    assert polled["messages"][-1]["text"] == SCRIPT


def test_the_screening_summary_is_escaped_too(console):
    handoff = console.open_handoff(summary={"first_name": SCRIPT, "sectors": ["healthcare"]})
    page = console.signed_in(console.add_staff()).get(f"/handoffs/{handoff.id}").get_data(as_text=True)
    assert SCRIPT not in page and "&lt;script&gt;" in page and "healthcare" in page


def test_the_conversation_page_shows_the_full_number_and_the_latest_screening(console):
    handoff = console.open_handoff()
    console.intake.save_answers(handoff.channel, handoff.address, {"zip_code": "60623", "veteran": True})
    page = console.signed_in(console.add_staff()).get(f"/handoffs/{handoff.id}").get_data(as_text=True)
    assert handoff.address in page
    assert "60623" in page and "veteran" in page


def test_viewing_a_handoff_is_audited_with_ids_only(console):
    account = console.add_staff()
    handoff = console.open_handoff()
    console.signed_in(account).get(f"/handoffs/{handoff.id}")
    entry = console.staff.audit_entries(staff_id=account.id)[0]
    assert (entry.action, entry.subject_type, entry.subject_id) == ("viewed", "handoff", str(handoff.id))


def test_an_unknown_handoff_is_404(console):
    assert console.signed_in(console.add_staff()).get("/handoffs/999999").status_code == 404


def test_new_messages_are_polled_after_the_last_one_shown(console):
    handoff = console.open_handoff()
    first = console.seeker_writes(handoff, "first")
    client = console.signed_in(console.add_staff())
    assert client.get(f"/handoffs/{handoff.id}/messages?after={first}").get_json()["messages"] == []
    second = console.seeker_writes(handoff, "second")
    polled = client.get(f"/handoffs/{handoff.id}/messages?after={first}").get_json()
    assert [(m["id"], m["text"], m["direction"], m["author"]) for m in polled["messages"]] == [(second, "second", "in", "Seeker")]
    assert polled["handoff"] == {"id": handoff.id, "status": HANDOFF_WAITING, "assignee": None}


def test_two_staff_claiming_at_once_one_wins(console):
    handoff = console.open_handoff()
    first, second = console.add_staff(), console.add_staff()
    clients = {first.id: console.signed_in(first), second.id: console.signed_in(second)}
    for client in clients.values():
        client.get(f"/handoffs/{handoff.id}")  # the page each of them has open
    start = threading.Barrier(2)
    responses = {}

    def press_claim(staff_id):
        start.wait()
        responses[staff_id] = post(clients[staff_id], f"/handoffs/{handoff.id}/claim")

    threads = [threading.Thread(target=press_claim, args=(staff_id,)) for staff_id in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = console.handoffs.get(handoff.id)
    assert claimed.status == HANDOFF_ASSIGNED and claimed.assignee_id in clients
    loser = next(staff_id for staff_id in clients if staff_id != claimed.assignee_id)
    page = clients[loser].get(f"/handoffs/{handoff.id}").get_data(as_text=True)
    assert "claimed this conversation first" in page
    claims = [entry for entry in console.staff.audit_entries(subject_type="handoff", subject_id=handoff.id) if entry.action == "claimed"]
    assert [entry.staff_id for entry in claims] == [claimed.assignee_id]


def test_release_puts_a_claim_back_and_only_the_holder_can(console):
    handoff = console.open_handoff()
    holder, other = console.add_staff(), console.add_staff()
    holder_client, other_client = console.signed_in(holder), console.signed_in(other)
    post(holder_client, f"/handoffs/{handoff.id}/claim")
    post(other_client, f"/handoffs/{handoff.id}/release")
    assert console.handoffs.get(handoff.id).assignee_id == holder.id
    post(holder_client, f"/handoffs/{handoff.id}/release")
    released = console.handoffs.get(handoff.id)
    assert (released.status, released.assignee_id) == (HANDOFF_WAITING, None)


def test_a_reply_queues_a_staff_text_and_starts_the_sla_clock(console):
    account = console.add_staff()
    handoff = console.open_handoff(language="es")
    client = console.signed_in(account)
    response = post(client, f"/handoffs/{handoff.id}/reply", text="  Hola, soy María.  ")
    assert response.status_code == 302
    [sent] = _queued_staff_texts(console, handoff)
    assert (sent.kind, sent.text, sent.status, sent.language) == (MESSAGE_KIND_STAFF, "Hola, soy María.", "queued", "es")
    assert sent.details == {"staff_id": account.id, "handoff_id": handoff.id}
    assert sent.consent_exempt is False
    answered = console.handoffs.get(handoff.id)
    assert answered.first_response_at is not None and answered.first_responder_id == account.id
    # Replying to an unclaimed handoff claims it.
    assert (answered.status, answered.assignee_id) == (HANDOFF_ASSIGNED, account.id)
    entry = console.staff.audit_entries(staff_id=account.id)[0]
    assert (entry.action, entry.details) == ("replied", {"message_id": sent.id})
    # The page shows it, marked as this staff member's.
    page = client.get(f"/handoffs/{handoff.id}").get_data(as_text=True)
    assert f"Staff: {account.display_name}" in page


def test_a_second_reply_keeps_the_first_response_time(console):
    account = console.add_staff()
    handoff = console.open_handoff()
    client = console.signed_in(account)
    post(client, f"/handoffs/{handoff.id}/reply", text="one")
    first_response = console.handoffs.get(handoff.id).first_response_at
    console.clock.offset = timedelta(minutes=5)
    post(client, f"/handoffs/{handoff.id}/reply", text="two")
    assert console.handoffs.get(handoff.id).first_response_at == first_response
    assert len(_queued_staff_texts(console, handoff)) == 2


def test_a_reply_to_an_opted_out_seeker_is_refused_with_the_reason(console):
    handoff = console.open_handoff()
    console.seeker_writes(handoff, "STOP")
    console.intake.record_opt_out(handoff.channel, handoff.address, "STOP")
    response = post(console.signed_in(console.add_staff()), f"/handoffs/{handoff.id}/reply", text="Are you still there?")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "opted out" in page
    assert "Are you still there?" in page  # the draft is kept
    assert _queued_staff_texts(console, handoff) == []
    assert console.handoffs.get(handoff.id).first_response_at is None


@pytest.mark.parametrize(
    "seeker_wrote_minutes_ago, allowed",
    [(10, True), (59, True), (61, False), (120, False), (None, False)],
)
def test_quiet_hours_allow_only_an_answer_to_a_recent_message(console_factory, seeker_wrote_minutes_ago, allowed):
    # The console's clock stands `minutes` after the seeker's message (written at real time now),
    # in the middle of quiet hours.
    console = console_factory()
    handoff = console.open_handoff()
    if seeker_wrote_minutes_ago is not None:
        console.seeker_writes(handoff, "are you there?")
        console.clock.offset = timedelta(minutes=seeker_wrote_minutes_ago)
    quiet = _quiet_around(console.clock())
    console = console_factory(quiet_hours=quiet)
    console.clock.offset = timedelta(minutes=seeker_wrote_minutes_ago or 0)
    assert quiet.is_quiet(console.clock())
    response = post(console.signed_in(console.add_staff()), f"/handoffs/{handoff.id}/reply", text="Yes, I'm here.")
    assert (response.status_code == 302) is allowed
    assert len(_queued_staff_texts(console, handoff)) == (1 if allowed else 0)
    if not allowed:
        assert "quiet hours" in response.get_data(as_text=True)


def test_outside_quiet_hours_a_reply_needs_no_recent_message(console_factory):
    console = console_factory(quiet_hours=QuietHours(start=time(21), end=time(8)))
    handoff = console.open_handoff()
    # Noon in Chicago, whatever today is.
    noon = datetime.combine(console.clock().astimezone(QuietHours().tz).date(), time(12), tzinfo=QuietHours().tz)
    console.clock.offset = noon - console.clock()
    assert post(console.signed_in(console.add_staff()), f"/handoffs/{handoff.id}/reply", text="Hi").status_code == 302


def test_nobody_else_replies_to_a_claimed_handoff_but_an_admin_may(console):
    holder, other, admin = console.add_staff(), console.add_staff(), console.add_admin()
    handoff = console.open_handoff()
    post(console.signed_in(holder), f"/handoffs/{handoff.id}/claim")
    refused = post(console.signed_in(other), f"/handoffs/{handoff.id}/reply", text="hello")
    assert refused.status_code == 409 and "Another staff member" in refused.get_data(as_text=True)
    assert post(console.signed_in(admin), f"/handoffs/{handoff.id}/reply", text="hello").status_code == 302
    assert console.handoffs.get(handoff.id).assignee_id == holder.id


@pytest.mark.parametrize("text, expected", [("", "Write something"), ("   ", "Write something"), ("x" * 1601, "at most 1600")])
def test_an_empty_or_overlong_reply_is_refused(console, text, expected):
    handoff = console.open_handoff()
    response = post(console.signed_in(console.add_staff()), f"/handoffs/{handoff.id}/reply", text=text)
    assert response.status_code == 409 and expected in response.get_data(as_text=True)
    assert _queued_staff_texts(console, handoff) == []


def test_closing_resumes_the_bot_and_tells_a_spanish_seeker_in_spanish(console):
    account = console.add_staff()
    handoff = console.open_handoff(language="es")
    console.seeker_writes(handoff, "gracias")
    client = console.signed_in(account)
    assert post(client, f"/handoffs/{handoff.id}/close").status_code == 302
    assert console.handoffs.open_for(handoff.channel, handoff.address) is None
    closed = console.handoffs.get(handoff.id)
    assert (closed.status, closed.closed_by) == (HANDOFF_CLOSED, account.id)
    [told] = _queued_staff_texts(console, handoff)
    assert told.text == channel_reply("handoff_closed", "es")
    assert told.text != channel_reply("handoff_closed", "en")
    assert (told.language, told.consent_exempt) == ("es", False)
    assert "closed" in [entry.action for entry in console.staff.audit_entries(staff_id=account.id)]
    # Closing again changes nothing and texts nobody.
    post(client, f"/handoffs/{handoff.id}/close")
    assert len(_queued_staff_texts(console, handoff)) == 1


def test_closing_for_an_opted_out_seeker_texts_nothing(console):
    handoff = console.open_handoff()
    console.intake.record_opt_out(handoff.channel, handoff.address, "STOP")
    post(console.signed_in(console.add_staff()), f"/handoffs/{handoff.id}/close")
    assert console.handoffs.get(handoff.id).status == HANDOFF_CLOSED
    assert _queued_staff_texts(console, handoff) == []


def test_a_handoff_claimed_by_someone_else_is_not_closed_by_staff(console):
    holder, other = console.add_staff(), console.add_staff()
    handoff = console.open_handoff()
    post(console.signed_in(holder), f"/handoffs/{handoff.id}/claim")
    post(console.signed_in(other), f"/handoffs/{handoff.id}/close")
    assert console.handoffs.get(handoff.id).status == HANDOFF_ASSIGNED


def test_notes_and_labels_are_saved_and_audited_without_their_text(console):
    account = console.add_staff()
    handoff = console.open_handoff()
    client = console.signed_in(account)
    post(client, f"/handoffs/{handoff.id}/notes", text="Call back Tuesday, lives at 123 Main")
    post(client, f"/handoffs/{handoff.id}/labels", labels="Needs Callback, documents, ")
    assert [note.text for note in console.handoffs.notes(handoff.id)] == ["Call back Tuesday, lives at 123 Main"]
    assert console.handoffs.get(handoff.id).labels == ("needs-callback", "documents")
    entries = console.staff.audit_entries(staff_id=account.id)
    assert [entry.action for entry in entries[:2]] == ["labels_set", "note_added"]
    assert "123 Main" not in repr(entries) and "callback" not in repr(entries).lower()
    page = client.get(f"/handoffs/{handoff.id}").get_data(as_text=True)
    assert "Call back Tuesday" in page and "needs-callback" in page


def test_canned_replies_are_offered_in_both_languages_seeker_language_first(console):
    handoff = console.open_handoff(language="es")
    page = console.signed_in(console.add_staff()).get(f"/handoffs/{handoff.id}").get_data(as_text=True)
    assert page.index("Español") < page.index("English")
    assert 'class="canned-reply" data-text="Hola, te escribe' in page
    assert "data-text=\"Hi, this is a staff member" in page
