"""The JSON API under /api/v1: bearer tokens, the handoff actions with the pages' rules and audit
entries, events and check-in, and the funnel report, over HTTP with Flask's test client."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from bot.channel_replies import reply as channel_reply
from bot.staff.api import API_PREFIX, PUBLIC_ENDPOINTS
from bot.staff.tokens import new_api_token
from bot.store.vocabulary import HANDOFF_ASSIGNED, HANDOFF_CLOSED, HANDOFF_WAITING, MESSAGE_KIND_STAFF
from tests.staff.test_conversation import _quiet_around
from tests.staff.test_events_pages import People

SCRIPT = "<script>alert(1)</script>"


class ApiUser:
    """A script holding one staff member's API token."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **query):
        return self.client.get(path, headers=self.headers, query_string=query)

    def post(self, path: str, body=None):
        return self.client.post(path, headers=self.headers, json=body if body is not None else {})


def issue_token(console, account) -> str:
    token, digest = new_api_token()
    console.staff.set_api_token_digest(account.id, digest)
    return token


def api_user(console, account) -> ApiUser:
    return ApiUser(console.client(), issue_token(console, account))


def queued_texts(console, handoff):
    return [m for m in console.messages.transcript(handoff.channel, handoff.address) if m.direction == "out"]


def example_path(console, rule: Rule, handoff_id: int) -> str:
    values = {name: handoff_id if name == "handoff_id" else "EVT1" for name in rule.arguments}
    return console.app.url_map.bind("localhost").build(rule.endpoint, values, method=sorted(rule.methods)[0])


def api_routes(console):
    for rule in console.app.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIX + "/") and rule.endpoint not in PUBLIC_ENDPOINTS:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule


# --- authentication ----------------------------------------------------------------------------


def _no_header(console):
    return {}


def _wrong_token(console):
    issue_token(console, console.add_staff())  # a real token exists, just not this one
    return {"Authorization": "Bearer not-the-token"}


def _basic_scheme(console):
    token = issue_token(console, console.add_staff())
    return {"Authorization": f"Basic {token}"}


def _disabled_account(console):
    account = console.add_staff()
    token = issue_token(console, account)
    console.staff.set_disabled(account.id, True)
    return {"Authorization": f"Bearer {token}"}


def _replaced_token(console):
    account = console.add_staff()
    old = issue_token(console, account)
    issue_token(console, account)
    return {"Authorization": f"Bearer {old}"}


@pytest.mark.parametrize(
    "credentials",
    [_no_header, _wrong_token, _basic_scheme, _disabled_account, _replaced_token],
    ids=lambda make: make.__name__.strip("_"),
)
def test_every_api_route_refuses_without_a_valid_token(console, credentials):
    headers = credentials(console)
    handoff = console.open_handoff()
    console.seeker_writes(handoff, "a message nobody should read without a token")
    routes = list(api_routes(console))
    # The API's routes are found (this test cannot pass by finding none).
    assert {"api.list_handoffs", "api.reply_to_handoff", "api.close_handoff", "api.check_in", "api.funnel"} <= {
        rule.endpoint for _, rule in routes
    }
    client = console.client()
    for method, rule in routes:
        response = client.open(example_path(console, rule, handoff.id), method=method, headers=headers, json={"text": "hi"})
        assert response.status_code == 401, f"{method} {rule.rule} answered {response.status_code}"
        assert response.get_json()["error"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="staff-api"')
        assert "nobody should read" not in response.get_data(as_text=True)
    assert queued_texts(console, handoff) == [] and console.handoffs.get(handoff.id).status == HANDOFF_WAITING


def test_a_refused_token_is_named_invalid_and_a_missing_one_is_not(console):
    client = console.client()
    missing = client.get(f"{API_PREFIX}/handoffs")
    wrong = client.get(f"{API_PREFIX}/handoffs", headers={"Authorization": "Bearer nope"})
    assert "error=" not in missing.headers["WWW-Authenticate"]
    assert 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]


