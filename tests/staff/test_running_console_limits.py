"""The running staff console (waitress, as `make run` starts it) refuses an oversized body as soon
as its headers say so, instead of buffering it (waitress's default limit is 1 GB)."""
from __future__ import annotations

import socket
from urllib.parse import urlsplit

from bot.staff.app import MAX_REQUEST_BODY_BYTES

ANNOUNCED_BYTES = 50_000_000


def test_a_body_announced_over_the_limit_is_refused_before_it_is_sent(assistant):
    address = urlsplit(assistant.staff_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(
            (
                "POST /login HTTP/1.1\r\n"
                f"Host: {address.netloc}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {ANNOUNCED_BYTES}\r\n\r\n"
            ).encode()
            + b"username=x&password=" + b"y" * 1000
        )
        # Nothing more is sent: a server that buffers bodies waits here for 50 MB.
        answer = connection.recv(4096).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert ANNOUNCED_BYTES > MAX_REQUEST_BODY_BYTES
