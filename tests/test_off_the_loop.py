"""Actions built on OffTheEventLoop run their body on a worker thread, so a slow store call
there leaves the action server's event loop free for every other conversation."""
from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.off_the_loop import OffTheEventLoop

SLOW_QUERY_SECONDS = 0.3


class SlowAction(OffTheEventLoop):
    def name(self) -> str:
        return "action_slow_for_test"

    async def act(self, dispatcher, tracker, domain):
        time.sleep(SLOW_QUERY_SECONDS)  # what a slow synchronous query does to its thread
        await asyncio.sleep(0)  # the body may still await
        dispatcher.utter_message(text=threading.current_thread().name)
        return []


def _tracker() -> Tracker:
    return Tracker("someone", {}, {}, [], False, None, {}, "")


def test_the_body_runs_on_another_thread_and_the_loop_keeps_turning():
    async def scenario() -> tuple[list[str], int]:
        dispatcher = CollectingDispatcher()
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticking = asyncio.create_task(ticker())
        await SlowAction().run(dispatcher, _tracker(), {})
        ticking.cancel()
        return [message["text"] for message in dispatcher.messages], ticks

    said, ticks = asyncio.run(scenario())
    assert said and said[0] != threading.current_thread().name
    # On the loop itself the sleep would have allowed no tick at all.
    assert ticks >= SLOW_QUERY_SECONDS / 0.01 / 3


class LeavesATaskRunning(OffTheEventLoop):
    """Starts work it never awaits, as a careless body might."""

    def __init__(self) -> None:
        self.left: asyncio.Task | None = None

    def name(self) -> str:
        return "action_leaves_a_task_for_test"

    async def act(self, dispatcher, tracker, domain):
        self.left = asyncio.get_running_loop().create_task(asyncio.sleep(60))
        return []


def test_a_task_the_body_leaves_running_is_cancelled_with_the_action_and_the_next_action_still_runs():
    action = LeavesATaskRunning()

    async def scenario() -> None:
        # One worker thread, so the second action runs on the loop the first one left behind.
        asyncio.get_running_loop().set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=1))
        await action.run(CollectingDispatcher(), _tracker(), {})
        first = action.left
        await action.run(CollectingDispatcher(), _tracker(), {})
        assert first is not None and first.cancelled()
        assert action.left is not None and action.left.cancelled() and action.left is not first

    asyncio.run(scenario())
