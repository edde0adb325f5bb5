"""`python -m bot.cli warn import`: the real 5,088-notice Illinois export imports completely,
counts per area match a count made from the file itself, a re-import changes nothing, a changed
row updates its notice. On SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.cli.warn import main
from bot.store import make_engine, migrate
from bot.store.warn_store import NoticeFilter, WarnStore
from tests.postgres import throwaway_postgres_database

REPO = Path(__file__).resolve().parents[2]
REAL_EXPORT = REPO / ".." / "shared" / "data" / "il_warn_notices.csv"


def _real_export() -> Path:
    """Beside the repository, never copied in; CI must not pass without it."""
    if not REAL_EXPORT.exists():
        reason = f"the Illinois WARN export is missing: {REAL_EXPORT.resolve()}"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return REAL_EXPORT


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/warn.db"
        migrate(url)
        monkeypatch.setenv("DATABASE_URL", url)
        yield url
        return
    with throwaway_postgres_database() as url:
        migrate(url)
        monkeypatch.setenv("DATABASE_URL", url)
        yield url


def _import(*argv: str) -> tuple[int, dict]:
    out = io.StringIO()
    status = main(["import", *argv, "--json"], out=out)
    return status, json.loads(out.getvalue())


def _areas_counted_from_the_file(path: Path) -> Counter:
    with open(path, encoding="utf-8", newline="") as handle:
        return Counter(row["LWIA #"] for row in csv.DictReader(handle))


def test_the_real_export_imports_completely_then_again_changes_nothing(database: str) -> None:
    path = _real_export()
    expected = _areas_counted_from_the_file(path)

    status, first = _import(str(path))
    assert status == 0, first["skipped"][:5]
    assert first["read"] == sum(expected.values())
    assert first["skipped"] == []
    assert first["by_lwia"] == dict(expected)
    assert (first["imported"], first["updated"], first["unchanged"]) == (expected["7"], 0, 0)

    status, again = _import(str(path))
    assert (status, again["imported"], again["updated"], again["unchanged"]) == (0, 0, 0, expected["7"])

    engine = make_engine(database)
    try:
        store = WarnStore(engine)
        assert store.count_by_lwia() == {"7": expected["7"]}
        # An employer name written with an HTML entity in the file reads as text.
        assert not [r for r in store.list_notices(NoticeFilter(text="&amp;"), limit=500)]
    finally:
        engine.dispose()


def test_all_areas_keeps_every_notice(database: str) -> None:
    path = _real_export()
    expected = _areas_counted_from_the_file(path)
    status, result = _import(str(path), "--all-areas")
    assert (status, result["imported"]) == (0, sum(expected.values()))
    engine = make_engine(database)
    try:
        assert WarnStore(engine).count_by_lwia() == dict(expected)
    finally:
        engine.dispose()


def test_a_changed_row_updates_its_notice_and_a_bad_row_is_reported(database: str, tmp_path: Path) -> None:
    original = _real_export().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(original, newline="")))
    chicago = [row for row in rows if row["LWIA #"] == "7"][:3]

    def csv_text(changed_rows: list[dict], header: bool = True) -> str:
        out = io.StringIO(newline="")
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        if header:
            writer.writeheader()
        writer.writerows(changed_rows)
        return out.getvalue()

    def written(changed_rows: list[dict]) -> Path:
        path = tmp_path / "export.csv"
        path.write_text(csv_text(changed_rows), encoding="utf-8")
        return path

    assert _import(str(written(chicago)))[1]["imported"] == 3
    revised = [dict(chicago[0], **{"Revised Layoff": "12"}), chicago[1], dict(chicago[2], **{"Initial Date Reported": "soon"})]
    status, result = _import(str(written(revised)))
    assert status == 1
    assert (result["imported"], result["updated"], result["unchanged"]) == (0, 1, 1)
    # Real rows hold line breaks inside quoted cells: the bad row starts after the lines of the two before it.
    bad_row_line = 2 + csv_text(revised[:2], header=False).count("\n")
    assert result["skipped"] == [{"line": bad_row_line, "why": "Initial Date Reported 'soon' is not a date"}]
    engine = make_engine(database)
    try:
        (record,) = [r for r in WarnStore(engine).list_notices() if r.notice.iebs_id == chicago[0]["IEBS Id"]]
        assert record.notice.revised_layoff == 12
    finally:
        engine.dispose()


def test_the_command_runs_from_the_cli_entry_point(database: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "warn", "import", str(tmp_path / "missing.csv")],
        cwd=REPO, env={**os.environ, "DATABASE_URL": database}, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2 and "cannot read" in done.stdout