def test_a_signed_in_browser_session_does_not_open_the_api(console):
    """The API skips CSRF checks, so a cookie alone must never work it (another site's page
    could make the browser send the cookie, never the Authorization header)."""
    handoff = console.open_handoff()
    browser = console.signed_in(console.add_admin())
    assert browser.get(f"{API_PREFIX}/handoffs").status_code == 401
    assert browser.post(f"{API_PREFIX}/handoffs/{handoff.id}/reply", json={"text": "hi"}).status_code == 401
    assert queued_texts(console, handoff) == []


def test_the_api_acts_as_the_token_owner_even_with_someone_elses_cookie(console):
    owner, other = console.add_staff(), console.add_staff()
    handoff = console.open_handoff()
    user = ApiUser(console.signed_in(other), issue_token(console, owner))
    assert user.post(f"{API_PREFIX}/handoffs/{handoff.id}/claim").status_code == 200
    assert console.handoffs.get(handoff.id).assignee_id == owner.id


def test_a_valid_token_answers_and_the_token_is_not_stored(console):
    account = console.add_staff()
    token = issue_token(console, account)
    assert ApiUser(console.client(), token).get(f"{API_PREFIX}/handoffs").status_code == 200
    assert console.staff.find_by_api_token_digest(token) is None  # only its digest is kept


# --- the queue ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        # "Everyone" is everyone this account may read: a Spanish handoff is not, for an
        # English-only account (issue 13: routing decides who reads, not only the default view).
        ({"view": "all"}, {"mine_en", "others_en"}),
        # The default, as on the page: my teams (healthcare) and languages (English), and "general".
        ({}, {"mine_en", "others_en"}),
        ({"view": "suited", "status": "closed"}, {"closed_en"}),
        ({"view": "mine"}, {"mine_en"}),
        ({"view": "unassigned"}, set()),
        ({"view": "all", "language": "es"}, set()),
        ({"view": "all", "team": "healthcare"}, {"others_en"}),
        ({"view": "all", "status": "closed"}, {"closed_en"}),
        ({"view": "all", "status": "assigned"}, {"mine_en", "others_en"}),
    ],
)
def test_the_queue_filters_as_the_queue_page_does(console, query, expected):
    me, colleague = console.add_staff(languages=("en",), teams=("healthcare",)), console.add_staff()
    made = {
        "mine_en": console.open_handoff(),
        "free_es": console.open_handoff(language="es"),
        "others_en": console.open_handoff(team="healthcare"),
        "closed_en": console.open_handoff(),
    }
    console.handoffs.claim(made["mine_en"].id, me.id)
    console.handoffs.claim(made["others_en"].id, colleague.id)
    console.handoffs.close(made["closed_en"].id, colleague.id)
    response = api_user(console, me).get(f"{API_PREFIX}/handoffs", **query)
    assert response.status_code == 200
    names = {handoff.id: name for name, handoff in made.items()}
    assert {names[row["id"]] for row in response.get_json()["handoffs"]} == expected


def test_queue_rows_mask_the_number_and_name_the_assignee(console):
    me = console.add_staff(name="Rosa Staff")
    handoff = console.open_handoff(priority=2)
    console.handoffs.claim(handoff.id, me.id)
    [row] = api_user(console, me).get(f"{API_PREFIX}/handoffs").get_json()["handoffs"]
    assert handoff.address not in str(row) and row["masked_address"].endswith(handoff.address[-4:])
    assert (row["status"], row["priority"], row["assignee"]) == (HANDOFF_ASSIGNED, 2, {"id": me.id, "name": "Rosa Staff"})
    assert row["sla"]["target_seconds"] == 3600


