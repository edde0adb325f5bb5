"""`python -m bot.store upgrade` migrates the database; `current` shows its revision."""
from __future__ import annotations

import argparse
import sys

from sqlalchemy.engine import make_url

from bot.store.config import database_url
from bot.store.migrate import current_revision, head_revision, migrate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.store", description=__doc__)
    parser.add_argument("command", choices=("upgrade", "current"))
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or var/intake.db)")
    arguments = parser.parse_args(argv)
    url = arguments.url or database_url()
    # The URL may hold a password; show it masked.
    shown_url = make_url(url).render_as_string(hide_password=True)
    if arguments.command == "upgrade":
        migrate(url)
        print(f"{shown_url}: at {current_revision(url)} (head {head_revision()})")
    else:
        current = current_revision(url)
        head = head_revision()
        state = "up to date" if current == head else f"behind head {head}"
        print(f"{shown_url}: {current or 'empty (never migrated)'} - {state}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
