"""Seekers to re-contact after a rules change: whose latest screening would come out better now.

    python -m bot.cli recontact          # a table: told "unlikely" first, then oldest first
    python -m bot.cli recontact --csv    # the same rows as CSV, for a call list

Each seeker's latest finished screening made by another rules version is judged again with the
current rules (ages as on the day it was made) and listed when a program moved up (unlikely <
needs_info < possible < likely). People who opted out are listed as such: do not text them.
The database is DATABASE_URL (default var/intake.db).
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from typing import TextIO

from bot.reports.recontact import RecontactEntry
from bot.screening.parameters import rules_version
from bot.staff.display import mask_address
from bot.staff.recontact import find_recontacts, screening_day
from bot.store.engine import make_engine
from bot.store.report_queries import ReportQueries

CSV_COLUMNS = ("screening_id", "seeker_id", "channel", "address", "first_name", "language", "opted_out",
               "completed_at", "rules_version", "changes")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli recontact", description=__doc__.splitlines()[0])
    parser.add_argument("--csv", action="store_true", help="CSV with the full address, for a call list")
    options = parser.parse_args(argv)
    out = out or sys.stdout
    engine = make_engine()
    try:
        findings = find_recontacts(ReportQueries(engine))
    finally:
        engine.dispose()
    entries, unreadable = findings.entries, findings.unreadable
    if options.csv:
        _write_csv(entries, out)
    else:
        _write_table(entries, unreadable, out)
    return 0


def _changes_text(entry: RecontactEntry) -> str:
    return "; ".join(f"{change.program}: {change.before} -> {change.after}" for change in entry.improvements)


def _write_table(entries: list[RecontactEntry], unreadable: int, out: TextIO) -> None:
    print(f"Rules {rules_version()}: {len(entries)} seeker(s) whose result would be better now.", file=out)
    for entry in entries:
        screening = entry.screening
        who = screening.first_name or "(no name)"
        flag = "  OPTED OUT: do not text" if screening.opted_out else ""
        completed = screening_day(screening.completed_at).isoformat()
        print(
            f"- seeker {screening.seeker_id} {who} ({screening.channel} {mask_address(screening.address)}, "
            f"{screening.language or '-'}), screened {completed} under {screening.rules_version or '-'}: "
            f"{_changes_text(entry)}{flag}",
            file=out,
        )
    if unreadable:
        print(f"{unreadable} stored screening(s) could not be judged again (answers the rules no longer read).", file=out)


def _write_csv(entries: list[RecontactEntry], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        screening = entry.screening
        writer.writerow(
            [
                screening.screening_id,
                screening.seeker_id,
                screening.channel,
                screening.address,
                screening.first_name or "",
                screening.language or "",
                "yes" if screening.opted_out else "no",
                screening.completed_at.isoformat(),
                screening.rules_version or "",
                _changes_text(entry),
            ]
        )


if __name__ == "__main__":
    sys.exit(main())
