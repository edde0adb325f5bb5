"""`python -m bot.channels.ingest`: the public webhooks in a process of their own.

    python -m bot.channels.ingest [--host 127.0.0.1] [--port 5006] [--credentials credentials.yml]

It mounts the same channel webhooks as the Rasa server (Twilio messages and delivery reports,
Telegram, the calendar feed) on a reception that needs only the database (reception.py): check
the signature or secret, store the message (unique per MessageSid / update_id, flood control),
answer, then send the Rasa process a wake (wake.py). It imports no Rasa, loads no model and runs
no dialogue, so its answer never waits for NLU or for the Rasa process's interpreter lock, and
it costs what a small web app costs in memory. What it still shares with the
other processes is the database: on SQLite, an insert waits while another process holds the
write lock. Messages arriving together are stored in one transaction (inbound_writer.py), and
the lock is retried every millisecond rather than through SQLite's growing naps
(SQLITE_LOCK_POLL_OPTION), which keeps that wait short.

While the Rasa process is down (a crash, a deploy) it goes on storing and answering; the Rasa
process reads what it missed when it starts, and polls for anything whose wake was lost. Texts
that arrived while this process itself could not store them are recovered from Twilio's message
list at its start and every few minutes (twilio_recovery.py).
Delivery reports only update rows, so they need no Rasa process at all.

Port: `--port`, else WEBHOOK_PORT, else 5006. `GET /health` answers 200 once started, `GET /ready`
200 while the database answers (bot/health.py).
"""
from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.calendar_webhook import CALENDAR_WEBHOOKS
from bot.channels.reception import IngestReception, Webhooks
from bot.channels.settings import DEFAULT_WEBHOOK_PORT, WEBHOOK_PORT_SETTING, channel_settings
from bot.channels.telegram_webhook import TELEGRAM_WEBHOOKS
from bot.channels.twilio_recovery import recovery_from_env
from bot.channels.twilio_webhook import TWILIO_WEBHOOKS
from bot.health import add_metrics_route, add_sanic_routes, database_answers
from bot.json_logs import use_json_logs
from bot.quiet_logs import quiet_http_client_logs

logger = logging.getLogger("bot.channels.ingest")  # also when run as __main__

HEALTH_PATH = "/health"
WEBHOOKS_PREFIX = "/webhooks"
APP_NAME = "intake_webhook_ingest"


# Our channels, by the class path credentials.yml names them with for the Rasa server, and the
# webhooks each one serves without the dialogue. Rasa's own channels (`rest`) answer with the
# bot's replies, so they stay on the Rasa server only. Named here rather than found by importing
# the class: the classes are Rasa input channels, and this process loads no Rasa.
SERVED_WITHOUT_DIALOGUE: dict[str, Webhooks] = {
    "bot.channels.twilio_sms.TwilioSmsInput": TWILIO_WEBHOOKS,
    "bot.channels.telegram.TelegramInput": TELEGRAM_WEBHOOKS,
    "bot.channels.calendar_feed.CalendarFeed": CALENDAR_WEBHOOKS,
}


def ingest_webhooks(credentials: Mapping[str, Any] | None) -> list[Webhooks]:
    """The webhooks of the channels a credentials.yml names that this process serves."""
    return [SERVED_WITHOUT_DIALOGUE[str(name)] for name in credentials or {} if str(name) in SERVED_WITHOUT_DIALOGUE]


WEBHOOK_MAX_BODY_BYTES = 1024 * 1024


def read_credentials(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text()) or {}


def create_app(credentials: Mapping[str, Any]) -> Sanic:
    reception = IngestReception(channel_settings())
    app = Sanic(APP_NAME, configure_logging=False)  # our log format, and each line once
    # Sanic would read 100 MB before refusing; no Twilio form or Telegram update comes near this.
    app.config.REQUEST_MAX_SIZE = WEBHOOK_MAX_BODY_BYTES
    for webhooks in ingest_webhooks(credentials):
        # The Rasa server's prefix for the same channel (rasa.core.channels.channel.register),
        # so a provider's webhook URL differs only in the port.
        app.blueprint(webhooks.blueprint(reception), url_prefix=f"{WEBHOOKS_PREFIX}/{webhooks.name}")
        logger.info("serving the %s webhooks", webhooks.name)

    @app.route(HEALTH_PATH, methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        if not reception.started:
            return response.json({"status": "starting"}, status=503)
        return response.json({"status": "ok"})

    # /ready: the database takes inserts now (a webhook would otherwise be answered 503).
    add_sanic_routes(
        app, {"database": lambda: reception.started and database_answers(reception.log.engine)}, health=False
    )
    add_metrics_route(app)  # intake_webhook_messages_total: stored, duplicate, throttled, 503
    _recover_texts_no_webhook_stored(app, reception)
    return app


def _recover_texts_no_webhook_stored(app: Sanic, reception: IngestReception) -> None:
    """At start and every few minutes: texts Twilio listed that no webhook stored
    (twilio_recovery.py)."""
    recovery = recovery_from_env(reception.settings, reception.accept_recovered, reception.clock, dict(os.environ))
    if recovery is None:
        return

    @app.listener("after_server_start")
    async def start_recovery(running_app: Any, _loop: Any) -> None:
        await reception.start(running_app)  # whichever listener comes first starts it
        recovery.start()

    @app.listener("before_server_stop")
    async def stop_recovery(_app: Any, _loop: Any) -> None:
        await recovery.stop()


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
