"""Alembic environment for the intake store.

Called by `bot.store.migrate` (which passes an open connection) or by the alembic CLI with
`bot/store/alembic.ini` (which falls back to DATABASE_URL).
"""
from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context

from bot.store.config import database_url
from bot.store.engine import make_engine
from bot.store.models import Base

config = context.config

# Only the alembic CLI has an ini file; code that calls migrate() keeps its own logging setup.
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _context_options(dialect_name: str) -> dict[str, Any]:
    return {
        "target_metadata": Base.metadata,
        "compare_type": True,
        # SQLite can alter few things in place; batch mode copies the table instead.
        "render_as_batch": dialect_name == "sqlite",
    }


def _run_with(connection: Any) -> None:
    context.configure(connection=connection, **_context_options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    url = config.attributes.get("database_url") or database_url()
    dialect_name = url.split(":", 1)[0].split("+", 1)[0]
    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **_context_options(dialect_name),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    engine = make_engine(config.attributes.get("database_url"))
    try:
        with engine.begin() as new_connection:
            _run_with(new_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
