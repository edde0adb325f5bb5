"""A dialogue turn counts only once Rasa has recorded it: what fails it instead of letting Rasa
carry on, so the inbound message stays unprocessed and is run again later (processing.py).

Rasa 3.6 wraps every tracker store in `FailSafeTrackerStore`, which on a failed save logs and
saves to memory instead, and on a failed read starts the conversation from nothing: the seeker's
text would be answered, then forgotten, or answered as if it were their first. Rasa also goes on
with a turn whose custom action could not reach the action server, with no events from it. Both
lose a message silently. Installed in the Rasa server (bot/rasa_server.py):

- `FailSafeTrackerStore` gets a callback that raises `TurnNotRecorded` instead of falling back;
- a call to the action server that cannot connect is tried again for a while (the supervisor or
  systemd is restarting it; nothing ran, so trying again is safe), and one that still fails, or
  that broke off mid-request, marks the turn lost: the tracker store then refuses to save it.
  An action that answers with an error (a 5xx) does not: that is most often the action's own
  fault with this message, and running the turn again would fail the same way and hold that
  person's later messages. Rasa goes on without its events, as before.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

# How long a turn waits for an action server that refuses connections (being restarted: about
# 10 s here) before the turn is given up and retried later.
ACTION_SERVER_WAIT_SECONDS = 30.0
_FIRST_RECONNECT_DELAY = 0.25
_LONGEST_RECONNECT_DELAY = 2.0


class TurnNotRecorded(Exception):
    """The turn could not be recorded (tracker store or action server unavailable): the
    message must be processed again later, not marked processed."""


@dataclass
class TurnHealth:
    """Shared by everything one turn runs (a mutable object, so awaits in other contexts that
    copied the variable still report to it)."""

    action_server_lost: str | None = None


_current_turn: contextvars.ContextVar[TurnHealth | None] = contextvars.ContextVar("intake_turn", default=None)


def begin_turn() -> TurnHealth:
    """Called by whoever hands a message to the dialogue, in the task that awaits the turn."""
    health = TurnHealth()
    _current_turn.set(health)
    return health


def raise_turn_not_recorded(error: Exception) -> None:
    """FailSafeTrackerStore's error callback: fail the turn rather than fall back to memory."""
    if isinstance(error, TurnNotRecorded):
        raise error
    raise TurnNotRecorded(f"tracker store: {type(error).__name__}") from error


def refuse_to_save_a_lost_turn() -> None:
    """Called by the tracker store before saving: a turn whose action never answered is not
    saved, so that it runs again whole."""
    health = _current_turn.get()
    if health is not None and health.action_server_lost:
        raise TurnNotRecorded(f"action server: {health.action_server_lost}")


async def request_with_reconnects(request: Any, *args: Any, **kwargs: Any) -> Any:
    """Runs `request(*args, **kwargs)` (Rasa's EndpointConfig.request), trying again while the
    server refuses connections, up to ACTION_SERVER_WAIT_SECONDS; notes a final failure on the
    turn."""
    import aiohttp

    deadline = time.monotonic() + ACTION_SERVER_WAIT_SECONDS
    delay = _FIRST_RECONNECT_DELAY
    while True:
        try:
            return await request(*args, **kwargs)
        except aiohttp.ClientConnectorError as error:
            if time.monotonic() + delay > deadline:
                _note_lost(type(error).__name__)
                raise
            logger.warning("action server refused the connection; trying again in %.2f s", delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, _LONGEST_RECONNECT_DELAY)
        except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as error:
            # It may have run the action before breaking off: the turn is run again whole.
            _note_lost(type(error).__name__)
            raise


def _note_lost(reason: str) -> None:
    health = _current_turn.get()
    if health is not None:
        health.action_server_lost = reason


def install() -> None:
    """Patches Rasa in this process (the Rasa server) as described above."""
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
    from rasa.utils.endpoints import EndpointConfig

    def create_tracker_store(store: Any, domain: Any) -> Any:
        if store is not None:
            store.domain = domain
        else:
            store = InMemoryTrackerStore(domain)
        return FailSafeTrackerStore(store, on_tracker_store_error=raise_turn_not_recorded)

    Agent._create_tracker_store = staticmethod(create_tracker_store)

    original_request = EndpointConfig.request

    async def request(self: Any, *args: Any, **kwargs: Any) -> Any:
        return await request_with_reconnects(original_request, self, *args, **kwargs)

    EndpointConfig.request = request
