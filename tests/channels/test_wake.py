"""The wake datagram from the webhook ingest process to the Rasa process: what counts as one, and
that it crosses a real loopback socket without the sender ever blocking or raising."""
from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from bot.channels.wake import WakeSender, decode_wake, encode_wake, listen_for_wakes
from bot.cli.harness import free_port


@pytest.mark.parametrize("message_id", [1, 9, 10, 4_096, 10**17])
def test_a_wake_carries_the_message_id_and_nothing_else(message_id):
    datagram = encode_wake(message_id)
    assert datagram.isdigit()
    assert decode_wake(datagram) == message_id


@pytest.mark.parametrize("message_id", [0, -1])
def test_there_is_no_wake_for_an_id_no_row_can_have(message_id):
    with pytest.raises(ValueError):
        encode_wake(message_id)


@pytest.mark.parametrize(
    "datagram",
    [b"", b"0", b"000", b"-3", b"+3", b" 5", b"5\n", b"12a", b"1.5", b"1" * 19, "٣".encode(), b"\x00"],
)
def test_anything_else_on_the_port_is_not_a_wake(datagram):
    assert decode_wake(datagram) is None


def test_the_longest_accepted_id_has_eighteen_digits():
    assert decode_wake(b"9" * 18) == 10**18 - 1
    assert decode_wake(b"9" * 19) is None


def test_wakes_sent_reach_the_listener_in_order_and_garbage_is_dropped():
    async def scenario() -> list[int]:
        heard: list[int] = []
        port = free_port(socket.SOCK_DGRAM)
        transport = await listen_for_wakes(port, heard.append)
        assert transport is not None
        sender = WakeSender(port)
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stranger:
                stranger.sendto(b"not a wake", ("127.0.0.1", port))
            for message_id in (3, 1, 2):
                assert sender.send(message_id)
            for _ in range(200):
                if len(heard) == 3:
                    break
                await asyncio.sleep(0.01)
        finally:
            sender.close()
            transport.close()
        return heard

    assert asyncio.run(scenario()) == [3, 1, 2]


def test_a_listener_on_a_taken_port_says_so_and_returns_none(caplog):
    async def scenario() -> object:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as holder:
            holder.bind(("127.0.0.1", 0))
            return await listen_for_wakes(holder.getsockname()[1], lambda message_id: None)

    with caplog.at_level(logging.WARNING, logger="bot.channels.wake"):
        assert asyncio.run(scenario()) is None
    assert "found by polling" in caplog.text


def test_sending_to_a_port_nobody_listens_on_never_raises():
    sender = WakeSender(free_port(socket.SOCK_DGRAM))
    try:
        # The first send may succeed and the next fail with the ICMP error it caused; neither raises.
        results = [sender.send(message_id) for message_id in range(1, 6)]
    finally:
        sender.close()
    assert all(isinstance(result, bool) for result in results)
