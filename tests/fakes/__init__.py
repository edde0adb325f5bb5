"""Small real HTTP servers that stand in for third-party APIs (Twilio, Telegram) in tests.

Each fake listens on 127.0.0.1 with an ephemeral port, in a daemon thread, so the code under test
(possibly in another process) talks to it over real HTTP with the real client libraries. The
fakes record what they received; tests read the records, or `wait_for` them when the sender runs
elsewhere. See `tests.fakes.twilio_api` and `tests.fakes.telegram_api`.

This module holds the plumbing the two fakes share: starting and stopping the server, turning a
raw request into an `IncomingRequest`, writing a `JsonReply`, and waiting on the records.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Generic, TypeVar, Union

Record = TypeVar("Record")
WaitCondition = Union[int, Callable[[list], bool]]


@dataclass(frozen=True)
class IncomingRequest:
    """One HTTP request as the fake's handler sees it."""

    verb: str
    path: str
    query: str
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get_content_type()


@dataclass(frozen=True)
class JsonReply:
    """What the fake answers: an HTTP status and a JSON-serialisable payload."""

    status: int
    payload: Any


class LocalApiServer(Generic[Record]):
    """A ThreadingHTTPServer on 127.0.0.1:0 whose requests go to `handle`.

    Subclasses implement `handle` and `_waitable_records`, and call `_record_changed()` while
    holding `self._lock` whenever they append a record, so `wait_for` wakes up.
    """

    def __init__(self, thread_name: str) -> None:
        # Re-entrant so a wait_for predicate may call the fake's own query helpers.
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        # A short poll interval keeps stop() (and so each test's teardown) quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
            name=thread_name, daemon=True,
        )
        self._thread.start()
        self._stopped = False

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalApiServer[Record]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def handle(self, request: IncomingRequest) -> JsonReply:
        raise NotImplementedError

    def _waitable_records(self) -> list[Record]:
        """The records `wait_for` counts or hands to its predicate (called under the lock)."""
        raise NotImplementedError

    def _record_changed(self) -> None:
        self._changed.notify_all()

    def wait_for(self, condition: WaitCondition, timeout: float = 5.0) -> list[Record]:
        """Block until `condition` holds for the records, then return them.

        `condition` is either a count (at least that many records) or a predicate over the list
        of records. Raises TimeoutError after `timeout` seconds; the sender is usually another
        process, so the records arrive whenever it gets round to sending.
        """
        if isinstance(condition, int):
            wanted = condition

            def satisfied(records: list[Record]) -> bool:
                return len(records) >= wanted

        else:
            satisfied = condition
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                records = self._waitable_records()
                if satisfied(records):
                    return records
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"{type(self).__name__}: condition not met after {timeout}s "
                        f"({len(records)} records)"
                    )
                self._changed.wait(remaining)


def _handler_for(fake: LocalApiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path, _, query = self.path.partition("?")
            request = IncomingRequest(self.command, path, query, self.headers, body)
            try:
                reply = fake.handle(request)
            except Exception as error:  # a bug in the fake must reach the test, not hang it
                reply = JsonReply(500, {"fake_error": f"{type(error).__name__}: {error}"})
            encoded = json.dumps(reply.payload).encode("utf-8")
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            # Request lines carry bot tokens and phone numbers; tests stay quiet instead.
            pass

    return Handler
