"""Sign-in, sessions, roles, CSRF and lockout, over HTTP with Flask's test client."""
from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.routing import Rule

from bot.staff.app import SESSION_COOKIE_NAME
from bot.store.warn_store import WarnStore
from bot.warn.notices import WarnNotice
from tests.staff.conftest import PASSWORD, csrf_of, login, post

# Pages anyone may open: the sign-in form, the health check for the supervisor, the css/js.
# The OpenAPI document is public on purpose: it describes the API, it opens nothing.
# health and ready say only "ok" or which check fails (bot/health.py), for the supervisor and proxies.
PUBLIC_ENDPOINTS = {"auth.login", "healthz", "health", "ready", "static", "api.openapi_document"}
ARGUMENT_EXAMPLES = {"int": 1, "default": "x", "path": "x", "string": "x", "any": "x", "uuid": "0" * 32}


def _example_path(console, rule: Rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__.replace("Converter", "").lower()
        values[name] = ARGUMENT_EXAMPLES.get(converter, "1")
    return console.app.url_map.bind("localhost").build(rule.endpoint, values, method=sorted(rule.methods)[0])


def _every_protected_route(console):
    for rule in console.app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, _example_path(console, rule), rule.endpoint


def test_no_page_answers_without_a_session(console):
    routes = list(_every_protected_route(console))
    # The console's own pages are among them (this test cannot pass by finding no routes).
    endpoints = {endpoint for _, _, endpoint in routes}
    assert {"queue.index", "queue.rows", "conversation.show", "conversation.new_messages",
            "conversation.send_reply", "conversation.close", "accounts.index", "auth.logout"} <= endpoints
    client = console.client()
    handoff = console.open_handoff()
    console.seeker_writes(handoff, "a message nobody should read without signing in")
    for method, path, endpoint in routes:
        # A valid token (sign-out clears it, so fetched each time): the missing login refuses, not CSRF.
        token = csrf_of(client)
        response = client.open(path.replace("/1", f"/{handoff.id}", 1), method=method, data={"csrf_token": token, "text": "hi"})
        refused = response.status_code == 401 or (
            response.status_code == 302 and response.headers["Location"].startswith("/login")
        )
        assert refused, f"{method} {path} ({endpoint}) answered {response.status_code} without a session"
        assert "nobody should read" not in response.get_data(as_text=True)


@pytest.mark.parametrize("public_path", ["/login", "/healthz"])
def test_the_public_pages_answer_without_a_session(console, public_path):
    assert console.client().get(public_path).status_code == 200


def test_staff_cannot_open_admin_pages_and_admins_can(console):
    admin_only = [
        rule for rule in console.app.url_map.iter_rules()
        if getattr(console.app.view_functions[rule.endpoint], "admin_only", False)
    ]
    assert "accounts.index" in {rule.endpoint for rule in admin_only}
    # Admin pages about a WARN notice need one to exist (the example paths use id 1).
    WarnStore(console.engine).import_notices([WarnNotice(employer="Example Employer", iebs_id="1")])
    staff_client = console.signed_in(console.add_staff())
    admin_client = console.signed_in(console.add_admin())
    for rule in admin_only:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path = _example_path(console, rule)
            if method == "GET":
                assert staff_client.get(path).status_code == 403, path
                # 404: a route about one event, and no event has the example code.
                assert admin_client.get(path).status_code in (200, 404), path
            else:
                assert post(staff_client, path).status_code == 403, path


def test_the_accounts_page_lists_staff_for_an_admin(console):
    colleague = console.add_staff(name="Rosa Colleague", teams=["healthcare"])
    page = console.signed_in(console.add_admin()).get("/accounts").get_data(as_text=True)
    assert "Rosa Colleague" in page and colleague.username in page and "healthcare" in page


def test_the_navigation_links_events_reports_and_for_admins_accounts(console):
    staff_page = console.signed_in(console.add_staff()).get("/").get_data(as_text=True)
    admin_page = console.signed_in(console.add_admin()).get("/").get_data(as_text=True)
    for page in (staff_page, admin_page):
        assert 'href="/events"' in page and 'href="/reports"' in page
    assert 'href="/accounts"' in admin_page and 'href="/accounts"' not in staff_page


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_a_post_without_the_right_csrf_token_is_refused(console, token):
    account = console.add_staff()
    client = console.signed_in(account)
    handoff = console.open_handoff()
    fields = {"text": "a note"} if token is None else {"text": "a note", "csrf_token": token}
    response = client.post(f"/handoffs/{handoff.id}/notes", data=fields)
    assert response.status_code == 400
    assert console.handoffs.notes(handoff.id) == []
    # The same post with the session's token goes through.
    assert post(client, f"/handoffs/{handoff.id}/notes", text="a note").status_code == 302
    assert [note.text for note in console.handoffs.notes(handoff.id)] == ["a note"]


def test_login_itself_needs_the_csrf_token(console):
    account = console.add_staff()
    client = console.client()
    response = client.post("/login", data={"username": account.username, "password": PASSWORD})
    assert response.status_code == 400
    assert console.staff.audit_entries(staff_id=account.id) == []


def test_every_form_carries_the_csrf_token(console):
    account = console.add_staff()
    client = console.signed_in(account)
    handoff = console.open_handoff()
    page = client.get(f"/handoffs/{handoff.id}").get_data(as_text=True)
    forms = page.count("<form")
    assert forms >= 6  # sign out, claim, close, reply, labels, note
    assert page.count('name="csrf_token"') == forms


def test_the_right_password_signs_in_and_is_audited(console):
    account = console.add_staff()
    response = login(console.client(), account.username, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert [entry.action for entry in console.staff.audit_entries(staff_id=account.id)] == ["login_ok"]


@pytest.mark.parametrize("username_case", [str.upper, lambda name: f"  {name} "])
def test_usernames_match_without_case_or_spaces(console, username_case):
    account = console.add_staff()
    assert login(console.client(), username_case(account.username), PASSWORD).status_code == 302


@pytest.mark.parametrize("username", ["nobody-by-this-name", ""])
def test_an_unknown_username_is_refused_like_a_wrong_password(console, username):
    response = login(console.client(), username, PASSWORD)
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(as_text=True)


def test_a_disabled_account_cannot_sign_in_and_loses_its_session(console):
    account = console.add_staff()
    client = console.signed_in(account)
    console.staff.set_disabled(account.id, True)
    assert client.get("/").status_code == 302
    assert login(console.client(), account.username, PASSWORD).status_code == 401


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(console):
    account = console.add_staff()
    client = console.client()
    for attempt in range(1, 5):
        response = login(client, account.username, "wrong password!")
        assert response.status_code == 401, attempt
    # The fifth failure locks.
    assert login(client, account.username, "wrong password!").status_code == 429
    response = login(client, account.username, PASSWORD)
    assert response.status_code == 429
    assert "locked" in response.get_data(as_text=True)
    actions = [entry.action for entry in reversed(console.staff.audit_entries(staff_id=account.id))]
    assert actions == ["login_failed"] * 5 + ["login_locked"]
    # Once the lock has run out, the right password works again.
    console.clock.offset = timedelta(minutes=16)
    assert login(client, account.username, PASSWORD).status_code == 302


def test_four_wrong_passwords_do_not_lock(console):
    account = console.add_staff()
    client = console.client()
    for _ in range(4):
        login(client, account.username, "wrong password!")
    assert login(client, account.username, PASSWORD).status_code == 302
    assert console.staff.get(account.id).failed_logins == 0


def _session_cookie(client) -> str | None:
    cookie = client.get_cookie(SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


def test_the_session_cookie_is_renewed_at_login(console):
    account = console.add_staff()
    client = console.client()
    token_before = csrf_of(client)
    cookie_before = _session_cookie(client)
    assert cookie_before
    response = client.post("/login", data={"username": account.username, "password": PASSWORD, "csrf_token": token_before})
    assert response.status_code == 302
    assert _session_cookie(client) != cookie_before
    with client.session_transaction() as session:
        assert session["csrf_token"] != token_before
    # A form made before the login no longer posts.
    handoff = console.open_handoff()
    assert client.post(f"/handoffs/{handoff.id}/notes", data={"text": "x", "csrf_token": token_before}).status_code == 400


def test_the_session_cookie_is_http_only_and_same_site(console):
    account = console.add_staff()
    response = login(console.client(), account.username, PASSWORD)
    header = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith(SESSION_COOKIE_NAME))
    lowered = header.lower()
    assert "httponly" in lowered and "samesite=lax" in lowered and "secure" not in lowered


def test_the_cookie_is_secure_when_the_console_is_served_over_https(console_factory):
    console = console_factory(public_url="https://console.example.org")
    account = console.add_staff()
    response = login(console.client(), account.username, PASSWORD)
    header = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith(SESSION_COOKIE_NAME))
    assert "secure" in header.lower()


@pytest.mark.parametrize(
    "next_url, lands_on",
    [
        ("/handoffs/7", "/handoffs/7"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("", "/"),
    ],
)
def test_after_login_only_pages_of_this_site_are_followed(console, next_url, lands_on):
    account = console.add_staff()
    client = console.client()
    response = client.post(
        "/login", data={"username": account.username, "password": PASSWORD, "next": next_url, "csrf_token": csrf_of(client)}
    )
    assert response.headers["Location"] == lands_on


def test_a_page_asked_for_before_login_is_shown_after_it(console):
    account = console.add_staff()
    handoff = console.open_handoff()
    client = console.client()
    response = client.get(f"/handoffs/{handoff.id}")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'name="next" value="/handoffs/{handoff.id}"' in page
    signed_in = client.post(
        "/login",
        data={"username": account.username, "password": PASSWORD, "next": f"/handoffs/{handoff.id}", "csrf_token": csrf_of(client)},
    )
    assert signed_in.headers["Location"] == f"/handoffs/{handoff.id}"
    assert client.get(f"/handoffs/{handoff.id}").status_code == 200


def test_sign_out_ends_the_session(console):
    account = console.add_staff()
    client = console.signed_in(account)
    assert client.get("/").status_code == 200
    assert post(client, "/logout").status_code == 302
    assert client.get("/").status_code == 302
    assert console.staff.audit_entries(staff_id=account.id)[0].action == "logout"


def test_pages_forbid_caching_framing_and_foreign_scripts(console):
    response = console.signed_in(console.add_staff()).get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"




def test_a_form_over_the_size_limit_is_refused(console):
    response = console.client().post("/login", data=b"x" * (65 * 1024), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
