"""WARN notices in the console: the list and its filters, one notice's page and its response
status, a notice added by hand; signed-in staff only, every view and change audited, the state's
text escaped."""
from __future__ import annotations

from datetime import date

import pytest

from bot.store.warn_store import WarnStore
from bot.warn.notices import WarnNotice
from tests.staff.conftest import post


def _notice(employer: str, **fields) -> WarnNotice:
    values = dict(
        employer=employer, iebs_id=f"ID{abs(hash(employer)) % 10**8}", city="Chicago", zip_code="60609", lwia="7",
        reason="Plant Closure", industry="Warehousing", expected_layoff=120, reported_on=date(2026, 10, 1),
        notifications=(date(2026, 10, 1),),
    )
    values.update(fields)
    return WarnNotice(**values)


@pytest.fixture
def stored(console):
    store = WarnStore(console.engine)
    store.import_notices([
        _notice("Acme Foods Inc."),
        _notice("Lakeside Logistics LLC", reason="Mass Layoff", city="Harvey", zip_code="60426", reported_on=date(2026, 11, 20)),
        _notice("Rockford Tool Co.", lwia="3", city="Rockford", zip_code="61103"),
        _notice("<script>alert(1)</script> &amp; Sons", reported_on=date(2025, 1, 2)),
    ])
    return store


def _rows(page: str) -> int:
    return page.count('href="/notices/') - page.count('href="/notices/new')


def test_the_list_shows_this_areas_notices_newest_first_and_filters(console, stored):
    client = console.signed_in(console.add_staff())
    page = client.get("/notices").get_data(as_text=True)
    assert _rows(page) == 3  # LWIA 7 by default; Rockford is area 3
    assert page.index("Lakeside Logistics") < page.index("Acme Foods")
    assert "Rockford" not in page.split("<tbody>")[1]

    every_area = client.get("/notices?area=all").get_data(as_text=True)
    assert _rows(every_area) == 4
    by_type = client.get("/notices?reason=Mass+Layoff").get_data(as_text=True)
    assert _rows(by_type) == 1 and "Lakeside" in by_type
    by_words = client.get("/notices?q=harvey").get_data(as_text=True)
    assert _rows(by_words) == 1 and "Lakeside" in by_words
    by_dates = client.get("/notices?from=2026-01-01&to=2026-10-31").get_data(as_text=True)
    assert _rows(by_dates) == 1 and "Acme" in by_dates
    assert client.get("/notices?from=yesterday").status_code == 400


def test_the_states_text_is_escaped(console, stored):
    client = console.signed_in(console.add_staff())
    page = client.get("/notices").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; Sons" in page


def test_a_notice_page_is_audited_and_its_response_status_changes(console, stored):
    account = console.add_staff()
    client = console.signed_in(account)
    (record,) = [r for r in stored.list_notices() if r.notice.employer == "Acme Foods Inc."]
    page = client.get(f"/notices/{record.id}").get_data(as_text=True)
    assert "Acme Foods Inc." in page and "120 expected" in page and "2026-10-01" in page

    response = post(client, f"/notices/{record.id}/status", status="in_progress")
    assert response.status_code == 302
    assert stored.get(record.id).response_status == "in_progress"
    assert post(client, f"/notices/{record.id}/status", status="shredded").status_code == 400
    assert client.post(f"/notices/{record.id}/status", data={"status": "done"}).status_code == 400  # no CSRF token
    assert stored.get(record.id).response_status == "in_progress"

    actions = [(e.action, e.details) for e in console.staff.audit_entries(subject_type="warn_notice", subject_id=record.id)]
    assert ("viewed", None) in actions
    assert ("notice_status_changed", {"from": "new", "to": "in_progress"}) in actions
    assert client.get("/notices/999999").status_code == 404


def test_staff_add_a_notice_by_hand_and_a_bad_form_keeps_what_was_typed(console):
    account = console.add_staff()
    client = console.signed_in(account)
    refused = post(client, "/notices/new", employer="Midway Bakery", zip_code="606", expected_layoff="lots", reported_on="")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "A ZIP code is 5 digits." in page and "whole number" in page and 'value="Midway Bakery"' in page

    added = post(client, "/notices/new", employer="Midway Bakery", city="Chicago", zip_code="60638",
                  reason="Layoff", expected_layoff="45", reported_on="2026-12-01", lwia="7")
    assert added.status_code == 302
    (record,) = WarnStore(console.engine).list_notices()
    assert (record.origin, record.notice.employer, record.notice.expected_layoff) == ("staff", "Midway Bakery", 45)
    again = post(client, "/notices/new", employer="Midway Bakery", reported_on="2026-12-01")
    assert again.status_code == 400 and "exists already" in again.get_data(as_text=True)
    assert [e.action for e in console.staff.audit_entries(staff_id=account.id) if e.subject_type == "warn_notice"] == ["notice_created"]


@pytest.mark.parametrize("path", ["/notices", "/notices/1", "/notices/new"])
def test_nobody_signed_out_sees_notices(console, path):
    response = console.client().get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
