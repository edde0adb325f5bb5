"""How the webhook process tells the Rasa process that a message is waiting: one UDP datagram to
127.0.0.1 carrying the stored row's id and its seeker's id in ASCII digits ("812:37"), nothing
personal. The seeker's id lets the Rasa process wake that person's worker without reading the row
first, once it knows whose the id is (it learns that from every message it claims).

A datagram costs the webhook a single non-blocking system call and never waits for the receiver:
when the Rasa process is down, busy or restarting, the datagram is simply dropped. That is safe
because the wake only says "look now"; the message itself is already in the message log, and the
Rasa process also polls the log on a short interval and reads it at start (processing.py).

Anything on the machine can send to the port; the worst a forged datagram does is make the Rasa
process read one row and look for that person's waiting messages, which it would do anyway.
A datagram with the message id alone (from an older webhook process) is still a wake.
"""
from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

WAKE_HOST = "127.0.0.1"
# Longer than any row id we will ever have; anything longer is not a wake.
_MAX_DIGITS = 18


@dataclass(frozen=True)
class Wake:
    message_id: int
    seeker_id: int | None = None


def encode_wake(message_id: int, seeker_id: int | None = None) -> bytes:
    if message_id < 1 or (seeker_id is not None and seeker_id < 1):
        raise ValueError("row ids start at 1")
    return (str(message_id) if seeker_id is None else f"{message_id}:{seeker_id}").encode("ascii")


def decode_wake(datagram: bytes) -> Wake | None:
    """The message (and seeker) a datagram announces; None for anything that is not a wake."""
    parts = datagram.split(b":") if datagram else []
    if not 1 <= len(parts) <= 2:
        return None
    ids = [_row_id(part) for part in parts]
    if None in ids:
        return None
    return Wake(*ids)  # type: ignore[arg-type]


def _row_id(digits: bytes) -> int | None:
    if not digits or len(digits) > _MAX_DIGITS or not digits.isdigit():
        return None
    row_id = int(digits)
    return row_id if row_id >= 1 else None


class WakeSender:
    """Owned by the webhook process; `send` never blocks and never raises."""

    def __init__(self, port: int, host: str = WAKE_HOST) -> None:
        self._target = (host, port)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.setblocking(False)

    def send(self, message_id: int, seeker_id: int | None = None) -> bool:
        """True when the datagram left; False when the kernel refused it at once (a full buffer,
        or the port unreachable since the last send). Either way the poll finds the message."""
        try:
            self._socket.sendto(encode_wake(message_id, seeker_id), self._target)
            return True
        except OSError as error:
            logger.debug("wake for message %d not sent: %s", message_id, type(error).__name__)
            return False

    def close(self) -> None:
        self._socket.close()


class _WakeProtocol(asyncio.DatagramProtocol):
    def __init__(self, on_wake: Callable[[Wake], None]) -> None:
        self._on_wake = on_wake

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        wake = decode_wake(data)
        if wake is not None:
            self._on_wake(wake)

    def error_received(self, exc: Exception) -> None:
        logger.debug("wake socket error: %s", type(exc).__name__)


async def listen_for_wakes(
    port: int, on_wake: Callable[[Wake], None], host: str = WAKE_HOST
) -> asyncio.DatagramTransport | None:
    """Calls `on_wake(wake)` on the running loop for each wake; None when the port is
    taken (another Rasa process on this machine): messages are then found by polling only."""
    loop = asyncio.get_running_loop()
    try:
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _WakeProtocol(on_wake), local_addr=(host, port)
        )
    except OSError as error:
        logger.warning(
            "cannot listen for webhook wakes on udp %s:%d (%s): stored messages are found by polling",
            host, port, type(error).__name__,
        )
        return None
    return transport  # type: ignore[return-value]
