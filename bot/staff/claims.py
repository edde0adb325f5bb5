"""Claims nobody acts on go back to the pool: on every queue visit, and once a minute from a
background thread in the console process, so a claim expires even when nobody looks."""
from __future__ import annotations

import logging
import threading

from bot.staff.services import ConsoleServices

logger = logging.getLogger(__name__)

AUDIT_CLAIM_EXPIRED = "claim_expired"
RELEASE_INTERVAL_SECONDS = 60.0


def release_stale_claims(console: ConsoleServices) -> list[int]:
    """Releases every claim older than the timeout with no staff reply since; returns their ids.
    The audit log names no staff member: the console did it."""
    released = console.handoffs.release_stale_claims(console.now(), console.settings.claim_timeout)
    for handoff_id in released:
        console.staff.audit(None, AUDIT_CLAIM_EXPIRED, "handoff", handoff_id)
    if released:
        logger.info("returned %d unanswered claims to the queue", len(released))
    return released


class StaleClaimReleaser:
    """A daemon thread calling `release_stale_claims` every `interval` seconds until stopped."""

    def __init__(self, console: ConsoleServices, interval: float = RELEASE_INTERVAL_SECONDS) -> None:
        self._console = console
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stale-claim-releaser", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                release_stale_claims(self._console)
            except Exception:  # a database hiccup must not end the thread for good
                logger.exception("releasing stale claims failed; trying again in %.0f s", self._interval)
