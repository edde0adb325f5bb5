"""The re-contact report page: seekers an older rules version told "unlikely" who would do better now."""
from __future__ import annotations

from datetime import datetime, timezone

from bot.screening.parameters import rules_version
from bot.store import IntakeStore
from bot.store.models import AuditEntry
from tests.staff.conftest import new_address

SCREENED_AT = datetime(2026, 11, 20, 16, 0, tzinfo=timezone.utc)
# A 40-year-old out of work with no claim: "unlikely" for Dislocated Worker under 2026.11.1,
# "possible" now (WIOA 3(15)(A)(ii): eligible for unemployment compensation, not receiving it).
OUT_OF_WORK = {
    "first_name": "Luis", "zip_code": "60623", "sectors": ["hospitality"], "age": 40, "sex": "female",
    "work_authorized": True, "employment_status": "unemployed", "ui_status": "not_filed", "in_school": False,
    "education": "diploma", "veteran": False, "military_spouse": False, "public_assistance": [], "barriers": [],
}
OLD_RESULTS = {"programs": {"wioa_dislocated_worker": {"determination": "unlikely"},
                            "wioa_adult": {"determination": "likely"}}}


def test_the_page_lists_who_an_old_rule_told_unlikely(console):
    screenings = IntakeStore(console.engine, clock=lambda: SCREENED_AT)  # the day of the old screening
    told_unlikely = new_address()
    screenings.complete_screening("twilio", told_unlikely, OUT_OF_WORK, OLD_RESULTS, "2026.11.1")
    already_current = new_address()
    screenings.complete_screening(
        "twilio", already_current, {**OUT_OF_WORK, "first_name": "Ana"}, OLD_RESULTS, rules_version()
    )
    staff = console.add_staff()

    response = console.signed_in(staff).get("/reports/recontact")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Luis" in page and "Ana" not in page
    assert "WIOA Dislocated Worker: unlikely → possible" in page
    assert told_unlikely[-4:] in page and told_unlikely not in page  # masked, never the full number
    assert 'data-told-unlikely="yes"' in page
    with console.engine.connect() as connection:
        actions = [row.action for row in connection.execute(AuditEntry.__table__.select())]
    assert "recontact_viewed" in actions


def test_the_page_needs_a_sign_in(console):
    response = console.client().get("/reports/recontact")
    assert response.status_code in (302, 303)


def test_the_conversation_page_says_when_the_current_rules_give_a_better_result(console):
    handoff = console.open_handoff()
    screenings = IntakeStore(console.engine, clock=lambda: SCREENED_AT)
    screenings.complete_screening(handoff.channel, handoff.address, OUT_OF_WORK, OLD_RESULTS, "2026.11.1")
    page = console.signed_in(console.add_staff()).get(f"/handoffs/{handoff.id}").get_data(as_text=True)
    assert 'id="rules-changed"' in page
    assert "WIOA Dislocated Worker: unlikely → possible" in page
    assert f"current rules ({rules_version()}; this screening used 2026.11.1)" in page


def test_the_conversation_page_flags_nothing_for_a_screening_by_the_current_rules(console):
    handoff = console.open_handoff()
    screenings = IntakeStore(console.engine, clock=lambda: SCREENED_AT)
    screenings.complete_screening(handoff.channel, handoff.address, OUT_OF_WORK, OLD_RESULTS, rules_version())
    page = console.signed_in(console.add_staff()).get(f"/handoffs/{handoff.id}").get_data(as_text=True)
    assert "Latest screening" in page and 'id="rules-changed"' not in page
