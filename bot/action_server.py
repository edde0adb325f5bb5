"""Runs the action server (`python -m bot.action_server`, same arguments as `python -m rasa_sdk`)
with a readiness route beside rasa_sdk's own `/health`: `GET /ready` answers 200 while the
database the actions use answers (bot/health.py); JSON logs with LOG_FORMAT=json."""
from __future__ import annotations

import os
from typing import Any


def install_ready_route() -> None:
    import rasa_sdk.endpoint

    from bot.health import add_sanic_routes, database_answers, probe_engine
    from bot.json_logs import use_json_logs

    create_app = rasa_sdk.endpoint.create_app

    def create_app_with_ready_route(*args: Any, **kwargs: Any) -> Any:
        app = create_app(*args, **kwargs)
        add_sanic_routes(app, {"database": lambda: database_answers(probe_engine(os.environ["DATABASE_URL"]))}, health=False)
        use_json_logs("action-server")  # rasa_sdk has configured its logging by now
        return app

    rasa_sdk.endpoint.create_app = create_app_with_ready_route


def main() -> None:
    install_ready_route()
    from rasa_sdk.__main__ import main as rasa_sdk_main

    rasa_sdk_main()


if __name__ == "__main__":
    main()
