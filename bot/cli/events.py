"""Hiring events from the command line: import event files, list what is coming up.

    python -m bot.cli.events import data/events/example_events.yml [more.csv ...] [--today YYYY-MM-DD]
    python -m bot.cli.events list

`main(argv) -> int` is the entry point (`python -m bot.cli events ...` hands it the arguments
after "events"). The database is DATABASE_URL (default var/intake.db) and must be migrated
already (`python -m bot.store upgrade` or `make run`).

import: loads every file (YAML or CSV, see bot/hiring_events/loader.py), stores each good event by its
code and prints "N created, M updated, K bad rows", then one line per bad row as
"file:line: message". Importing the same file again changes nothing (unchanged events are counted
apart). Exit status 1 if any row or file was bad, 0 otherwise; the good rows are stored either way.
Files whose dates are relative to the import day (the examples) count from `--today`, by default
today in Chicago.

list: upcoming events (not over, registration open or not open yet), soonest first, with their
registration counts.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.hiring_events.loader import load_events
from bot.hiring_events.model import EVENT_ZONE, localized, registration_window
from bot.bootstrap import Stores, build_stores
from bot.store.engine import make_engine
from bot.store.timestamps import utc_now

EXIT_OK = 0
EXIT_BAD_ROWS = 1
EXIT_NO_DATABASE = 2


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="python -m bot.cli events", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    importing = commands.add_parser("import", help="load events from YAML/CSV files")
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importing.add_argument(
        "--today", type=date.fromisoformat, metavar="YYYY-MM-DD",
        help="the import day relative example dates count from (default: today in Chicago)",
    )
    commands.add_parser("list", help="upcoming events with their registration counts")
    arguments = parser.parse_args(list(argv) if argv is not None else None)

    engine = make_engine()
    try:
        stores = build_stores(engine)
        if arguments.command == "import":
            today = arguments.today or utc_now().astimezone(EVENT_ZONE).date()
            return import_files(stores, arguments.files, out, today)
        return list_upcoming(stores, utc_now(), out)
    except (OperationalError, ProgrammingError) as error:
        # Most likely the events tables do not exist yet. The message names no parameters:
        # engines hide them.
        print(
            f"database error ({type(error.orig).__name__}); is it migrated? "
            "Run `python -m bot.store upgrade`.",
            file=out,
        )
        return EXIT_NO_DATABASE
    finally:
        engine.dispose()


def import_files(stores: Stores, files: Sequence[Path], out: TextIO, today: date) -> int:
    created = updated = unchanged = 0
    bad_lines: list[str] = []
    warnings: list[str] = []
    for path in files:
        try:
            result = load_events(path, today)
        except (OSError, ValueError) as error:
            bad_lines.append(f"{path}: {error}")
            continue
        bad_lines.extend(f"{path}:{error.line}: {error.message}" for error in result.errors)
        for event in result.events:
            before = stores.event_catalog.get_event(event.code)
            record, is_new = stores.event_catalog.upsert_event(event)
            if is_new:
                created += 1
            elif before is not None and before.event == record.event:
                unchanged += 1
            else:
                updated += 1
            counts = stores.registrations.counts(record.code) or {}
            held = counts.get("registered", 0) + counts.get("offered", 0)
            if held > event.capacity:
                warnings.append(
                    f"{record.code}: {held} seats already held, above the new capacity "
                    f"{event.capacity}; nobody is dropped, no one new gets a seat"
                )
    print(f"{created} created, {updated} updated, {len(bad_lines)} bad rows", file=out)
    if unchanged:
        print(f"({unchanged} unchanged)", file=out)
    for line in bad_lines:
        print(line, file=out)
    for warning in warnings:
        print(f"warning: {warning}", file=out)
    return EXIT_BAD_ROWS if bad_lines else EXIT_OK


def list_upcoming(stores: Stores, now: datetime, out: TextIO) -> int:
    records = stores.event_catalog.list_upcoming(now)
    if not records:
        print("No upcoming events.", file=out)
        return EXIT_OK
    for record in records:
        event = record.event
        counts = stores.registrations.counts(record.code) or {}
        starts = event.starts_at.astimezone(EVENT_ZONE)
        ends = event.ends_at.astimezone(EVENT_ZONE)
        window = registration_window(event, now).replace("_", " ")
        name = localized(event.name, "en")
        print(f"{record.code:<12} {starts:%Y-%m-%d %H:%M}-{ends:%H:%M}  {name}", file=out)
        print(
            f"{'':<12} registration {window}; registered {counts.get('registered', 0)}"
            f"/{event.capacity}, offered {counts.get('offered', 0)}, "
            f"waitlisted {counts.get('waitlisted', 0)}, cancelled {counts.get('cancelled', 0)}",
            file=out,
        )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
