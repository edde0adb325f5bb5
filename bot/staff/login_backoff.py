"""How long sign-in waits after wrong passwords, by account name and by address. Pure.

A few failures are free (typos). From then on each failure makes the key wait before its next
try, twice as long as the last wait, up to a ceiling. Attempts made while a key waits are refused
without looking at the password and change nothing, so hammering does not lengthen the wait (the
old lock did, which let anyone keep an account locked for ever). Keys are account names as
typed, known or not, so an unknown name is answered exactly like a real one.

Memory is bounded: a key silent for `forget_after` starts again from nothing, and past
`max_keys` the key silent the longest is dropped. Thread-safe: waitress serves on several threads.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class _Failures:
    count: int
    last_failure: datetime
    wait_until: datetime | None = None


class LoginBackoff:
    def __init__(
        self,
        free_failures: int,
        first_wait: timedelta,
        longest_wait: timedelta,
        forget_after: timedelta = timedelta(hours=24),
        max_keys: int = 10_000,
    ) -> None:
        if free_failures < 1 or first_wait <= timedelta(0) or longest_wait < first_wait or max_keys < 1:
            raise ValueError("backoff settings that cannot work")
        self.free_failures = free_failures
        self.first_wait = first_wait
        self.longest_wait = longest_wait
        self.forget_after = forget_after
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, _Failures] = OrderedDict()  # least recently failed first

    def wait_left(self, key: str, now: datetime) -> timedelta | None:
        """How long `key` must still wait before its password is checked; None when it need not."""
        with self._lock:
            failures = self._current(key, now)
            if failures is None or failures.wait_until is None or failures.wait_until <= now:
                return None
            return failures.wait_until - now

    def record_failure(self, key: str, now: datetime) -> timedelta | None:
        """Counts a wrong password checked for `key`; returns the wait it starts, if any."""
        with self._lock:
            failures = self._current(key, now)
            if failures is None:
                failures = self._failures[key] = _Failures(0, now)
                if len(self._failures) > self.max_keys:
                    self._failures.popitem(last=False)
            self._failures.move_to_end(key)
            failures.count += 1
            failures.last_failure = now
            beyond_free = failures.count - self.free_failures - 1
            if beyond_free < 0:
                return None
            wait = min(self.first_wait * (2 ** min(beyond_free, 32)), self.longest_wait)
            failures.wait_until = now + wait
            return wait

    def forget(self, key: str) -> None:
        """The right password: the key starts again from nothing."""
        with self._lock:
            self._failures.pop(key, None)

    def _current(self, key: str, now: datetime) -> _Failures | None:
        failures = self._failures.get(key)
        if failures is not None and now - failures.last_failure >= self.forget_after:
            del self._failures[key]
            return None
        return failures
