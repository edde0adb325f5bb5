"""Sessions end for good, through Flask's test client: a cookie copied before signing out or
before a new password no longer works, and no session outlives 12 hours from sign-in however
busy it is kept."""
from __future__ import annotations

from datetime import timedelta

from bot.staff.app import SESSION_COOKIE_NAME
from bot.staff.auth import ABSOLUTE_SESSION_LIFETIME
from bot.staff.passwords import hash_password
from tests.staff.conftest import post


def copied_session(console, client):
    """Another browser holding a copy of `client`'s session cookie."""
    thief = console.client()
    thief.set_cookie(SESSION_COOKIE_NAME, client.get_cookie(SESSION_COOKIE_NAME).value)
    return thief


def signed_in_page(client) -> bool:
    return client.get("/").status_code == 200


def test_signing_out_ends_a_copied_cookie_too(console):
    account = console.add_staff()
    client = console.signed_in(account)
    thief = copied_session(console, client)
    assert signed_in_page(thief)  # the copy works while the session lives
    post(client, "/logout")
    assert not signed_in_page(thief)
    assert not signed_in_page(client)
    assert signed_in_page(console.signed_in(account))  # signing in again starts afresh


def test_a_new_password_ends_every_earlier_session(console):
    account = console.add_staff()
    client = console.signed_in(account)
    thief = copied_session(console, client)
    console.staff.set_password_hash(account.id, hash_password("a brand new password"))  # `staff password`
    assert not signed_in_page(thief)
    assert not signed_in_page(client)


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(console):
    client = console.signed_in(console.add_staff())
    for hours in range(0, 12, 2):  # used every two hours: Flask's own lifetime keeps sliding
        console.clock.offset = timedelta(hours=hours)
        assert signed_in_page(client), hours
    console.clock.offset = ABSOLUTE_SESSION_LIFETIME + timedelta(minutes=1)
    assert not signed_in_page(client)
