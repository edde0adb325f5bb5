"""A pass that runs again and again on the running event loop until stopped (the scheduler, the
campaign sender). A pass that fails is logged and the next one runs: one bad row must not stop
reminders or a campaign for good."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)


class PeriodicTask:
    def __init__(self, what: str, run_once: Callable[[], Awaitable[object]], poll_seconds: float) -> None:
        self._what = what
        self._run_once = run_once
        self._poll_seconds = poll_seconds
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            try:
                await self._run_once()
            except Exception:
                logger.exception("%s failed", self._what)
            await asyncio.sleep(self._poll_seconds)
