"""A dialogue turn counts only once Rasa has recorded it: what fails it instead of letting Rasa
carry on, so the inbound message stays unprocessed and is run again later (processing.py).

Rasa 3.6 wraps every tracker store in `FailSafeTrackerStore`, which on a failed save logs and
saves to memory instead, and on a failed read starts the conversation from nothing: the seeker's
text would be answered, then forgotten, or answered as if it were their first. Rasa also goes on
with a turn whose custom action could not reach the action server, with no events from it. Both
lose a message silently. Installed in the Rasa server (bot/rasa_server.py):

- `FailSafeTrackerStore` gets a callback that raises `TurnNotRecorded` instead of falling back;
- a call to the action server that cannot connect, or that a proxy in front answers 502, 503 or
  504 (nginx with no action server behind it), is tried again for a while (the supervisor or
  systemd is restarting it; the action sees the same tracker, as when the whole turn runs again);
  one that still fails, that broke off mid-request, or that the action server answers with any
  other 5xx (the action raised: its database away, a bug) marks the turn lost, and the turn stops
  right after that action (`MessageProcessor._run_action` raises `TurnNotRecorded`): nothing
  after it runs on a tracker missing its events, and nothing of the turn is saved. The inbound
  processor runs the message again later, up to `MAX_TURN_ATTEMPTS` times, and only then
  answers it with an apology (processing.py). A 4xx is left to Rasa (400 is an action's
  rejection, which Rasa handles).
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import time
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

# How long a turn waits for an action server that refuses connections, or that nginx finds none
# of (being restarted: about 10 s here), before the turn is given up and retried later.
ACTION_SERVER_WAIT_SECONDS = 30.0
ACTION_SERVER_WAIT_SETTING = "ACTION_SERVER_WAIT_SECONDS"
_FIRST_RECONNECT_DELAY = 0.25
_LONGEST_RECONNECT_DELAY = 2.0
# What a proxy in front of the action servers (nginx) answers when none accepted the call.
PROXY_FOUND_NO_SERVER = frozenset({502, 503, 504})


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
    server refuses connections or a proxy finds none behind it, up to ACTION_SERVER_WAIT_SECONDS;
    notes a final failure on the turn."""
    import aiohttp
    from rasa.utils.endpoints import ClientResponseError

    health = _current_turn.get()
    if health is not None and health.action_server_lost:
        # The turn is lost already: no second wait for the same dead server.
        raise TurnNotRecorded(f"action server: {health.action_server_lost}")
    deadline = time.monotonic() + ACTION_SERVER_WAIT_SECONDS
    delay = _FIRST_RECONNECT_DELAY
    while True:
        try:
            return await request(*args, **kwargs)
        except (aiohttp.ClientConnectorError, ClientResponseError) as error:
            status = getattr(error, "status", None)
            if isinstance(error, ClientResponseError) and status not in PROXY_FOUND_NO_SERVER:
                if status is not None and status >= 500:
                    _note_lost(f"answered {status}")
                raise  # a 5xx lost the turn (noted above); a 4xx is the action's answer, Rasa's to handle
            if time.monotonic() + delay > deadline:
                _note_lost(f"answered {status}" if status else type(error).__name__)
                raise
            logger.warning(
                "action server %s; trying again in %.2f s",
                f"unavailable behind the proxy ({status})" if status else "refused the connection", delay,
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, _LONGEST_RECONNECT_DELAY)
        except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as error:
            # It may have run the action before breaking off: the turn is run again whole.
            _note_lost(type(error).__name__)
            raise


def stop_a_lost_turn() -> None:
    """Called after each action Rasa runs: once an action's call failed, the turn goes no
    further (Rasa would go on without that action's events, on a tracker that lacks them)."""
    health = _current_turn.get()
    if health is not None and health.action_server_lost:
        raise TurnNotRecorded(f"action server: {health.action_server_lost}")


def _note_lost(reason: str) -> None:
    health = _current_turn.get()
    if health is not None:
        health.action_server_lost = reason


def install() -> None:
    """Patches Rasa in this process (the Rasa server) as described above."""
    global ACTION_SERVER_WAIT_SECONDS
    configured = os.environ.get(ACTION_SERVER_WAIT_SETTING, "").strip()
    if configured:
        ACTION_SERVER_WAIT_SECONDS = float(configured)
    from rasa.core.agent import Agent
    from rasa.core.processor import MessageProcessor
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

    original_run_action = MessageProcessor._run_action

    async def run_action(self: Any, *args: Any, **kwargs: Any) -> bool:
        should_predict_another = await original_run_action(self, *args, **kwargs)
        stop_a_lost_turn()
        return should_predict_another

    MessageProcessor._run_action = run_action
