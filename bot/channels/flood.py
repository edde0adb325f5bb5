"""A per-sender flood gate for inbound messages. Pure.

A stuck phone, an auto-responder or a script can send hundreds of messages a minute; each would
cost a Rasa turn and, on SMS, a billed reply. `FloodGate.admit(key)` says whether the next message
from `key` (a sender id, e.g. a hashed phone number or a Telegram chat id) may go through.

Sliding window log: each key keeps the times of its admitted messages in the last window, at
most `limit` of them, so a key is refused once it has had `limit` messages admitted in the last
`window_seconds`, and is admitted again as soon as its oldest one falls out of the window.
Refused messages are not recorded: they do not lengthen the penalty, and a client that never
stops sending still gets `limit` messages through per window, which is the rate the gate allows.

Memory stays bounded: keys are kept in order of their last message, so keys silent for a whole
window are dropped from the front as later calls arrive, and past `max_keys` the key silent the
longest is dropped (it starts again with a clean history, the price of the bound). Every
timestamp and every key is added once and removed at most once, so `admit` is O(1) amortized.

Keys are held in memory only and never logged: they may be phone numbers.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class _History:
    __slots__ = ("admitted", "last_seen")

    def __init__(self) -> None:
        self.admitted: deque[float] = deque()
        self.last_seen = 0.0


class FloodGate:
    def __init__(
        self,
        limit: int = 20,
        window_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        if window_seconds <= 0:
            raise ValueError("window_seconds must be positive")
        if max_keys < 1:
            raise ValueError("max_keys must be at least 1")
        self.limit = limit
        self.window_seconds = window_seconds
        self.max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        # Least recently seen first, so silent keys are found at the front.
        self._histories: OrderedDict[str, _History] = OrderedDict()

    def admit(self, key: str) -> bool:
        """True when this message from `key` may go through; False while the key is over its limit."""
        with self._lock:
            now = self._clock()
            self._forget_silent_keys(now)
            history = self._histories.get(key)
            if history is None:
                history = self._histories[key] = _History()
                if len(self._histories) > self.max_keys:
                    self._histories.popitem(last=False)
            else:
                self._histories.move_to_end(key)
            history.last_seen = now
            admitted = history.admitted
            while admitted and now - admitted[0] >= self.window_seconds:
                admitted.popleft()
            if len(admitted) >= self.limit:
                return False
            admitted.append(now)
            return True

    def give_back(self, key: str) -> None:
        """Forgets the latest admission of `key`: that message could not be stored (the database
        was away) and will come again, so it must not count twice against the sender."""
        with self._lock:
            history = self._histories.get(key)
            if history is not None and history.admitted:
                history.admitted.pop()

    def __len__(self) -> int:
        """How many keys the gate is tracking now."""
        with self._lock:
            return len(self._histories)

    def _forget_silent_keys(self, now: float) -> None:
        # A key last seen a whole window ago has nothing admitted inside the window any more
        # (its admissions are no later than its last message), so dropping it changes no answer.
        while self._histories:
            oldest = next(iter(self._histories.values()))
            if now - oldest.last_seen < self.window_seconds:
                return
            self._histories.popitem(last=False)