@pytest.mark.parametrize("name, value", [("view", "everyone"), ("status", "open-ish"), ("team", "plumbing"), ("language", "fr")])
def test_an_unknown_filter_value_is_refused_not_ignored(console, name, value):
    response = api_user(console, console.add_staff()).get(f"{API_PREFIX}/handoffs", **{name: value})
    assert response.status_code == 422
    assert response.get_json()["error"] == "invalid_filter" and name in response.get_json()["message"]


# --- one handoff -------------------------------------------------------------------------------


def test_a_handoff_comes_with_its_transcript_as_data_and_the_view_is_audited(console):
    account = console.add_staff(name="Luis Staff")
    handoff = console.open_handoff(summary={"first_name": SCRIPT})
    console.seeker_writes(handoff, SCRIPT)
    console.handoffs.add_note(handoff.id, account.id, "call back")
    response = api_user(console, account).get(f"{API_PREFIX}/handoffs/{handoff.id}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    last = body["transcript"][-1]
    assert (last["direction"], last["author"], last["text"], last["status"]) == ("in", "Seeker", SCRIPT, "processed")
    assert body["handoff"]["summary"] == {"first_name": SCRIPT}
    assert body["handoff"]["address"] == handoff.address
    assert [(note["text"], note["author"]["name"]) for note in body["notes"]] == [("call back", "Luis Staff")]
    assert body["reply_blocked"] is None
    entry = console.staff.audit_entries(staff_id=account.id)[0]
    assert (entry.action, entry.subject_type, entry.subject_id) == ("viewed", "handoff", str(handoff.id))


def test_an_unknown_handoff_is_a_json_404(console):
    response = api_user(console, console.add_staff()).get(f"{API_PREFIX}/handoffs/999999")
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


# --- claim and release -------------------------------------------------------------------------


def test_claim_then_a_second_claim_is_refused_and_only_the_holder_releases(console):
    first, second = console.add_staff(name="First"), console.add_staff()
    handoff = console.open_handoff()
    first_api, second_api = api_user(console, first), api_user(console, second)
    claimed = first_api.post(f"{API_PREFIX}/handoffs/{handoff.id}/claim")
    assert claimed.status_code == 200 and claimed.get_json()["handoff"]["assignee"]["id"] == first.id
    refused = second_api.post(f"{API_PREFIX}/handoffs/{handoff.id}/claim")
    assert refused.status_code == 409
    assert refused.get_json() == {"error": "claimed_by_other", "message": "First claimed this conversation first."}
    assert second_api.post(f"{API_PREFIX}/handoffs/{handoff.id}/release").get_json()["error"] == "not_holder"
    released = first_api.post(f"{API_PREFIX}/handoffs/{handoff.id}/release")
    assert released.status_code == 200 and released.get_json()["handoff"]["status"] == HANDOFF_WAITING
    actions = [entry.action for entry in console.staff.audit_entries(subject_type="handoff", subject_id=handoff.id)]
    assert actions == ["released", "claimed"]


# --- replying ----------------------------------------------------------------------------------


def test_a_reply_queues_the_staff_text_and_stops_the_sla_clock(console):
    account = console.add_staff()
    handoff = console.open_handoff(language="es")
    response = api_user(console, account).post(f"{API_PREFIX}/handoffs/{handoff.id}/reply", {"text": "  Hola, soy Ana.  "})
    assert response.status_code == 201
    [sent] = queued_texts(console, handoff)
    assert (sent.kind, sent.text, sent.status, sent.language) == (MESSAGE_KIND_STAFF, "Hola, soy Ana.", "queued", "es")
    assert sent.details == {"staff_id": account.id, "handoff_id": handoff.id}
    stored = console.handoffs.get(handoff.id)
    assert stored.first_response_at is not None and stored.first_responder_id == account.id
    body = response.get_json()
    assert body["message"]["id"] == sent.id and body["handoff"]["first_response_at"] == stored.first_response_at.isoformat()
    # Stopped: an hour later the clock reads what it read at the reply.
    stopped_at = body["handoff"]["sla"]["elapsed_seconds"]
    console.clock.offset = timedelta(hours=1)
    later = api_user(console, account).get(f"{API_PREFIX}/handoffs/{handoff.id}").get_json()
    assert later["handoff"]["sla"]["elapsed_seconds"] == stopped_at
    entry = console.staff.audit_entries(staff_id=account.id, subject_type="handoff")[-1]
    assert (entry.action, entry.details) == ("replied", {"message_id": sent.id})


@pytest.mark.parametrize("seeker_wrote_minutes_ago, status", [(None, 409), (120, 409), (10, 201)])
def test_quiet_hours_refuse_a_reply_unless_it_answers_a_recent_message(console_factory, seeker_wrote_minutes_ago, status):
    console = console_factory()
    handoff = console.open_handoff()
    if seeker_wrote_minutes_ago is not None:
        console.seeker_writes(handoff, "are you there?")
    offset = timedelta(minutes=seeker_wrote_minutes_ago or 0)
    console = console_factory(quiet_hours=_quiet_around(console.clock() + offset))
    console.clock.offset = offset
    response = api_user(console, console.add_staff()).post(f"{API_PREFIX}/handoffs/{handoff.id}/reply", {"text": "Yes"})
    assert response.status_code == status
    if status == 409:
        assert response.get_json()["error"] == "quiet_hours" and "quiet hours" in response.get_json()["message"]
        assert queued_texts(console, handoff) == [] and console.handoffs.get(handoff.id).first_response_at is None
    else:
        assert len(queued_texts(console, handoff)) == 1


def test_a_reply_to_an_opted_out_seeker_is_refused(console):
    handoff = console.open_handoff()
    console.intake.record_opt_out(handoff.channel, handoff.address, "STOP")
    user = api_user(console, console.add_staff())
    response = user.post(f"{API_PREFIX}/handoffs/{handoff.id}/reply", {"text": "still there?"})
    assert (response.status_code, response.get_json()["error"]) == (409, "opted_out")
    assert queued_texts(console, handoff) == []
    # The detail says so before anyone types.
    assert user.get(f"{API_PREFIX}/handoffs/{handoff.id}").get_json()["reply_blocked"]["error"] == "opted_out"


def test_staff_cannot_reply_to_someone_elses_claim_but_an_admin_can(console):
    holder, other, admin = console.add_staff(), console.add_staff(), console.add_admin()
    handoff = console.open_handoff()
    console.handoffs.claim(handoff.id, holder.id)
    refused = api_user(console, other).post(f"{API_PREFIX}/handoffs/{handoff.id}/reply", {"text": "hello"})
    assert (refused.status_code, refused.get_json()["error"]) == (403, "not_yours")
    assert api_user(console, admin).post(f"{API_PREFIX}/handoffs/{handoff.id}/reply", {"text": "hello"}).status_code == 201
    assert console.handoffs.get(handoff.id).assignee_id == holder.id
    assert [message.details["staff_id"] for message in queued_texts(console, handoff)] == [admin.id]


@pytest.mark.parametrize(
    "body, error",
    [({"text": ""}, "empty"), ({"text": "   "}, "empty"), ({"text": "x" * 1601}, "too_long"), ({}, "empty"),
     ({"text": 5}, "invalid_body"), (["text"], "invalid_body")],
)
def test_a_bad_reply_body_is_422(console, body, error):
    handoff = console.open_handoff()
    response = api_user(console, console.add_staff()).post(f"{API_PREFIX}/handoffs/{handoff.id}/reply", body)
    assert (response.status_code, response.get_json()["error"]) == (422, error)
    assert queued_texts(console, handoff) == []


def test_a_body_that_is_not_json_is_422(console):
    handoff = console.open_handoff()
    user = api_user(console, console.add_staff())
    response = user.client.post(f"{API_PREFIX}/handoffs/{handoff.id}/notes", headers=user.headers, data="text=hi")
    assert (response.status_code, response.get_json()["error"]) == (422, "invalid_body")


# --- notes and labels --------------------------------------------------------------------------


def test_notes_and_labels_are_saved_and_audited_without_their_text(console):
    account = console.add_staff()
    handoff = console.open_handoff()
    user = api_user(console, account)
    note = user.post(f"{API_PREFIX}/handoffs/{handoff.id}/notes", {"text": "Lives at 123 Main"})
    assert note.status_code == 201 and note.get_json()["note"]["text"] == "Lives at 123 Main"
    labels = user.post(f"{API_PREFIX}/handoffs/{handoff.id}/labels", {"labels": ["Needs Callback", "documents"]})
    assert labels.get_json()["handoff"]["labels"] == ["needs-callback", "documents"]
    assert console.handoffs.get(handoff.id).labels == ("needs-callback", "documents")
    entries = console.staff.audit_entries(staff_id=account.id)
    assert [entry.action for entry in entries[:2]] == ["labels_set", "note_added"]
    assert "123 Main" not in repr(entries) and "callback" not in repr(entries).lower()


@pytest.mark.parametrize(
    "path, body, error",
    [("notes", {"text": " "}, "invalid_note"), ("notes", {"text": "x" * 5000}, "invalid_note"),
     ("labels", {"labels": "a,b"}, "invalid_body"), ("labels", {"labels": ["x" * 100]}, "invalid_labels"),
     ("labels", {}, "invalid_body")],
)
def test_bad_notes_and_labels_are_422(console, path, body, error):
    handoff = console.open_handoff()
    response = api_user(console, console.add_staff()).post(f"{API_PREFIX}/handoffs/{handoff.id}/{path}", body)
    assert (response.status_code, response.get_json()["error"]) == (422, error)
    assert console.handoffs.notes(handoff.id) == [] and console.handoffs.get(handoff.id).labels == ()


# --- closing -----------------------------------------------------------------------------------


def test_close_resumes_the_bot_and_tells_the_seeker_in_their_language(console):
    account = console.add_staff()
    handoff = console.open_handoff(language="es")
    user = api_user(console, account)
    response = user.post(f"{API_PREFIX}/handoffs/{handoff.id}/close")
    assert response.status_code == 200
    assert response.get_json()["seeker_told"] is True
    assert response.get_json()["handoff"]["closed_by"]["id"] == account.id
    assert console.handoffs.open_for(handoff.channel, handoff.address) is None
    assert console.handoffs.get(handoff.id).status == HANDOFF_CLOSED
    [told] = queued_texts(console, handoff)
    assert told.text == channel_reply("handoff_closed", "es")
    again = user.post(f"{API_PREFIX}/handoffs/{handoff.id}/close")
    assert (again.status_code, again.get_json()["error"]) == (409, "already_closed")
    assert len(queued_texts(console, handoff)) == 1


def test_closing_for_an_opted_out_seeker_says_they_were_not_told(console):
    handoff = console.open_handoff()
    console.intake.record_opt_out(handoff.channel, handoff.address, "STOP")
    response = api_user(console, console.add_staff()).post(f"{API_PREFIX}/handoffs/{handoff.id}/close")
    assert response.get_json()["seeker_told"] is False and queued_texts(console, handoff) == []


def test_staff_cannot_close_someone_elses_claim(console):
    holder, other = console.add_staff(), console.add_staff()
    handoff = console.open_handoff()
    console.handoffs.claim(handoff.id, holder.id)
    response = api_user(console, other).post(f"{API_PREFIX}/handoffs/{handoff.id}/close")
    assert (response.status_code, response.get_json()["error"]) == (403, "not_yours")
    assert console.handoffs.open_for(handoff.channel, handoff.address) is not None


# --- events ------------------------------------------------------------------------------------


def test_events_are_listed_with_their_counts(console):
    people = People(console)
    event = people.event(capacity=1)
    people.register(event, people.seeker("Ana"))
    people.register(event, people.seeker("Bo"), join_waitlist=True)
    user = api_user(console, console.add_staff())
    [listed] = user.get(f"{API_PREFIX}/events").get_json()["events"]
    assert listed["code"] == event.code and listed["name"]["es"] == event.name["es"]
    assert (listed["counts"]["registered"], listed["counts"]["waitlisted"], listed["counts"]["attended"]) == (1, 1, 0)
    one = user.get(f"{API_PREFIX}/events/{event.code.lower()}")
    assert one.status_code == 200 and one.get_json()["event"]["counts"]["registered"] == 1
    assert user.get(f"{API_PREFIX}/events/NOSUCH1").status_code == 404


def test_check_in_by_confirmation_code(console):
    people = People(console)
    event, elsewhere = people.event(), people.event()
    registration = people.register(event, people.seeker("Ana"))
    other_registration = people.register(elsewhere, people.seeker("Bo"))
    account = console.add_staff()
    user = api_user(console, account)
    path = f"{API_PREFIX}/events/{event.code}/check-in"

    first = user.post(path, {"confirmation_code": registration.confirmation_code.lower()})
    assert first.status_code == 200
    assert (first.get_json()["outcome"], first.get_json()["registration"]["first_name"]) == ("checked_in", "Ana")
    again = user.post(path, {"confirmation_code": registration.confirmation_code})
    assert (again.status_code, again.get_json()["outcome"]) == (200, "already_checked_in")
    assert user.post(path, {"confirmation_code": "ZZZZZZ"}).status_code == 404
    wrong_event = user.post(path, {"confirmation_code": other_registration.confirmation_code})
    assert (wrong_event.status_code, wrong_event.get_json()["error"]) == (409, "other_event")
    assert people.events.registrations.counts(event.code)["attended"] == 1
    assert people.events.registrations.counts(elsewhere.code)["attended"] == 0
    checked = [e for e in console.staff.audit_entries(staff_id=account.id) if e.action == "checked_in"]
    assert [(e.subject_id, e.details) for e in checked] == [(event.code, {"registration_id": registration.id})]


# --- the funnel --------------------------------------------------------------------------------


def test_the_funnel_counts_this_periods_seekers(console):
    for _ in range(2):
        console.open_handoff()
    today = console.clock().astimezone(ZoneInfo("America/Chicago")).date()
    first = (today - timedelta(days=1)).isoformat()
    response = api_user(console, console.add_staff()).get(f"{API_PREFIX}/reports/funnel", **{"from": first, "to": today.isoformat()})
    assert response.status_code == 200
    assert response.get_json()["period"] == {"from": first, "to": today.isoformat(), "zone": "America/Chicago"}
    stages = {stage["key"]: stage for stage in response.get_json()["stages"]}
    assert (stages["started"]["count"], stages["handed_off"]["count"], stages["handed_off"]["share_of_started"]) == (2, 2, 1.0)
    assert response.get_json()["first_response"] == {"median_business_seconds": None, "answered": 0, "unanswered": 2}


@pytest.mark.parametrize("query", [{"from": "yesterday"}, {"from": "2026-02-01", "to": "2026-01-01"}, {"from": "2020-01-01", "to": "2026-01-01"}])
def test_a_bad_period_is_422(console, query):
    response = api_user(console, console.add_staff()).get(f"{API_PREFIX}/reports/funnel", **query)
    assert (response.status_code, response.get_json()["error"]) == (422, "invalid_period")


def test_a_json_body_over_the_size_limit_is_refused_and_nothing_is_sent(console):
    account = console.add_staff()
    handoff = console.open_handoff()
    user = api_user(console, account)
    response = user.post(f"/api/v1/handoffs/{handoff.id}/reply", {"text": "x" * (65 * 1024)})
    assert response.status_code == 413
    assert queued_texts(console, handoff) == []
