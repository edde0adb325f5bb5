"""The re-contact list after a rules change: who would get a better result now, most urgent first."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest

from bot.reports.recontact import StoredScreening, improvements, recontact_list, stored_determinations


@pytest.mark.parametrize(
    "before, after, expected",
    [
        ("unlikely", "possible", True),
        ("unlikely", "needs_info", True),
        ("needs_info", "possible", True),
        ("possible", "likely", True),
        ("unlikely", "likely", True),
        ("possible", "possible", False),
        ("likely", "possible", False),  # worse is not a reason to call
        ("possible", "unlikely", False),
        (None, "likely", False),  # the old result had no such program
        ("maybe", "likely", False),  # a determination neither side knows
    ],
)
def test_what_counts_as_better(before, after, expected):
    old = {} if before is None else {"wioa_youth": before}
    assert bool(improvements(old, {"wioa_youth": after})) is expected


def _stored(screening_id: int, day: int, determinations: dict[str, str]) -> StoredScreening:
    return StoredScreening(
        screening_id=screening_id, seeker_id=screening_id, channel="twilio", address=f"+1555000{screening_id:04d}",
        first_name="Ana", language="en", opted_out=False,
        completed_at=datetime(2026, 11, day, 15, tzinfo=timezone.utc), rules_version="2026.11.1",
        determinations=determinations,
    )


def test_people_told_unlikely_come_first_then_the_oldest():
    newer_unlikely = _stored(1, 20, {"wioa_dislocated_worker": "unlikely"})
    older_possible = _stored(2, 10, {"wioa_adult": "possible"})
    oldest_unlikely = _stored(3, 5, {"wioa_youth": "unlikely"})
    unchanged = _stored(4, 1, {"wioa_adult": "likely"})
    current = {
        1: {"wioa_dislocated_worker": "possible"},
        2: {"wioa_adult": "likely"},
        3: {"wioa_youth": "possible"},
        4: {"wioa_adult": "likely"},
    }
    entries = recontact_list([newer_unlikely, older_possible, oldest_unlikely, unchanged], current)
    assert [entry.screening.screening_id for entry in entries] == [3, 1, 2]
    assert entries[0].was_told_unlikely and not entries[2].was_told_unlikely


def test_a_screening_that_could_not_be_judged_again_is_left_out():
    assert recontact_list([_stored(1, 1, {"ceja": "unlikely"})], {}) == []


@pytest.mark.parametrize(
    "results, expected",
    [
        ({"programs": {"ceja": {"determination": "unlikely"}}}, {"ceja": "unlikely"}),
        ({"programs": {"ceja": {"reasons": []}}}, {}),
        ({"programs": [{"id": "ceja"}]}, {}),  # not the shape the screening writes
        (None, {}),
    ],
)
def test_stored_determinations(results, expected):
    assert stored_determinations(results) == expected


# --- the command, over a real (SQLite) store ------------------------------------------------

SCREENED_AT = datetime(2026, 11, 20, 16, 0, tzinfo=timezone.utc)
# Out of work with no claim: the 2026.11.1 rules said "unlikely" for Dislocated Worker (WIOA 3(15)(A)(ii)).
OUT_OF_WORK = {
    "first_name": "Luis", "zip_code": "60623", "sectors": ["hospitality"], "age": 40, "sex": "female",
    "work_authorized": True, "employment_status": "unemployed", "ui_status": "not_filed", "in_school": False,
    "education": "diploma", "veteran": False, "military_spouse": False, "public_assistance": [], "barriers": [],
}


def test_the_command_lists_a_seeker_an_old_rule_told_unlikely(tmp_path, monkeypatch):
    from bot.cli.recontact import main
    from bot.screening.parameters import rules_version
    from bot.store import IntakeStore, make_engine, migrate

    url = f"sqlite:///{tmp_path}/recontact.db"
    migrate(url)
    engine = make_engine(url)
    store = IntakeStore(engine, clock=lambda: SCREENED_AT)  # the day of the old screening, not the real one
    old_results = {"programs": {"wioa_dislocated_worker": {"determination": "unlikely"},
                                "wioa_adult": {"determination": "likely"}}}
    store.save_answers("twilio", "+15550001111", {})
    store.complete_screening("twilio", "+15550001111", OUT_OF_WORK, old_results, rules_version="2026.11.1")
    # Screened under the current rules already: nothing to re-check.
    store.save_answers("twilio", "+15550002222", {})
    store.complete_screening("twilio", "+15550002222", OUT_OF_WORK, old_results, rules_version=rules_version())
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)

    out = io.StringIO()
    assert main(["--csv"], out=out) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["address"] for row in rows] == ["+15550001111"]
    assert rows[0]["changes"] == "wioa_dislocated_worker: unlikely -> possible"
    assert rows[0]["first_name"] == "Luis"

    table = io.StringIO()
    assert main([], out=table) == 0
    assert "1 seeker(s)" in table.getvalue() and "1111" in table.getvalue() and "+15550001111" not in table.getvalue()
