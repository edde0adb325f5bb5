"""Structured logs: with LOG_FORMAT=json every process writes one JSON object per line (time,
level, logger, process, message, exception), for a log shipper to index.

Our own messages name people by `address_digest` only; as a second line of defence anything that
looks like a phone number or a chat id (10-15 digits, with or without +) is replaced by its digest
here, in the message and in tracebacks, whichever library wrote it.
"""
from __future__ import annotations

import json
import logging
import os
import re
from datetime import datetime, timezone

from bot.store.privacy import address_digest

LOG_FORMAT_SETTING = "LOG_FORMAT"
_PHONE_LIKE = re.compile(r"(?<![\w.])\+?\d{10,15}(?![\w.])")
# Loggers that some servers give handlers of their own (Sanic), besides the root's.
_OWN_HANDLER_LOGGERS = ("sanic.root", "sanic.error", "sanic.access", "sanic.server")


def without_phone_numbers(text: str) -> str:
    return _PHONE_LIKE.sub(lambda found: f"<{address_digest('phone', found.group().lstrip('+'))}>", text)


class JsonLogFormatter(logging.Formatter):
    def __init__(self, process_name: str) -> None:
        super().__init__()
        self._process_name = process_name

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "process": self._process_name,
            "message": without_phone_numbers(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = without_phone_numbers(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def json_logs_wanted() -> bool:
    return (os.environ.get(LOG_FORMAT_SETTING) or "").strip().lower() == "json"


def use_json_logs(process_name: str) -> bool:
    """Gives every handler of the root logger (and Sanic's own) the JSON formatter when
    LOG_FORMAT=json; called by each process once its server has configured logging. True when
    it did."""
    if not json_logs_wanted():
        return False
    formatter = JsonLogFormatter(process_name)
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for logger in (root, *(logging.getLogger(name) for name in _OWN_HANDLER_LOGGERS)):
        for handler in logger.handlers:
            handler.setFormatter(formatter)
    return True
