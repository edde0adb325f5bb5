"""Property-based tests (hypothesis) of the staff console and its JSON API through Flask's test
client: any form field or JSON body, with unicode edge cases, huge or empty, is answered without
a server error, and what is accepted is stored as sent.

Each test prints how many inputs it tried (pytest -s shows them)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# The staff tests' fixtures: a console on a freshly migrated database per test.
from tests.staff.conftest import console, console_factory, database_url, migrated_template, post  # noqa: F401
from tests.staff.test_api import API_PREFIX, api_user

PROPERTY_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
EDGE_CHARACTERS = st.sampled_from(["\x00", "\u202e", "\u200f", "\U0001f600", "\u0301", "\ufeff", "\n", "<script>"])
TEXT = st.lists(st.one_of(st.characters(exclude_categories=("Cs",)), EDGE_CHARACTERS), max_size=200).map("".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=10,
)


def test_any_note_or_labels_form_is_answered_without_a_server_error(console):
    staff = console.add_staff()
    handoff = console.open_handoff()
    console.handoffs.claim(handoff.id, staff.id)
    client = console.signed_in(staff)
    tried = 0
    saved_notes: list[str] = []

    @PROPERTY_SETTINGS
    @given(text=TEXT, labels=TEXT)
    def forms(text, labels):
        nonlocal tried
        tried += 1
        note = post(client, f"/handoffs/{handoff.id}/notes", text=text)
        assert note.status_code < 500
        if note.status_code == 302 and "Note not saved" not in client.get(note.headers["Location"]).get_data(as_text=True):
            saved_notes.append(text)
        assert post(client, f"/handoffs/{handoff.id}/labels", labels=labels).status_code < 500

    forms()
    print(f"\nconsole forms tried: {tried}")
    stored = [note.text for note in console.handoffs.notes(handoff.id)]
    assert len(stored) == len(saved_notes)  # nothing accepted was lost


def test_any_json_body_to_the_api_is_answered_without_a_server_error(console):
    staff = console.add_staff()
    handoff = console.open_handoff()
    console.handoffs.claim(handoff.id, staff.id)
    user = api_user(console, staff)
    tried = 0

    @PROPERTY_SETTINGS
    @given(body=JSON_VALUES, route=st.sampled_from(["notes", "labels", "reply", "claim", "release"]))
    def bodies(body, route):
        nonlocal tried
        tried += 1
        response = user.client.post(f"{API_PREFIX}/handoffs/{handoff.id}/{route}", headers=user.headers, json=body)
        assert response.status_code < 500, (route, body, response.get_data(as_text=True)[:200])
        if route == "release" and response.status_code == 200:
            console.handoffs.claim(handoff.id, staff.id)  # keep working on it

    bodies()
    print(f"\napi bodies tried: {tried}")


def test_any_raw_body_or_sign_in_is_answered_without_a_server_error(console):
    tried = 0
    client = console.client()

    @PROPERTY_SETTINGS
    @given(body=st.binary(max_size=3000), username=TEXT, password=TEXT)
    def posts(body, username, password):
        nonlocal tried
        tried += 1
        assert client.post("/login", data=body, content_type="application/x-www-form-urlencoded").status_code < 500
        assert client.post(f"{API_PREFIX}/handoffs/1/notes", data=body, content_type="application/json").status_code < 500
        signed = client.post("/login", data={"username": username, "password": password})
        assert signed.status_code < 500

    posts()
    print(f"\nraw bodies and sign-ins tried: {tried}")
