"""Runs the Rasa server (`python -m bot.rasa_server run ...`, same arguments as `rasa run`) with
its HTTP API behind RASA_API_TOKEN (model-changing routes refused) and measured fixes applied
first, each in its own module with the profile that called for it:
- the action server's answers checked with validators built once (below), and cheaper calls to
  it (bot/action_calls.py) sending the latest two messages' events, not the session's
  (bot/recent_events.py); actions that only read the tracker run on it, not on a rebuilt copy
  (bot/lent_tracker.py);
- sessions cut when long (bot/sessions.py); a tracker's applied events folded on rather than
  walked again (bot/applied_events.py);
- the language slot mapping in the server (bot/slot_mappings.py);
- language understanding without the per-token features and copies nothing reads
  (bot/intent_input.py); the model's graph run without dask (bot/graph_runner.py); the rule
  policy's form prediction without the look-up it discards (bot/rule_shortcut.py);
- events' classes found in a table (bot/event_type_lookup.py); the empty-domain check without
  building an empty domain (bot/empty_domain.py); slots copied without the pickling protocol
  (bot/slot_copies.py).
RASA_SERVER_PROFILE=path writes a cProfile of the server's event loop there when it stops.

Rasa 3.6 checks every action server response with `jsonschema.validate`, which re-checks the
schema itself against the JSON Schema meta-schema on every call. Profiling the running server
(py-spy, a full intake) put 69% of its CPU time there. We keep the check and its errors, but build
each schema's validator once.
"""
from __future__ import annotations

import hmac
import json
import os
import sys
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for

from bot import action_calls, applied_events, empty_domain, event_type_lookup, graph_runner, in_process_actions
from bot import intent_input, recent_events, slot_copies
from bot import lent_tracker, rule_shortcut, sessions, slot_mappings
from bot.cli.settings import RASA_API_TOKEN_SETTING
from bot.telemetry_off import without_telemetry
from bot.json_logs import use_json_logs
from bot.quiet_logs import quiet_http_client_logs

_validators: dict[str, Any] = {}
_original_validate = jsonschema.validate


def validate_with_cached_validator(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """Same contract as `jsonschema.validate`: raises the best-matching ValidationError."""
    if args or kwargs:
        return _original_validate(instance, schema, cls, *args, **kwargs)
    key = json.dumps(schema, sort_keys=True, default=str)
    validator = _validators.get(key)
    if validator is None:
        validator_class = cls or validator_for(schema)
        validator_class.check_schema(schema)
        validator = _validators[key] = validator_class(schema)
    error = best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def install() -> None:
    jsonschema.validate = validate_with_cached_validator


# Routes that change the model the server runs. Loading a model is the path of CVE-2024-49375
# (fixed in Rasa 3.10.12; we run 3.6), and nothing of ours loads, trains or tests a model over
# HTTP, so they are refused whatever the token. `/model/test/*` take a `model` parameter that
# loads one.
MODEL_CHANGING_ROUTES = (("PUT", "/model"), ("DELETE", "/model"), ("POST", "/model/train"))
MODEL_TESTING_PREFIX = "/model/test/"
REST_CHANNEL_PREFIX = "/webhooks/rest/"


def refuses_model_changes(method: str, path: str) -> bool:
    path = path.rstrip("/") or "/"
    return (method, path) in MODEL_CHANGING_ROUTES or path.startswith(MODEL_TESTING_PREFIX.rstrip("/"))


def guard_http_api(app: Any, token: str) -> None:
    """Refuses the model-changing routes, and asks the REST channel (which Rasa leaves open) for
    the API's token; Rasa's own `--auth-token` guards the rest of the API."""
    from sanic.response import json as json_response

    @app.middleware("request")
    async def guard(request: Any) -> Any:
        if refuses_model_changes(request.method, request.path):
            return json_response({"status": "failure", "reason": "RouteRefused", "message": "Refused."}, status=403)
        if request.path.startswith(REST_CHANNEL_PREFIX) and not hmac.compare_digest(
            (request.args.get("token") or "").encode(), token.encode()
        ):
            return json_response({"status": "failure", "reason": "NotAuthenticated"}, status=401)
        return None

    # Requests carry the token in their query string: no access log line may keep it.
    app.config.ACCESS_LOG = False


def add_health_routes(app: Any) -> None:
    """`/health` and `/ready` (the model loaded, the database answering, the channels' processor
    and sender running), without the token: they say nothing about any conversation."""
    from bot.health import add_metrics_route, add_sanic_routes, database_answers, probe_engine

    def model_loaded() -> bool:
        agent = getattr(app.ctx, "agent", None)
        return agent is not None and agent.is_ready()

    def database() -> bool:
        return database_answers(probe_engine(os.environ["DATABASE_URL"]))

    def channels() -> bool:
        """The processor, sender and scheduler are running (they start after the server)."""
        from bot.channels.runtime import current_runtime

        runtime = current_runtime()
        return runtime is not None and runtime.background_started

    add_sanic_routes(app, {"model": model_loaded, "database": database, "channels": channels})
    add_metrics_route(app)  # keep it off the public proxy (README, "Deployment")


def install_api_guard(token: str) -> None:
    import rasa.server

    create_app = rasa.server.create_app

    def create_guarded_app(*args: Any, **kwargs: Any) -> Any:
        app = create_app(*args, **kwargs)
        guard_http_api(app, token)
        add_health_routes(app)
        use_json_logs("rasa-server")  # Rasa has configured its logging by now
        return app

    rasa.server.create_app = create_guarded_app


PROFILE_SETTING = "RASA_SERVER_PROFILE"


def profile_until_exit(path: str) -> None:
    """cProfile of the server's main thread (the event loop where every turn runs), written to
    `path` when the server stops; read it with `python -m pstats` (bench/README in the README's
    "Speed and memory")."""
    import atexit
    import cProfile

    profiler = cProfile.Profile()
    atexit.register(lambda: (profiler.disable(), profiler.dump_stats(path)))
    profiler.enable()


def main() -> None:
    token = (os.environ.get(RASA_API_TOKEN_SETTING) or "").strip()
    if not token:
        raise SystemExit(f"{RASA_API_TOKEN_SETTING} must be set: the HTTP API is never served without a token")
    if os.environ.get(PROFILE_SETTING):
        profile_until_exit(os.environ[PROFILE_SETTING])
    without_telemetry()  # before Rasa reads its configuration
    install()
    sessions.install()
    lent_tracker.install()  # after sessions: it extends the processor class sessions installs
    in_process_actions.install()
    action_calls.install()
    recent_events.install()
    slot_mappings.install()
    intent_input.install()
    rule_shortcut.install()
    graph_runner.install()
    applied_events.install()
    event_type_lookup.install()
    empty_domain.install()
    slot_copies.install()
    from bot import turn_recording

    turn_recording.install()  # a turn that cannot be recorded fails, to be run again
    quiet_http_client_logs()
    install_api_guard(token)
    from rasa.__main__ import main as rasa_main

    # The token goes to Rasa through this list, not the process's command line (which `ps` shows);
    # joined to its option, since a random token may begin with "-" and read as another option.
    sys.argv = ["rasa", *sys.argv[1:], f"--auth-token={token}"]
    rasa_main()


if __name__ == "__main__":
    main()
