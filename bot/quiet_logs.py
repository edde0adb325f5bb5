"""Log levels every process applies to the HTTP client libraries it uses.

httpx logs every request's URL at INFO, and a Telegram Bot API URL carries the bot's token
(`/bot<token>/sendMessage`); the ingest process and the staff console log at INFO. Below WARNING
these libraries say nothing we need, so they are held there in every process, whatever configures
logging afterwards at the root.
"""
from __future__ import annotations

import logging

# Each logs request lines (URL, sometimes headers) at INFO or DEBUG.
HTTP_CLIENT_LOGGERS = ("httpx", "httpcore", "hpack", "urllib3", "aiohttp.client", "twilio.http_client", "telegram.ext")


def quiet_http_client_logs() -> None:
    for name in HTTP_CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
