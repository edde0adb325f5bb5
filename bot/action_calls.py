"""Rasa server piece: the calls to the action server, made cheaper without changing what is sent
or what is accepted.

Profiled on the running Rasa server (cProfile, RASA_SERVER_PROFILE, 40 intakes at 10 at once),
a turn makes 2.4 calls to the action server, and each one cost the Rasa server a new TCP
connection (Rasa opens an aiohttp session per request and closes it after), the standard
library's JSON encoder on the tracker and domain, and a JSON Schema check of the answer that
tries every one of the 23 event schemas of a `oneOf` on every event returned. Together about a
fifth of the server's CPU per turn.

- One keep-alive session per endpoint and event loop, idle connections closed after 2 s (the
  action server, Sanic, closes them after 5 s: we never reuse one it is closing); the body is
  encoded with ujson (the same JSON, Rasa already depends on it).
- The answer is checked against the same schema, but each event only against the branch its
  `event` names (every branch of Rasa's `oneOf` fixes `event` to a different constant, so this
  is the same verdict). Only an answer that fails is checked again the slow way, so its error is
  the one Rasa has always reported.
"""
from __future__ import annotations

import asyncio
from typing import Any, Iterator, Optional

import aiohttp
import ujson
from jsonschema import _validators as standard_keywords
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.validators import extend, validator_for

# Under Sanic's 5 s KEEP_ALIVE_TIMEOUT, the action server's.
IDLE_CONNECTION_SECONDS = 2.0
DISCRIMINATOR = "event"


class _SharedSession:
    """What `EndpointConfig.session()` returns: used as `async with`, and not closed after."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc_info: object) -> None:
        return None


def keep_alive_session(endpoint: Any) -> _SharedSession:
    """The endpoint's session on the running event loop (the channel runtime has its own loop),
    configured as `EndpointConfig.session` configures its own."""
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    loop = asyncio.get_running_loop()
    sessions: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = endpoint.__dict__.setdefault("_keep_alive", {})
    session = sessions.get(loop)
    if session is None or session.closed:
        credentials = endpoint.basic_auth
        session = sessions[loop] = aiohttp.ClientSession(
            headers=endpoint.headers,
            auth=aiohttp.BasicAuth(credentials["username"], credentials["password"]) if credentials else None,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_CONNECTION_SECONDS),
            json_serialize=ujson.dumps,
        )
    return _SharedSession(session)


def _branches_by_discriminator(one_of: list) -> Optional[dict[str, dict]]:
    """{event name: branch} when every branch fixes `event` to its own constant, else None."""
    branches: dict[str, dict] = {}
    for branch in one_of:
        constant = (branch.get("properties", {}).get(DISCRIMINATOR) or {}).get("const") if isinstance(branch, dict) else None
        if not isinstance(constant, str) or constant in branches:
            return None
        branches[constant] = branch
    return branches


_discriminated: dict[int, Optional[dict[str, dict]]] = {}


def _one_of_by_discriminator(validator: Any, one_of: list, instance: Any, schema: dict) -> Iterator[ValidationError]:
    key = id(one_of)
    if key not in _discriminated:
        _discriminated[key] = _branches_by_discriminator(one_of)
    branches = _discriminated[key]
    if branches is not None and isinstance(instance, dict):
        branch = branches.get(instance.get(DISCRIMINATOR))
        if branch is not None:
            yield from validator.descend(instance, branch)
            return
    yield from standard_keywords.oneOf(validator, one_of, instance, schema)


class ResponseCheck:
    """Validates action server answers against one schema: fast when valid, Rasa's error when not."""

    def __init__(self, schema: dict) -> None:
        standard = validator_for(schema)
        standard.check_schema(schema)
        self._schema = schema  # keeps the ids in `_discriminated` valid
        self._full = standard(schema)
        self._fast = extend(standard, {"oneOf": _one_of_by_discriminator})(schema)

    def validate(self, instance: Any) -> None:
        if self._fast.is_valid(instance):
            return
        error = best_match(self._full.iter_errors(instance))
        if error is not None:
            raise error


def install() -> None:
    """Before the Rasa server builds its agent."""
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    check = ResponseCheck(RemoteAction.action_response_format_spec())
    original_validate = RemoteAction._validate_action_result

    def validate_action_result(self: RemoteAction, result: dict) -> bool:
        try:
            check.validate(result)
        except ValidationError:
            return original_validate(self, result)  # raises with Rasa's own message
        return True

    RemoteAction._validate_action_result = validate_action_result
    EndpointConfig.session = keep_alive_session
