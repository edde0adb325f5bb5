"""`python -m bot.staff`: the staff console served by waitress, plus the stale-claim releaser."""
from __future__ import annotations

import logging
import sys

from waitress import serve

from bot.json_logs import use_json_logs
from bot.quiet_logs import quiet_http_client_logs
from bot.staff.app import MAX_REQUEST_BODY_BYTES, create_app
from bot.staff.claims import StaleClaimReleaser
from bot.staff.services import EXTENSION_KEY
from bot.staff.settings import ConsoleConfigError, console_settings

# Enough for a team of staff each polling a conversation and the queue; the work is database-bound.
WAITRESS_THREADS = 8


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_http_client_logs()
    use_json_logs("staff-console")
    try:
        settings = console_settings()
    except ConsoleConfigError as problem:
        print(f"staff console: {problem}", file=sys.stderr)
        return 2
    app = create_app(settings)
    releaser = StaleClaimReleaser(app.extensions[EXTENSION_KEY])
    releaser.start()
    try:
        serve(
            app,
            host=settings.host,
            port=settings.port,
            threads=WAITRESS_THREADS,
            ident="staff-console",
            max_request_body_size=MAX_REQUEST_BODY_BYTES,
        )
    finally:
        releaser.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
