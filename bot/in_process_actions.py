"""Rasa server piece, opt-in (ACTIONS_IN_RASA_SERVER=1): the custom actions run inside the Rasa
server, with no HTTP hop to the action server.

Measured for issue 16 as the design change that reaches 15 ms of server CPU per intake turn
(README "Speed and memory"); not the default, because it changes how the processes fail: an
action that hangs or crashes the interpreter takes the dialogue with it, and the actions' store
writes run in the Rasa server's event loop.

Rasa still builds and checks every call exactly as for the action server; only the transport
changes. The request and the answer go through JSON (ujson) as over HTTP, so an action sees plain
JSON values and cannot change the server's tracker through a shared list, and the answer holds
no tuples or other non-JSON values. The action server's error answers are mapped to the same
HTTP errors Rasa expects (400 rejection, 404 unknown action, 500 failure).
"""
from __future__ import annotations

import logging
import os
from typing import Any, Optional

import ujson
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

SETTING = "ACTIONS_IN_RASA_SERVER"
ACTIONS_PACKAGE = "bot.actions"

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return (os.environ.get(SETTING) or "").strip().lower() in ("1", "true", "yes")


class InProcessActionEndpoint(EndpointConfig):
    """An action endpoint whose `request` runs the action server's executor in this process."""

    def __init__(self, url: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(url or "in-process", **kwargs)
        from rasa_sdk.executor import ActionExecutor

        self._executor = ActionExecutor()
        self._executor.register_package(ACTIONS_PACKAGE)

    async def request(self, method: str = "post", subpath: Optional[str] = None, **kwargs: Any) -> Any:
        from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

        action_call = ujson.loads(ujson.dumps(kwargs.get("json") or {}))
        try:
            answer = await self._executor.run(action_call)
        except ActionExecutionRejection as rejection:
            body = {"error": rejection.message, "action_name": rejection.action_name}
            raise ClientResponseError(400, "Bad Request", ujson.dumps(body))
        except ActionNotFoundException as missing:
            body = {"error": missing.message, "action_name": missing.action_name}
            raise ClientResponseError(404, "Not Found", ujson.dumps(body))
        except Exception:
            logger.exception("the custom action %s failed", action_call.get("next_action"))
            raise ClientResponseError(500, "Internal Server Error", b"")
        return ujson.loads(ujson.dumps(answer)) if answer is not None else None


def install() -> None:
    """Before the Rasa server builds its agent (after bot.sessions, whose processor it extends)."""
    if not enabled():
        return
    import rasa.core.agent

    processor_class = rasa.core.agent.MessageProcessor

    class InProcessActionsProcessor(processor_class):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            endpoint = kwargs.get("action_endpoint")
            kwargs["action_endpoint"] = InProcessActionEndpoint(**(endpoint.kwargs if endpoint else {}))
            super().__init__(*args, **kwargs)

    rasa.core.agent.MessageProcessor = InProcessActionsProcessor
