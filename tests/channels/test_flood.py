"""The per-sender flood gate, driven by a fake clock."""
from __future__ import annotations

import threading
import time

import pytest

from bot.channels.flood import FloodGate


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.mark.parametrize("limit", [1, 3, 20])
def test_limit_admitted_then_refused(limit):
    gate = FloodGate(limit=limit, window_seconds=60.0, clock=FakeClock())
    assert [gate.admit("+13125550100") for _ in range(limit)] == [True] * limit
    assert gate.admit("+13125550100") is False
    assert gate.admit("+13125550100") is False


def test_default_limit_is_twenty_a_minute():
    clock = FakeClock()
    gate = FloodGate(clock=clock)
    assert sum(gate.admit("sender") for _ in range(25)) == 20
    clock.advance(59.75)
    assert gate.admit("sender") is False
    clock.advance(0.25)
    assert gate.admit("sender") is True


@pytest.mark.parametrize("elapsed, admitted", [(0.0, False), (59.999, False), (60.0, True), (61.0, True)])
def test_recovers_when_the_oldest_message_leaves_the_window(elapsed, admitted):
    clock = FakeClock()
    gate = FloodGate(limit=20, window_seconds=60.0, clock=clock)
    for _ in range(20):
        gate.admit("sender")
    clock.advance(elapsed)
    assert gate.admit("sender") is admitted


def test_the_window_slides_message_by_message():
    clock = FakeClock()
    gate = FloodGate(limit=3, window_seconds=10.0, clock=clock)
    for _ in range(3):  # at 0, 1, 2
        assert gate.admit("sender")
        clock.advance(1.0)
    clock.advance(5.0)  # t = 8
    assert gate.admit("sender") is False
    clock.advance(2.0)  # t = 10: the message at 0 has left, those at 1 and 2 have not
    assert gate.admit("sender") is True
    assert gate.admit("sender") is False
    clock.advance(1.0)  # t = 11: the message at 1 has left
    assert gate.admit("sender") is True
    assert gate.admit("sender") is False


def test_refused_messages_do_not_extend_the_penalty():
    """A sender that never stops still gets `limit` messages through per window."""
    clock = FakeClock()
    gate = FloodGate(limit=5, window_seconds=10.0, clock=clock)
    admitted_at = []
    for _ in range(300):  # one message every 0.1 s for 30 s
        if gate.admit("sender"):
            admitted_at.append(clock.now)
        clock.advance(0.1)
    assert len(admitted_at) == 15
    for index in range(len(admitted_at) - 5):
        # No six admitted messages ever fit in one window.
        assert admitted_at[index + 5] - admitted_at[index] >= 10.0 - 1e-9


def test_one_flooding_key_does_not_affect_another():
    clock = FakeClock()
    gate = FloodGate(limit=20, window_seconds=60.0, clock=clock)
    for _ in range(100):
        gate.admit("flooder")
    assert gate.admit("flooder") is False
    assert [gate.admit("neighbour") for _ in range(20)] == [True] * 20
    assert gate.admit("neighbour") is False


def test_keys_silent_for_a_window_are_forgotten():
    clock = FakeClock()
    gate = FloodGate(limit=20, window_seconds=60.0, clock=clock)
    for number in range(100):
        gate.admit(f"sender-{number}")
    assert len(gate) == 100
    clock.advance(59.75)
    gate.admit("sender-0")  # seen again: kept, and the others are not yet a window old
    assert len(gate) == 100
    clock.advance(0.25)
    gate.admit("late")
    assert len(gate) == 2  # sender-0 (seen 0.25 s ago) and late


def test_a_throttled_key_still_being_refused_is_not_forgotten():
    """Refused messages count as traffic for memory, so the flooder's history is kept while it
    keeps sending (forgetting it would hand it a fresh allowance)."""
    clock = FakeClock()
    gate = FloodGate(limit=5, window_seconds=10.0, clock=clock)
    for _ in range(5):
        gate.admit("flooder")
    for _ in range(9):
        clock.advance(1.0)
        assert gate.admit("flooder") is False
    assert len(gate) == 1


@pytest.mark.parametrize("max_keys", [1, 3, 50])
def test_the_number_of_tracked_keys_is_capped(max_keys):
    gate = FloodGate(limit=5, window_seconds=60.0, clock=FakeClock(), max_keys=max_keys)
    for number in range(max_keys * 3):
        gate.admit(f"sender-{number}")
        assert len(gate) <= max_keys
    assert len(gate) == max_keys


def test_past_the_cap_the_key_silent_the_longest_is_dropped():
    clock = FakeClock()
    gate = FloodGate(limit=2, window_seconds=60.0, clock=clock, max_keys=2)
    for _ in range(2):
        gate.admit("a")
    clock.advance(1.0)
    for _ in range(2):
        gate.admit("b")
    clock.advance(1.0)
    assert gate.admit("a") is False  # "a" is now the more recently seen key
    gate.admit("c")  # over the cap: "b" goes
    assert gate.admit("a") is False  # "a" kept its history
    assert gate.admit("b") is True  # "b" starts again


class SlowLimit(int):
    """A limit whose comparison yields the processor, so without the lock another thread would
    slip in between a key's check and its record and more than `limit` would get through."""

    def __le__(self, other: object) -> bool:
        time.sleep(0.0005)
        return int(self) <= other


def test_thread_safe_under_concurrent_admits():
    gate = FloodGate(limit=SlowLimit(50), window_seconds=60.0, clock=FakeClock())
    results: list[bool] = []
    results_lock = threading.Lock()
    start = threading.Barrier(8)

    def send() -> None:
        start.wait()
        outcomes = [gate.admit("shared") for _ in range(200)]
        with results_lock:
            results.extend(outcomes)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 1600
    assert sum(results) == 50


@pytest.mark.parametrize(
    "arguments",
    [{"limit": 0}, {"limit": -1}, {"window_seconds": 0}, {"window_seconds": -5.0}, {"max_keys": 0}],
)
def test_rejects_settings_that_cannot_work(arguments):
    with pytest.raises(ValueError):
        FloodGate(**arguments)


def test_a_message_given_back_does_not_count_against_the_sender():
    """A webhook admitted but not stored (the database away) comes again; counted once."""
    gate = FloodGate(limit=2, window_seconds=60, clock=FakeClock())
    for _ in range(5):  # five failed deliveries of the same message
        assert gate.admit("twilio:+13125550100")
        gate.give_back("twilio:+13125550100")
    assert gate.admit("twilio:+13125550100") and gate.admit("twilio:+13125550100")
    assert not gate.admit("twilio:+13125550100")
    gate.give_back("twilio:+13125550199")  # an unknown key: nothing to give back, nothing breaks
