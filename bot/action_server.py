"""Runs the action server (`python -m bot.action_server`, same arguments as `python -m rasa_sdk`)
with a readiness route beside rasa_sdk's own `/health`: `GET /ready` answers 200 while the
database the actions use answers (bot/health.py); `GET /metrics` (Prometheus): its action calls
by action and outcome, and their time (bot/metrics.py; action names only, nothing a seeker
said); JSON logs with LOG_FORMAT=json."""
from __future__ import annotations

import os
import time
from typing import Any

ACTION_PATH = "/webhook"
# rasa_sdk's answers: 400 an action's rejection, 404 an action it does not have.
_OUTCOMES = {200: "ok", 400: "rejected", 404: "unknown"}


def count_action_calls(app: Any) -> None:
    """Counts each call to /webhook by action and outcome and times it. An action rasa_sdk does
    not have is counted as "unknown", never by the name posted (labels stay a known few)."""
    from bot.metrics import ACTION_SECONDS, ACTIONS, register_action_server_metrics

    register_action_server_metrics()

    async def started(request: Any) -> None:
        request.ctx.started = time.perf_counter()

    async def answered(request: Any, response: Any) -> None:
        if request.path != ACTION_PATH or not hasattr(request.ctx, "started"):
            return
        ACTION_SECONDS.observe(time.perf_counter() - request.ctx.started)
        outcome = _OUTCOMES.get(response.status, "failed" if response.status >= 500 else "unknown")
        try:
            action = (request.json or {}).get("next_action") if outcome != "unknown" else None
        except Exception:  # a body that is not JSON: rasa_sdk refused it
            action = None
        ACTIONS.inc(action=str(action) if action else "unknown", outcome=outcome)

    app.register_middleware(started, "request")
    app.register_middleware(answered, "response")


def install_ready_route() -> None:
    import rasa_sdk.endpoint

    from bot.health import add_metrics_route, add_sanic_routes, database_answers, probe_engine
    from bot.json_logs import use_json_logs

    create_app = rasa_sdk.endpoint.create_app

    def create_app_with_ready_route(*args: Any, **kwargs: Any) -> Any:
        app = create_app(*args, **kwargs)
        add_sanic_routes(app, {"database": lambda: database_answers(probe_engine(os.environ["DATABASE_URL"]))}, health=False)
        add_metrics_route(app)
        count_action_calls(app)
        use_json_logs("action-server")  # rasa_sdk has configured its logging by now
        return app

    rasa_sdk.endpoint.create_app = create_app_with_ready_route


def main() -> None:
    install_ready_route()
    from rasa_sdk.__main__ import main as rasa_sdk_main

    rasa_sdk_main()


if __name__ == "__main__":
    main()
