"""WARN notices from the command line.

    python -m bot.cli warn import PATH [--all-areas] [--json]

Reads the Illinois workNet WARN export (CSV; see bot/warn/notices.py) and stores its notices
(bot/store/warn_store.py). By default only this workforce area's notices (LWIA 7, Chicago Cook
Workforce Partnership) are kept; `--all-areas` keeps every area's. Importing the same file again
changes nothing; a changed row updates its notice. Rows that cannot be used are reported with
their line and why. `--json` prints one object:

    {"read": N, "imported": N, "updated": N, "unchanged": N,
     "skipped": [{"line": L, "why": "..."}], "by_lwia": {"7": N, ...}}

where `by_lwia` counts the usable notices of the file per area (kept or not). Exit status 0, or
1 when a row was skipped (the good ones are stored either way), 2 when the file or the database
cannot be used.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.store.engine import make_engine
from bot.bootstrap import build_stores
from bot.warn.notices import CHICAGO_COOK_LWIA, read_warn_export

EXIT_OK = 0
EXIT_SKIPPED_ROWS = 1
EXIT_UNUSABLE = 2


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(prog="python -m bot.cli warn", description="WARN notices")
    commands = parser.add_subparsers(dest="command", required=True)
    importing = commands.add_parser("import", help="import the Illinois workNet WARN export (CSV)")
    importing.add_argument("path", type=Path)
    importing.add_argument("--all-areas", action="store_true", help="keep every area's notices, not only LWIA 7")
    importing.add_argument("--json", action="store_true", help="print one JSON object")
    arguments = parser.parse_args(list(argv) if argv is not None else None)

    try:
        # utf-8-sig: a byte-order mark, as spreadsheets write it, is not part of the first column.
        text = arguments.path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read {arguments.path}: {error}", file=out)
        return EXIT_UNUSABLE
    export = read_warn_export(text)
    by_lwia = Counter(notice.lwia or "" for _, notice in export.notices)
    kept = [
        notice for _, notice in export.notices
        if arguments.all_areas or notice.lwia == CHICAGO_COOK_LWIA
    ]
    engine = make_engine()
    try:
        counts = build_stores(engine).warn.import_notices(kept)
    except (OperationalError, ProgrammingError) as error:
        print(
            f"database error ({type(error.orig).__name__}); is it migrated? Run `python -m bot.store upgrade`.",
            file=out,
        )
        return EXIT_UNUSABLE
    finally:
        engine.dispose()

    summary = {
        "read": export.rows_read,
        "imported": counts.imported,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        "skipped": [{"line": row.line, "why": row.why} for row in export.skipped],
        "by_lwia": dict(sorted(by_lwia.items(), key=lambda item: (len(item[0]), item[0]))),
    }
    if arguments.json:
        print(json.dumps(summary, ensure_ascii=False), file=out)
    else:
        area = "all areas" if arguments.all_areas else f"LWIA {CHICAGO_COOK_LWIA}"
        print(
            f"{summary['read']} rows read; {area}: {counts.imported} imported, {counts.updated} updated, "
            f"{counts.unchanged} unchanged; {len(export.skipped)} rows skipped",
            file=out,
        )
        for row in export.skipped:
            print(f"{arguments.path}:{row.line}: {row.why}", file=out)
    return EXIT_SKIPPED_ROWS if export.skipped else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
