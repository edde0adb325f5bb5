"""What a staff account may read and change, through Flask's test client and the JSON API:
routing (teams and languages) or admin decides who reads a handoff, only its holder (or an admin)
writes notes and labels on a claimed one, and exports and broadcasts are for admins."""
from __future__ import annotations

import pytest

from bot.staff.handoff_work import AUDIT_READ_REFUSED
from tests.staff.conftest import post
from tests.staff.test_api import API_PREFIX, api_user
from tests.staff.test_events_pages import People, sent_to


@pytest.fixture()
def outsider(console):
    """Healthcare, English only: a Spanish construction handoff is not routed to them."""
    return console.add_staff(languages=("en",), teams=("healthcare",))


@pytest.fixture()
def foreign_handoff(console):
    handoff = console.open_handoff(language="es", team="construction")
    console.seeker_writes(handoff, "mi numero y mi historia")
    return handoff


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/handoffs/{id}"),
        ("GET", "/handoffs/{id}/messages"),
        ("POST", "/handoffs/{id}/claim"),
        ("POST", "/handoffs/{id}/notes"),
        ("POST", "/handoffs/{id}/labels"),
        ("POST", "/handoffs/{id}/reply"),
    ],
)
def test_a_handoff_outside_ones_routing_cannot_be_opened_or_worked_by_its_id(console, outsider, foreign_handoff, method, path):
    client = console.signed_in(outsider)
    url = path.format(id=foreign_handoff.id)
    if method == "GET":
        response = client.get(url)
    else:
        response = post(client, url, text="hola", labels="vip")
    assert response.status_code == 404
    assert "mi numero" not in response.get_data(as_text=True)
    assert foreign_handoff.address not in response.get_data(as_text=True)
    assert console.handoffs.get(foreign_handoff.id).assignee_id is None
    assert console.handoffs.notes(foreign_handoff.id) == []
    refused = [entry for entry in console.staff.audit_entries(staff_id=outsider.id) if entry.action == AUDIT_READ_REFUSED]
    assert [entry.subject_id for entry in refused] == [str(foreign_handoff.id)]


@pytest.mark.parametrize(
    "method, path",
    [("get", "/handoffs/{id}"), ("post", "/handoffs/{id}/claim"), ("post", "/handoffs/{id}/notes")],
)
def test_the_api_answers_404_for_a_handoff_outside_ones_routing(console, outsider, foreign_handoff, method, path):
    user = api_user(console, outsider)
    url = f"{API_PREFIX}{path.format(id=foreign_handoff.id)}"
    response = user.get(url) if method == "get" else user.post(url, {"text": "hola"})
    assert response.status_code == 404
    assert foreign_handoff.address not in response.get_data(as_text=True)
    assert console.handoffs.get(foreign_handoff.id).assignee_id is None


def test_routing_or_admin_reads_the_handoff(console, foreign_handoff):
    routed = console.add_staff(languages=("es",), teams=("construction",))
    for account in (routed, console.add_admin()):
        response = console.signed_in(account).get(f"/handoffs/{foreign_handoff.id}")
        assert response.status_code == 200
        assert "mi numero" in response.get_data(as_text=True)


def test_the_everyone_view_lists_only_what_one_may_read(console, outsider, foreign_handoff):
    routed = console.open_handoff(team="healthcare")
    page = console.signed_in(outsider).get("/queue/rows", query_string={"view": "all"}).get_data(as_text=True)
    assert f"/handoffs/{routed.id}" in page
    assert f"/handoffs/{foreign_handoff.id}" not in page


def test_notes_and_labels_on_a_handoff_claimed_by_someone_else_are_refused(console):
    holder, colleague = console.add_staff(), console.add_staff()
    handoff = console.open_handoff()
    console.handoffs.claim(handoff.id, holder.id)
    client = console.signed_in(colleague)
    post(client, f"/handoffs/{handoff.id}/notes", text="written over their head")
    post(client, f"/handoffs/{handoff.id}/labels", labels="vip")
    assert console.handoffs.notes(handoff.id) == []
    assert console.handoffs.get(handoff.id).labels == ()
    user = api_user(console, colleague)
    assert user.post(f"{API_PREFIX}/handoffs/{handoff.id}/notes", {"text": "again"}).status_code == 403
    assert user.post(f"{API_PREFIX}/handoffs/{handoff.id}/labels", {"labels": ["vip"]}).status_code == 403
    assert console.handoffs.notes(handoff.id) == []
    # The holder may.
    post(console.signed_in(holder), f"/handoffs/{handoff.id}/notes", text="called back")
    assert [note.text for note in console.handoffs.notes(handoff.id)] == ["called back"]


def test_exports_and_broadcasts_are_for_admins(console):
    people = People(console)
    event = people.event()
    address = people.seeker("Ana")
    people.register(event, address)
    staff = console.signed_in(console.add_staff())
    assert staff.get(f"/events/{event.code}/export").status_code == 403
    exported = post(staff, f"/events/{event.code}/export", fields=["first_name", "phone"], audience="registered")
    assert exported.status_code == 403 and address not in exported.get_data(as_text=True)
    assert staff.get(f"/events/{event.code}/broadcast").status_code == 403
    sent = post(staff, f"/events/{event.code}/broadcast", audience="registered", text_en="Hi all", form_token="x")
    assert sent.status_code == 403
    assert sent_to(console, address) == []
    assert "Export for the employer" not in staff.get(f"/events/{event.code}").get_data(as_text=True)
    admin = console.signed_in(console.add_admin())
    assert admin.get(f"/events/{event.code}/export").status_code == 200
