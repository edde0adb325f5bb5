"""Where the database is and how engines are built."""
from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.store import database_url, make_engine
from bot.store.config import DEFAULT_SQLITE_PATH, REPO_ROOT

REPO = Path(__file__).resolve().parents[2]


def test_default_url_is_sqlite_under_repo_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert REPO_ROOT == REPO
    assert database_url() == f"sqlite:///{REPO / 'var' / 'intake.db'}"
    assert DEFAULT_SQLITE_PATH.parent.name == "var"


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("sqlite:////srv/intake.db", "sqlite:////srv/intake.db"),
        ("postgresql://bot@db:5432/intake", "postgresql://bot@db:5432/intake"),
        ("postgresql+psycopg2://bot@db/intake", "postgresql+psycopg2://bot@db/intake"),
        # The spelling hosting providers hand out; SQLAlchemy 1.4 no longer accepts it.
        ("postgres://bot@db:5432/intake", "postgresql://bot@db:5432/intake"),
        ("  postgresql://bot@db/intake \n", "postgresql://bot@db/intake"),
    ],
)
def test_database_url_comes_from_environment(
    monkeypatch: pytest.MonkeyPatch, configured: str, expected: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", configured)
    assert database_url() == expected


def test_blank_database_url_falls_back_to_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "   ")
    assert database_url().endswith("/var/intake.db")


def test_importing_the_store_opens_nothing(tmp_path: Path) -> None:
    database = tmp_path / "never" / "created.db"
    result = subprocess.run(
        [sys.executable, "-c", "import bot.store, bot.store.models, bot.store.intake_store"],
        cwd=REPO,
        env={"DATABASE_URL": f"sqlite:///{database}", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not database.parent.exists()


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [("foreign_keys", 1), ("journal_mode", "wal"), ("busy_timeout", 15000)],
)
def test_sqlite_connections_are_configured(tmp_path: Path, pragma: str, expected: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'folder' / 'intake.db'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql(f"PRAGMA {pragma}").scalar() == expected
    finally:
        engine.dispose()
    assert (tmp_path / "nested" / "folder" / "intake.db").exists()


def test_sqlite_engine_can_be_used_from_another_thread(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'threads.db'}")
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda _: _select_one(engine), range(4)))
    finally:
        engine.dispose()
    assert results == [1, 1, 1, 1]


def _select_one(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT 1")).scalar_one()


@pytest.mark.parametrize(
    ("url", "pre_ping"),
    [("postgresql://bot@db.invalid/intake", True), ("sqlite://", False)],
)
def test_pool_pre_ping_only_where_connections_can_go_stale(url: str, pre_ping: bool) -> None:
    engine = make_engine(url)  # no connection is made here, so the host need not exist
    try:
        assert engine.pool._pre_ping is pre_ping
    finally:
        engine.dispose()


def test_make_engine_without_url_uses_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'from-env.db'}")
    engine = make_engine()
    try:
        assert engine.url.database == str(tmp_path / "from-env.db")
    finally:
        engine.dispose()
