"""Sign-in under attack, through Flask's test client: unknown names answered like real ones,
waits that hammering does not lengthen, a limit per address, and a bound on password hashes
computed at once."""
from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest

from bot.staff import passwords
from tests.staff.conftest import PASSWORD

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.20"


def login_from(client, address: str, username: str, password: str):
    environ = {"REMOTE_ADDR": address}
    page = client.get("/login", environ_base=environ).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}, environ_base=environ
    )


def test_an_unknown_name_is_answered_exactly_like_a_real_one(console):
    account = console.add_staff()
    answers = {}
    for name in (account.username, "nobody-by-this-name"):
        client = console.client()
        answers[name] = [
            (response.status_code, "locked" in response.get_data(as_text=True))
            for response in (login_from(client, ATTACKER, name, "wrong password!") for _ in range(6))
        ]
    assert answers[account.username] == answers["nobody-by-this-name"]
    assert answers[account.username] == [(401, False)] * 4 + [(429, True)] * 2


def test_hammering_a_waiting_account_does_not_lengthen_its_wait(console):
    account = console.add_staff()
    client = console.client()
    for _ in range(5):
        login_from(client, ATTACKER, account.username, "wrong password!")
    for _ in range(30):  # an attacker trying to keep the account locked for ever
        assert login_from(client, ATTACKER, account.username, "wrong password!").status_code == 429
    console.clock.offset = timedelta(minutes=1, seconds=1)
    assert login_from(console.client(), OFFICE, account.username, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "failures_after_the_first_wait, still_waiting_at, free_at",
    [
        (1, timedelta(minutes=2, seconds=59), timedelta(minutes=3, seconds=1)),  # 1 min, then 2
        (2, timedelta(minutes=6, seconds=59), timedelta(minutes=7, seconds=1)),  # then 4
    ],
)
def test_each_failure_after_a_wait_doubles_the_next_wait(console, failures_after_the_first_wait, still_waiting_at, free_at):
    account = console.add_staff()
    client = console.client()
    for _ in range(5):
        login_from(client, ATTACKER, account.username, "wrong password!")
    elapsed = timedelta(minutes=1)
    for doubling in range(failures_after_the_first_wait):
        console.clock.offset = elapsed + timedelta(seconds=1)
        assert login_from(client, ATTACKER, account.username, "wrong password!").status_code == 429
        elapsed += timedelta(minutes=2 ** (doubling + 1))
    console.clock.offset = still_waiting_at
    assert login_from(client, OFFICE, account.username, PASSWORD).status_code == 429
    console.clock.offset = free_at
    assert login_from(client, OFFICE, account.username, PASSWORD).status_code == 302


def test_many_names_tried_from_one_address_make_that_address_wait_and_no_other(console):
    account = console.add_staff()
    client = console.client()
    for index in range(21):  # each name stays under its own allowance
        login_from(client, ATTACKER, f"guess-{index}", "wrong password!")
    assert login_from(console.client(), ATTACKER, account.username, PASSWORD).status_code == 429
    assert login_from(console.client(), OFFICE, account.username, PASSWORD).status_code == 302


def test_concurrent_sign_ins_compute_a_bounded_number_of_hashes_at_once(console, monkeypatch):
    account = console.add_staff()
    running = 0
    most = 0
    guard = threading.Lock()
    real_hasher = passwords._hasher

    def slow_verify(hashed: str, password: str) -> bool:
        nonlocal running, most
        with guard:
            running += 1
            most = max(most, running)
        try:
            time.sleep(0.2)
            return real_hasher.verify(hashed, password)
        finally:
            with guard:
                running -= 1

    class SlowHasher:
        """argon2's hasher with a slower verify that counts how many run at once."""

        verify = staticmethod(slow_verify)

        def __getattr__(self, name: str):
            return getattr(real_hasher, name)

    monkeypatch.setattr(passwords, "_hasher", SlowHasher())
    statuses: list[int] = []

    def sign_in(index: int) -> None:
        address = f"192.0.2.{index}"
        statuses.append(login_from(console.client(), address, account.username, PASSWORD).status_code)

    threads = [threading.Thread(target=sign_in, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * 8
    assert most == passwords.MAX_CONCURRENT_HASHES


def test_past_the_wait_for_a_hashing_slot_the_answer_is_busy_not_a_hash(console, monkeypatch):
    account = console.add_staff()
    monkeypatch.setattr(passwords, "HASHING_WAIT_SECONDS", 0.05)
    taken = [passwords._hashing_slots.acquire() for _ in range(passwords.MAX_CONCURRENT_HASHES)]
    try:
        assert login_from(console.client(), OFFICE, account.username, PASSWORD).status_code == 503
    finally:
        for _ in taken:
            passwords._hashing_slots.release()
    assert login_from(console.client(), OFFICE, account.username, PASSWORD).status_code == 302
