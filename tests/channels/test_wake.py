"""The wake datagram from the webhook ingest process to the Rasa process: what counts as one, and
that it crosses a real loopback socket without the sender ever blocking or raising."""
from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from bot.channels.wake import Wake, WakeSender, decode_wake, encode_wake, listen_for_wakes
from bot.cli.harness import free_port


@pytest.mark.parametrize("message_id", [1, 9, 10, 4_096, 10**17])
@pytest.mark.parametrize("seeker_id", [None, 1, 37, 10**17])
def test_a_wake_carries_the_message_and_seeker_ids_and_nothing_else(message_id, seeker_id):
    datagram = encode_wake(message_id, seeker_id)
    assert datagram.replace(b":", b"").isdigit()
    assert decode_wake(datagram) == Wake(message_id, seeker_id)


def test_a_wake_with_the_message_id_alone_is_still_a_wake():
    assert decode_wake(b"812") == Wake(812, None)  # from a webhook process of the version before


@pytest.mark.parametrize(("message_id", "seeker_id"), [(0, None), (-1, None), (5, 0), (5, -2)])
def test_there_is_no_wake_for_an_id_no_row_can_have(message_id, seeker_id):
    with pytest.raises(ValueError):
        encode_wake(message_id, seeker_id)


@pytest.mark.parametrize(
    "datagram",
    [b"", b"0", b"000", b"-3", b"+3", b" 5", b"5\n", b"12a", b"1.5", b"1" * 19, "٣".encode(), b"\x00",
     b"5:", b":5", b"5:0", b"5:6:7", b"5::6", b"5:" + b"1" * 19],
)
def test_anything_else_on_the_port_is_not_a_wake(datagram):
    assert decode_wake(datagram) is None


def test_the_longest_accepted_id_has_eighteen_digits():
    assert decode_wake(b"9" * 18) == Wake(10**18 - 1)
    assert decode_wake(b"9" * 19) is None


def test_wakes_sent_reach_the_listener_in_order_and_garbage_is_dropped():
    async def scenario() -> list[Wake]:
        heard: list[Wake] = []
        port = free_port(socket.SOCK_DGRAM)
        transport = await listen_for_wakes(port, heard.append)
        assert transport is not None
        sender = WakeSender(port)
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stranger:
                stranger.sendto(b"not a wake", ("127.0.0.1", port))
            for message_id in (3, 1, 2):
                assert sender.send(message_id, 7)
            for _ in range(200):
                if len(heard) == 3:
                    break
                await asyncio.sleep(0.01)
        finally:
            sender.close()
            transport.close()
        return heard

    assert [wake.message_id for wake in asyncio.run(scenario())] == [3, 1, 2]


def test_a_listener_on_a_taken_port_says_so_and_returns_none(caplog):
    async def scenario() -> object:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as holder:
            holder.bind(("127.0.0.1", 0))
            return await listen_for_wakes(holder.getsockname()[1], lambda message_id: None)

    with caplog.at_level(logging.WARNING, logger="bot.channels.wake"):
        assert asyncio.run(scenario()) is None
    assert "found by polling" in caplog.text


def test_a_sender_that_found_nobody_listening_reaches_the_listener_once_it_is_back():
    """The Rasa process down (a deploy), then up again on the same port: sends in between are
    lost without an exception reaching the webhook, and the next wake after the restart arrives."""

    async def scenario() -> tuple[list[bool], list[Wake]]:
        port = free_port(socket.SOCK_DGRAM)
        sender = WakeSender(port)
        heard: list[Wake] = []
        transport = None
        try:
            # Whatever the kernel answers (the first send leaves, a later one may be refused by
            # the port-unreachable reply it caused), nothing is raised.
            while_down = [sender.send(message_id) for message_id in range(1, 6)]
            await asyncio.sleep(0.05)
            transport = await listen_for_wakes(port, heard.append)
            assert transport is not None
            for _ in range(200):
                sender.send(99)
                await asyncio.sleep(0.01)
                if heard:
                    break
        finally:
            sender.close()
            if transport is not None:
                transport.close()
        return while_down, heard

    while_down, heard = asyncio.run(scenario())
    assert while_down[0] is True  # a datagram to a free port leaves; only its echo can refuse the next
    assert heard and {wake.message_id for wake in heard} == {99}  # nothing sent while down arrives late
