"""How the webhook process tells the Rasa process that a message is waiting: one UDP datagram to
127.0.0.1 carrying the stored row's id in ASCII digits, nothing personal.

A datagram costs the webhook a single non-blocking system call and never waits for the receiver:
when the Rasa process is down, busy or restarting, the datagram is simply dropped. That is safe
because the wake only says "look now"; the message itself is already in the message log, and the
Rasa process also polls the log on a short interval and reads it at start (processing.py).

Anything on the machine can send to the port; the worst a forged datagram does is make the Rasa
process read one row and look for that person's waiting messages, which it would do anyway.
"""
from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable

logger = logging.getLogger(__name__)

WAKE_HOST = "127.0.0.1"
# Longer than any row id we will ever have; anything longer is not a wake.
_MAX_DIGITS = 18


def encode_wake(message_id: int) -> bytes:
    if message_id < 1:
        raise ValueError("message ids start at 1")
    return str(message_id).encode("ascii")


def decode_wake(datagram: bytes) -> int | None:
    """The message id a datagram announces; None for anything that is not a wake."""
    if not datagram or len(datagram) > _MAX_DIGITS or not datagram.isdigit():
        return None
    message_id = int(datagram)
    return message_id if message_id >= 1 else None


class WakeSender:
    """Owned by the webhook process; `send` never blocks and never raises."""

    def __init__(self, port: int, host: str = WAKE_HOST) -> None:
        self._target = (host, port)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.setblocking(False)

    def send(self, message_id: int) -> bool:
        """True when the datagram left; False when the kernel refused it at once (a full buffer,
        or the port unreachable since the last send). Either way the poll finds the message."""
        try:
            self._socket.sendto(encode_wake(message_id), self._target)
            return True
        except OSError as error:
            logger.debug("wake for message %d not sent: %s", message_id, type(error).__name__)
            return False

    def close(self) -> None:
        self._socket.close()


class _WakeProtocol(asyncio.DatagramProtocol):
    def __init__(self, on_wake: Callable[[int], None]) -> None:
        self._on_wake = on_wake

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        message_id = decode_wake(data)
        if message_id is not None:
            self._on_wake(message_id)

    def error_received(self, exc: Exception) -> None:
        logger.debug("wake socket error: %s", type(exc).__name__)


async def listen_for_wakes(
    port: int, on_wake: Callable[[int], None], host: str = WAKE_HOST
) -> asyncio.DatagramTransport | None:
    """Calls `on_wake(message_id)` on the running loop for each wake; None when the port is
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
