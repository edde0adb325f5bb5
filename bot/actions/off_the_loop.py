"""Actions whose body runs off the action server's event loop.

The stores are synchronous (SQLAlchemy): called on the loop, one slow query would stall every
other conversation's actions. An action built on `OffTheEventLoop` writes its body as `act`; it
runs on a worker thread, in an event loop of its own, so the body can still await (reading a
message's answers) and call the stores directly.
"""
from __future__ import annotations

import asyncio
from abc import ABCMeta, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher


class OffTheEventLoop(Action, metaclass=ABCMeta):
    """Abstract, so the action server does not register it as an action of its own."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        return await asyncio.to_thread(asyncio.run, self.act(dispatcher, tracker, domain))

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        """The action's body, on a worker thread."""
