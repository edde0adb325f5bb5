"""An opt-in record of every database round trip a process makes, for counting them per turn
(tests/channels/test_statements_per_turn.py). Off unless SQL_TRACE_FILE names a file.

Each line: process id, the code that asked (the nearest frame in `bot/` outside the engine
plumbing: "message_log.enqueue"), and what went to the server (the SQL verb, or COMMIT and
ROLLBACK). Never the parameters, which hold phone numbers and answers; never the full SQL.
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

TRACE_FILE_SETTING = "SQL_TRACE_FILE"

_BOT = str(Path(__file__).resolve().parents[1])
_PLUMBING = {"engine.py", "transactions.py", "statement_trace.py"}
_lock = threading.Lock()


def trace_if_asked(engine: Engine) -> None:
    path = os.environ.get(TRACE_FILE_SETTING)
    if not path:
        return

    def write(what: str) -> None:
        line = f"{os.getpid()}\t{_caller()}\t{what}\n"
        with _lock, open(path, "a", encoding="utf-8") as trace:
            trace.write(line)

    def statement(_conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        write(sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?")

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", lambda _conn: write("COMMIT"))
    event.listen(engine, "rollback", lambda _conn: write("ROLLBACK"))


def _caller() -> str:
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(_BOT) and Path(filename).name not in _PLUMBING:
            return f"{Path(filename).stem}.{frame.f_code.co_name}"
        frame = frame.f_back
    return "outside bot"
