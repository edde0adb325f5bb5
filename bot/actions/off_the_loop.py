"""Actions whose body runs off the action server's event loop.

The stores are synchronous (SQLAlchemy): called on the loop, one slow query would stall every
other conversation's actions. An action built on `OffTheEventLoop` writes its body as `act`; it
runs on a worker thread, in an event loop of its own, so the body can still await (reading a
message's answers) and call the stores directly.

Each worker thread keeps its event loop from one action to the next: `asyncio.run` made and
closed a new loop per action (uvloop's included), about 0.14 ms of CPU each time against
0.02 ms to run on a kept one, and the intake makes one such call every turn, in the action
server and (the language mapping) in the Rasa server.
"""
from __future__ import annotations

import asyncio
import threading
from abc import ABCMeta, abstractmethod
from collections.abc import Coroutine
from typing import Any, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

Result = TypeVar("Result")

_this_thread = threading.local()


class OffTheEventLoop(Action, metaclass=ABCMeta):
    """Abstract, so the action server does not register it as an action of its own."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        return await asyncio.to_thread(run_on_this_threads_loop, self.act(dispatcher, tracker, domain))

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        """The action's body, on a worker thread."""


def run_on_this_threads_loop(work: Coroutine[Any, Any, Result]) -> Result:
    """`asyncio.run(work)` on the calling thread's own event loop, made at its first call and kept:
    like asyncio.run, anything `work` left running is cancelled before this returns, so no task
    of one action outlives it into the next."""
    loop = getattr(_this_thread, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _this_thread.loop = loop
    try:
        return loop.run_until_complete(work)
    finally:
        _cancel_leftovers(loop)


def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    leftovers = [task for task in asyncio.all_tasks(loop) if not task.done()]
    if not leftovers:
        return
    for task in leftovers:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
