"""PeriodicTask: passes run again and again, a failing pass is logged and the next one runs, and
stop ends it."""
from __future__ import annotations

import asyncio
import logging

from bot.channels.periodic import PeriodicTask


def test_a_failing_pass_is_logged_and_the_next_runs_until_stopped(caplog):
    passes: list[int] = []

    async def one_pass() -> None:
        passes.append(len(passes))
        if len(passes) == 2:
            raise RuntimeError("a bad row")

    async def scenario() -> None:
        task = PeriodicTask("test pass", one_pass, poll_seconds=0.01)
        task.start()
        for _ in range(200):
            if len(passes) >= 4:
                break
            await asyncio.sleep(0.01)
        await task.stop()
        stopped_at = len(passes)
        await asyncio.sleep(0.05)
        assert len(passes) == stopped_at  # nothing runs after stop

    with caplog.at_level(logging.ERROR, logger="bot.channels.periodic"):
        asyncio.run(scenario())
    assert len(passes) >= 4
    assert "test pass failed" in caplog.text
