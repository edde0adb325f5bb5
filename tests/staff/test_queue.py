"""The queue page: order, filters, masking, SLA colours, and claims that expire."""
from __future__ import annotations

import re
from datetime import time, timedelta
from time import sleep

import pytest

from bot.handoff.business_hours import BusinessCalendar
from bot.staff.claims import StaleClaimReleaser, release_stale_claims
from bot.staff.services import EXTENSION_KEY
from bot.store.vocabulary import HANDOFF_ASSIGNED, HANDOFF_WAITING
from tests.staff.conftest import post


def _listed_ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'href="/handoffs/(\d+)"', page)]


def test_the_queue_lists_priority_first_then_oldest(console):
    older = console.open_handoff()
    newer = console.open_handoff()
    veteran = console.open_handoff(priority=2)
    page = console.signed_in(console.add_staff()).get("/").get_data(as_text=True)
    assert _listed_ids(page) == [veteran.id, older.id, newer.id]


def test_the_queue_masks_phone_numbers(console):
    handoff = console.open_handoff()
    page = console.signed_in(console.add_staff()).get("/").get_data(as_text=True)
    assert handoff.address not in page
    assert handoff.address[-4:] in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"mine", "unassigned", "healthcare_es"}),
        ("?view=mine", {"mine"}),
        ("?view=unassigned", {"unassigned", "healthcare_es"}),
        ("?team=healthcare", {"healthcare_es"}),
        ("?language=es", {"healthcare_es"}),
        ("?status=assigned", {"mine"}),
        ("?status=waiting", {"unassigned", "healthcare_es"}),
        ("?status=closed", {"closed"}),
        ("?view=nonsense&team=<b>", {"mine", "unassigned", "healthcare_es"}),
    ],
)
def test_queue_filters(console, query, expected):
    account = console.add_staff()
    client = console.signed_in(account)
    handoffs = {
        "mine": console.open_handoff(),
        "unassigned": console.open_handoff(),
        "healthcare_es": console.open_handoff(team="healthcare", language="es"),
        "closed": console.open_handoff(),
    }
    console.handoffs.claim(handoffs["mine"].id, account.id)
    console.handoffs.close(handoffs["closed"].id, account.id)
    by_id = {handoff.id: name for name, handoff in handoffs.items()}
    listed = _listed_ids(client.get("/" + query).get_data(as_text=True))
    assert {by_id[handoff_id] for handoff_id in listed} == expected
    # The polled table body follows the same filters.
    rows = client.get("/queue/rows" + query).get_data(as_text=True)
    assert {by_id[handoff_id] for handoff_id in _listed_ids(rows)} == expected


def test_suited_shows_only_my_teams_and_languages(console):
    account = console.add_staff(languages=["en"], teams=["healthcare"])
    handoffs = {
        "healthcare_en": console.open_handoff(team="healthcare"),
        "healthcare_es": console.open_handoff(team="healthcare", language="es"),
        "it_en": console.open_handoff(team="it"),
        "general_en": console.open_handoff(),
    }
    by_id = {handoff.id: name for name, handoff in handoffs.items()}
    listed = _listed_ids(console.signed_in(account).get("/?view=suited").get_data(as_text=True))
    assert {by_id[handoff_id] for handoff_id in listed} == {"healthcare_en", "general_en"}


@pytest.mark.parametrize("minutes_later, colour", [(0, "ok"), (50, "warning"), (70, "breached")])
def test_each_row_has_its_sla_colour(console_factory, minutes_later, colour):
    # Open every day around the clock, so the business clock runs with the wall clock.
    always_open = BusinessCalendar(workdays=frozenset(range(7)), opens=time(0), closes=time(23, 59, 59))
    console = console_factory(business_calendar=always_open)
    handoff = console.open_handoff()
    console.clock.offset = timedelta(minutes=minutes_later)
    page = console.signed_in(console.add_staff()).get("/").get_data(as_text=True)
    row = re.search(r'<tr class="sla-(\w+)">\s*<td>.*?href="/handoffs/(\d+)"', page, re.S)
    assert row and int(row.group(2)) == handoff.id
    assert row.group(1) == colour


def test_visiting_the_queue_returns_stale_claims_to_the_pool(console):
    holder = console.add_staff()
    stale = console.open_handoff()
    answered = console.open_handoff()
    fresh_claim = console.open_handoff()
    console.handoffs.claim(stale.id, holder.id)
    console.handoffs.claim(answered.id, holder.id)
    console.handoffs.record_staff_reply(answered.id, holder.id)
    client = console.signed_in(console.add_staff())
    console.clock.offset = timedelta(minutes=31)
    console.handoffs.claim(fresh_claim.id, holder.id, now=console.clock())
    client.get("/")
    assert console.handoffs.get(stale.id).status == HANDOFF_WAITING
    assert console.handoffs.get(answered.id).status == HANDOFF_ASSIGNED
    assert console.handoffs.get(fresh_claim.id).status == HANDOFF_ASSIGNED
    expired = [entry for entry in console.staff.audit_entries(subject_type="handoff") if entry.action == "claim_expired"]
    assert [(entry.subject_id, entry.staff_id) for entry in expired] == [(str(stale.id), None)]


def test_a_claim_younger_than_the_timeout_stays(console_factory):
    console = console_factory(claim_timeout=timedelta(minutes=10))
    holder = console.add_staff()
    handoff = console.open_handoff()
    console.handoffs.claim(handoff.id, holder.id)
    console.clock.offset = timedelta(minutes=9)
    assert release_stale_claims(console.app.extensions[EXTENSION_KEY]) == []
    console.clock.offset = timedelta(minutes=11)
    assert release_stale_claims(console.app.extensions[EXTENSION_KEY]) == [handoff.id]


def test_the_background_releaser_runs_on_its_own(console):
    holder = console.add_staff()
    handoff = console.open_handoff()
    console.handoffs.claim(handoff.id, holder.id)
    console.clock.offset = timedelta(minutes=31)
    releaser = StaleClaimReleaser(console.app.extensions[EXTENSION_KEY], interval=0.05)
    releaser.start()
    try:
        for _ in range(100):
            if console.handoffs.get(handoff.id).status == HANDOFF_WAITING:
                break
            sleep(0.05)
    finally:
        releaser.stop()
    assert console.handoffs.get(handoff.id).status == HANDOFF_WAITING


def test_claiming_from_the_queue_shows_the_assignee(console):
    account = console.add_staff(name="Ana Staff")
    handoff = console.open_handoff()
    client = console.signed_in(account)
    post(client, f"/handoffs/{handoff.id}/claim")
    assert "Ana Staff" in client.get("/").get_data(as_text=True)
