"""`python -m bot.cli.events import FILE...` and `list`, against a migrated SQLite database."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.cli.events import list_upcoming, main
from bot.hiring_events.model import EVENT_ZONE
from bot.store import make_engine, migrate
from bot.bootstrap import build_stores
from bot.store.registration_store import RegistrationStore
from bot.store.event_catalog import EventCatalog

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_YAML = REPO / "data" / "events" / "example_events.yml"
EXAMPLE_CSV = REPO / "data" / "events" / "example_events.csv"

ITEM = """\
  - code: {code}
    name: {{en: Job fair, es: Feria de empleo}}
    sectors: [hospitality]
    starts_at: "2027-03-10 10:00"
    ends_at: "2027-03-10 15:00"
    venue: Example Hall
    address: 100 Example Ave, Chicago, IL
    capacity: {capacity}
"""


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/events.db"
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def _events_file(tmp_path: Path, *items: str, name: str = "events.yml") -> Path:
    path = tmp_path / name
    path.write_text("source: tests\nevents:\n" + "".join(items), encoding="utf-8")
    return path


def test_importing_the_examples_then_again_changes_nothing(database: str) -> None:
    status, output = _run("import", str(EXAMPLE_YAML), str(EXAMPLE_CSV), "--today", "2026-11-25")
    assert status == 0, output
    assert output.splitlines()[0] == "7 created, 0 updated, 0 bad rows"

    status, output = _run("import", str(EXAMPLE_YAML), str(EXAMPLE_CSV), "--today", "2026-11-25")
    assert status == 0
    assert output.splitlines() == ["0 created, 0 updated, 0 bad rows", "(7 unchanged)"]
    engine = make_engine(database)
    try:
        assert EventCatalog(engine).get_event("HHC").event.capacity == 300
    finally:
        engine.dispose()


def test_importing_the_examples_on_a_later_day_moves_their_dates_with_it(database: str) -> None:
    _run("import", str(EXAMPLE_YAML), "--today", "2026-11-25")
    status, output = _run("import", str(EXAMPLE_YAML), "--today", "2027-06-01")
    assert (status, output.splitlines()[0]) == (0, "0 created, 5 updated, 0 bad rows")
    engine = make_engine(database)
    try:
        starts = EventCatalog(engine).get_event("HHC").event.starts_at
    finally:
        engine.dispose()
    assert starts == datetime(2027, 6, 16, 10, 0, tzinfo=EVENT_ZONE)


def test_a_changed_event_is_updated_in_place(database: str, tmp_path: Path) -> None:
    _run("import", str(_events_file(tmp_path, ITEM.format(code="FAIR", capacity=50))))
    status, output = _run("import", str(_events_file(tmp_path, ITEM.format(code="FAIR", capacity=80))))
    assert status == 0
    assert output.splitlines()[0] == "0 created, 1 updated, 0 bad rows"
    engine = make_engine(database)
    try:
        assert EventCatalog(engine).get_event("FAIR").event.capacity == 80
    finally:
        engine.dispose()


def test_bad_rows_are_listed_with_file_and_line_and_the_good_ones_stored(
    database: str, tmp_path: Path
) -> None:
    path = _events_file(
        tmp_path,
        ITEM.format(code="GOOD", capacity=50),
        ITEM.format(code="BAD", capacity=0),
        ITEM.format(code="GOOD", capacity=60),
    )
    status, output = _run("import", str(path))
    assert status == 1
    assert output.splitlines() == [
        "1 created, 0 updated, 2 bad rows",
        f"{path}:11: capacity must be a positive whole number",
        f"{path}:19: duplicate code GOOD (first on line 3)",
    ]


@pytest.mark.parametrize("name", ["missing.yml", "events.json"])
def test_an_unreadable_file_is_a_bad_file(database: str, tmp_path: Path, name: str) -> None:
    if name.endswith(".json"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    good = _events_file(tmp_path, ITEM.format(code="GOODTOO", capacity=5))
    status, output = _run("import", str(tmp_path / name), str(good))
    assert status == 1
    lines = output.splitlines()
    assert lines[0] == "1 created, 0 updated, 1 bad rows"
    assert lines[1].startswith(f"{tmp_path / name}: ")


def test_lowering_capacity_below_the_seats_held_warns(database: str, tmp_path: Path) -> None:
    _run("import", str(_events_file(tmp_path, ITEM.format(code="SMALL", capacity=2))))
    engine = make_engine(database)
    try:
        registrations = RegistrationStore(engine)
        now = datetime(2027, 3, 1, tzinfo=timezone.utc)
        for n in range(2):
            assert registrations.register("SMALL", "twilio", f"+1555000000{n}", None, now).kind == "registered"
    finally:
        engine.dispose()
    status, output = _run("import", str(_events_file(tmp_path, ITEM.format(code="SMALL", capacity=1))))
    assert status == 0
    assert "warning: SMALL: 2 seats already held, above the new capacity 1" in output


def test_list_shows_upcoming_events_with_counts(database: str) -> None:
    _run("import", str(EXAMPLE_YAML), "--today", "2026-11-25")
    engine = make_engine(database)
    try:
        stores = build_stores(engine)
        now = datetime(2026, 11, 25, 18, 0, tzinfo=timezone.utc)
        stores.registrations.register("HHC", "twilio", "+15550000001", {"shift_preference": "evening"}, now)
        out = io.StringIO()
        assert list_upcoming(stores, now, out) == 0
        later = io.StringIO()
        list_upcoming(stores, now + timedelta(days=400), later)
    finally:
        engine.dispose()
    text = out.getvalue()
    codes = [line.split()[0] for line in text.splitlines() if not line.startswith(" ")]
    assert codes == ["HHC", "TDLSOUTH", "HCDAY", "CEJAINFO"]  # soonest first, the past one left out
    assert "2026-12-10 10:00-15:00  Hospitality Hires Chicago" in text
    assert "registered 1/300, offered 0, waitlisted 0" in text
    assert "registration not open yet" in text  # CEJAINFO opens on 2026-12-01
    assert later.getvalue() == "No upcoming events.\n"


def test_an_unmigrated_database_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/empty.db")
    status, output = _run("import", str(EXAMPLE_YAML))
    assert status == 2
    assert "is it migrated?" in output


def test_the_module_runs_as_a_command(database: str, tmp_path: Path) -> None:
    path = _events_file(tmp_path, ITEM.format(code="SUBPROC", capacity=5), ITEM.format(code="X", capacity=5))
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.events", "import", str(path)],
        cwd=tmp_path,
        env={**os.environ, "DATABASE_URL": database, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "1 created, 0 updated, 1 bad rows",
        f"{path}:11: code must be 2-12 letters or digits starting with a letter",
    ]
