"""Alembic migrations: idempotent, concurrent-safe, reversible and in step with the models."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, inspect

from bot.store import IntakeStore, current_revision, head_revision, make_engine, migrate
from bot.store.migrate import alembic_config
from bot.store.models import Base

REPO = Path(__file__).resolve().parents[2]
TABLES = {
    "seekers", "screenings", "consent_events", "messages", "hiring_events", "registrations", "scheduled_messages",
}


def _schema(url: str) -> dict[str, list[str]]:
    engine = make_engine(url)
    try:
        inspector = inspect(engine)
        return {
            table: sorted(column["name"] for column in inspector.get_columns(table))
            + sorted(str(index["name"]) for index in inspector.get_indexes(table))
            for table in inspector.get_table_names()
        }
    finally:
        engine.dispose()


def _model_drift(url: str, metadata: MetaData) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "target_metadata": metadata}
            )
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def test_empty_database_migrates_to_head(empty_db_url: str) -> None:
    assert current_revision(empty_db_url) is None
    migrate(empty_db_url)
    assert current_revision(empty_db_url) == head_revision()
    assert TABLES <= set(_schema(empty_db_url))


def test_migrating_twice_changes_nothing(empty_db_url: str, address: str) -> None:
    migrate(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        IntakeStore(engine).record_consent_notice("twilio", address, "es")
    finally:
        engine.dispose()
    schema_before = _schema(empty_db_url)

    migrate(empty_db_url)

    assert _schema(empty_db_url) == schema_before
    assert current_revision(empty_db_url) == head_revision()
    engine = make_engine(empty_db_url)
    try:
        seeker = IntakeStore(engine).find_seeker("twilio", address)
    finally:
        engine.dispose()
    assert seeker is not None and seeker.language == "es"


def test_two_processes_migrating_at_once_both_succeed(empty_db_url: str) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        try:
            migrate(empty_db_url)
        except BaseException as error:  # collected so the main thread can report it
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert current_revision(empty_db_url) == head_revision()


def test_downgrade_to_nothing_and_back(empty_db_url: str) -> None:
    migrate(empty_db_url)
    config = alembic_config(empty_db_url)
    command.downgrade(config, "base")
    assert not TABLES & set(_schema(empty_db_url))
    migrate(empty_db_url)
    assert TABLES <= set(_schema(empty_db_url))


def test_models_and_migrations_agree(db_url: str) -> None:
    """What `alembic check` does: autogenerate against the migrated database finds nothing."""
    assert _model_drift(db_url, Base.metadata) == []


def test_drift_check_notices_a_table_missing_from_the_migrations(db_url: str) -> None:
    # Proof the check above can fail: a model the migrations never created shows up as a diff.
    drifted = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(drifted)
    Table("not_migrated", drifted, Column("id", Integer, primary_key=True))
    drift = _model_drift(db_url, drifted)
    assert [entry[0] for entry in drift] == ["add_table"]


@pytest.mark.parametrize("cli_command", ["upgrade", "current"])
def test_cli_works_from_any_directory(empty_db_url: str, tmp_path: Path, cli_command: str) -> None:
    environment = {**os.environ, "DATABASE_URL": empty_db_url, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "bot.store", cli_command],
        cwd=tmp_path,  # not the repo: the migrations must be found without it
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    if cli_command == "upgrade":
        assert current_revision(empty_db_url) == head_revision()
        assert head_revision() in result.stdout
    else:
        assert current_revision(empty_db_url) is None
        assert "never migrated" in result.stdout
