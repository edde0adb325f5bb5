"""Run Alembic from code, from any working directory, against any database URL."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.store.config import database_url, normalize_url
from bot.store.engine import SQLITE_BEGIN_MODE_OPTION, make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Any constant works; it only has to be the same in every process that migrates.
_POSTGRES_MIGRATION_LOCK = 0x1A7A_C00C


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config that needs no alembic.ini and no particular working directory."""
    config = Config()
    # ConfigParser treats % as interpolation, so escape it in the path.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["database_url"] = normalize_url(url or database_url())
    return config


def migrate(url: str | None = None) -> None:
    """Bring the database to the newest schema; safe to run again and from two processes at once."""
    config = alembic_config(url)
    engine = make_engine(config.attributes["database_url"])
    try:
        # IMMEDIATE on SQLite and an advisory lock on PostgreSQL: a second process starting at
        # the same moment waits, then finds the schema current and does nothing.
        with engine.execution_options(**{SQLITE_BEGIN_MODE_OPTION: "IMMEDIATE"}).begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_MIGRATION_LOCK}
                )
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def current_revision(url: str | None = None) -> str | None:
    """The revision the database is at, or None for a database never migrated."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str | None:
    """The newest revision among the migration scripts."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
