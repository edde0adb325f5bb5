"""`python -m bot.channels.ingest`: the public webhooks in a process of their own.

    python -m bot.channels.ingest [--host 127.0.0.1] [--port 5006] [--credentials credentials.yml]

It mounts the same channel blueprints as the Rasa server (Twilio messages and delivery reports,
Telegram, the calendar feed), with the channel runtime in ingest-only mode: check the signature
or secret, store the message (unique per MessageSid / update_id, flood control), answer, then
send the Rasa process a wake (wake.py). It loads no model and runs no dialogue, so its answer
never waits for NLU or for the Rasa process's interpreter lock. What it still shares with the
other processes is the database: on SQLite, an insert waits while another process holds the
write lock. Messages arriving together are stored in one transaction (inbound_writer.py), and
the lock is retried every millisecond rather than through SQLite's growing naps
(SQLITE_LOCK_POLL_OPTION), which keeps that wait short.

While the Rasa process is down (a crash, a deploy) it goes on storing and answering; the Rasa
process reads what it missed when it starts, and polls for anything whose wake was lost.
Delivery reports only update rows, so they need no Rasa process at all.

Port: `--port`, else WEBHOOK_PORT, else 5006. `GET /health` answers 200 once started, `GET /ready`
200 while the database answers (bot/health.py).
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from rasa.core.channels.channel import InputChannel
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.runtime import make_ingest_runtime, no_dialogue
from bot.channels.settings import DEFAULT_WEBHOOK_PORT, WEBHOOK_PORT_SETTING
from bot.health import add_metrics_route, add_sanic_routes, database_answers
from bot.json_logs import use_json_logs
from bot.quiet_logs import quiet_http_client_logs

logger = logging.getLogger("bot.channels.ingest")  # also when run as __main__

HEALTH_PATH = "/health"
WEBHOOKS_PREFIX = "/webhooks"
APP_NAME = "intake_webhook_ingest"


def ingest_channels(credentials: Mapping[str, Any] | None) -> list[InputChannel]:
    """The channels of a credentials.yml that can run without the dialogue (their class says so
    with `works_without_dialogue`). Rasa's own channels, named without a module (`rest`), answer
    with the bot's replies, so they stay on the Rasa server only."""
    channels = []
    for class_path, channel_credentials in (credentials or {}).items():
        module_name, _, class_name = str(class_path).rpartition(".")
        if not module_name:
            continue
        channel_class = getattr(importlib.import_module(module_name), class_name)
        if getattr(channel_class, "works_without_dialogue", False):
            channels.append(channel_class.from_credentials(channel_credentials))
    return channels


WEBHOOK_MAX_BODY_BYTES = 1024 * 1024


def read_credentials(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text()) or {}


def create_app(credentials: Mapping[str, Any]) -> Sanic:
    runtime = make_ingest_runtime()
    app = Sanic(APP_NAME, configure_logging=False)  # our log format, and each line once
    # Sanic would read 100 MB before refusing; no Twilio form or Telegram update comes near this.
    app.config.REQUEST_MAX_SIZE = WEBHOOK_MAX_BODY_BYTES
    for channel in ingest_channels(credentials):
        # The Rasa server's prefix for the same channel (rasa.core.channels.channel.register),
        # so a provider's webhook URL differs only in the port.
        app.blueprint(channel.blueprint(no_dialogue), url_prefix=f"{WEBHOOKS_PREFIX}/{channel.url_prefix()}")
        logger.info("serving the %s webhooks", channel.name())

    @app.route(HEALTH_PATH, methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        if not runtime.started:
            return response.json({"status": "starting"}, status=503)
        return response.json({"status": "ok"})

    # /ready: the database takes inserts now (a webhook would otherwise be answered 503).
    add_sanic_routes(
        app, {"database": lambda: runtime.started and database_answers(runtime.engine)}, health=False
    )
    add_metrics_route(app)  # intake_webhook_messages_total: stored, duplicate, throttled, 503
    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.channels.ingest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get(WEBHOOK_PORT_SETTING) or DEFAULT_WEBHOOK_PORT))
    parser.add_argument("--credentials", type=Path, default=Path("credentials.yml"))
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_http_client_logs()
    use_json_logs("webhook-ingest")
    app = create_app(read_credentials(arguments.credentials))
    # One worker: the flood gate counts per process, and one process is far from busy.
    app.run(host=arguments.host, port=arguments.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
