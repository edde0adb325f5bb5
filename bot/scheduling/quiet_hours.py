"""Quiet hours: the part of the night when the assistant sends nothing on its own (reminders,
nudges, follow-ups). Replies to a seeker who writes in are not affected.

Quiet hours are defined on the local wall clock of one time zone (9pm-8am America/Chicago by
default), so "9pm" stays 9pm on both sides of a daylight saving change. A window may cross midnight
(21:00-08:00) or lie within one day (13:00-14:00); the start is inside the window, the end is not.

Pure: standard library only. Configured with QUIET_HOURS="21:00-08:00" ("" or "off" disables).
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.local_zone import CHICAGO_ZONE_NAME
from bot.scheduling.zones import time_zone

QUIET_HOURS_ENV = "QUIET_HOURS"
DEFAULT_QUIET_HOURS = "21:00-08:00"
DEFAULT_ZONE = CHICAGO_ZONE_NAME
_DISABLED_VALUES = ("", "off", "none", "no")

_RANGE_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

# The longest stretch that can be quiet in a row: a window of just under 24 hours plus the hour a
# fall-back night adds. next_send_time never has to look further ahead than this.
_LOOKAHEAD = timedelta(hours=26)


@dataclass(frozen=True)
class QuietHours:
    start: time = time(21, 0)
    end: time = time(8, 0)
    zone: str = DEFAULT_ZONE

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("quiet hours are wall-clock times; give the zone separately")
        if self.start == self.end:
            # Could mean "never" or "always"; both are better said another way (no QuietHours at all).
            raise ValueError(f"quiet hours start and end are both {self.start:%H:%M}")
        time_zone(self.zone)

    @property
    def tz(self) -> ZoneInfo:
        return time_zone(self.zone)

    @property
    def crosses_midnight(self) -> bool:
        return self.start > self.end

    def is_quiet(self, moment: datetime) -> bool:
        """True when the local wall clock at `moment` is inside the window."""
        wall = _require_aware(moment).astimezone(self.tz).time().replace(tzinfo=None)
        if self.crosses_midnight:
            return wall >= self.start or wall < self.end
        return self.start <= wall < self.end

    def next_send_time(self, moment: datetime) -> datetime:
        """The first moment at or after `moment` that is not quiet: `moment` itself when sending is
        allowed, else the end of the quiet stretch it falls in.

        The result is in the same tzinfo as `moment` (pass UTC, get UTC). On a night with a clock
        change the answer is exact: when the end of the window falls in the skipped hour the answer
        is the instant the clock jumps; when it falls in the repeated hour, the wall clock decides,
        as it does in is_quiet.
        """
        _require_aware(moment)
        if not self.is_quiet(moment):
            return moment
        # Quiet can only give way to allowed at an instant the wall clock reads `end`, or at an
        # instant the clock is moved. Take the earliest such instant that is allowed.
        candidates = [*self._end_instants_near(moment), *_offset_changes(self.tz, moment, _LOOKAHEAD)]
        allowed = [c for c in candidates if c >= moment and not self.is_quiet(c)]
        if not allowed:  # pragma: no cover - impossible while start != end
            raise RuntimeError("no allowed send time found within a day")
        return min(allowed).astimezone(moment.tzinfo)

    def _end_instants_near(self, moment: datetime) -> list[datetime]:
        local_day = moment.astimezone(self.tz).date()
        instants = []
        for day_offset in (-1, 0, 1, 2):
            day: date = local_day + timedelta(days=day_offset)
            # fold=0 and fold=1 are the two readings of a wall time that occurs twice (fall back);
            # for a wall time that does not exist (spring forward) they straddle the jump, and the
            # jump itself is found by _offset_changes.
            for fold in (0, 1):
                local = datetime.combine(day, self.end, tzinfo=self.tz).replace(fold=fold)
                instants.append(local.astimezone(timezone.utc))
        return instants

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M} {self.zone}"


def parse_quiet_hours(text: str, zone: str = DEFAULT_ZONE) -> QuietHours | None:
    """"21:00-08:00" -> QuietHours; "" or "off" -> None (no quiet hours). ValueError otherwise."""
    if text.strip().lower() in _DISABLED_VALUES:
        return None
    match = _RANGE_RE.match(text)
    if not match:
        raise ValueError(
            f"{QUIET_HOURS_ENV}={text!r} is not a time range; "
            f"write it like {DEFAULT_QUIET_HOURS!r} (24-hour HH:MM-HH:MM), or 'off'"
        )
    start_hour, start_minute, end_hour, end_minute = (int(part) for part in match.groups())
    try:
        start = time(start_hour, start_minute)
        end = time(end_hour, end_minute)
    except ValueError as error:
        raise ValueError(f"{QUIET_HOURS_ENV}={text!r}: {error}; hours are 0-23, minutes 0-59") from error
    try:
        return QuietHours(start=start, end=end, zone=zone)
    except ValueError as error:
        raise ValueError(f"{QUIET_HOURS_ENV}={text!r}: {error}") from error


def quiet_hours_from_env(environ: Mapping[str, str] | None = None) -> QuietHours | None:
    """Quiet hours from QUIET_HOURS; 21:00-08:00 America/Chicago when it is not set, None when it
    is empty or "off"."""
    environ = os.environ if environ is None else environ
    return parse_quiet_hours(environ.get(QUIET_HOURS_ENV, DEFAULT_QUIET_HOURS))


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime has no place in time; give it a tzinfo")
    return moment


def _offset_changes(tz: ZoneInfo, start: datetime, span: timedelta) -> list[datetime]:
    """The instants in [start, start + span] at which the zone's UTC offset changes (clock changes).
    Checks hour by hour, then narrows each change down to the second."""
    changes = []
    step = timedelta(hours=1)
    before = start.astimezone(timezone.utc)
    end = before + span
    while before < end:
        after = before + step
        if before.astimezone(tz).utcoffset() != after.astimezone(tz).utcoffset():
            changes.append(_narrow_change(tz, before, after))
        before = after
    return changes


def _narrow_change(tz: ZoneInfo, before: datetime, after: datetime) -> datetime:
    old_offset = before.astimezone(tz).utcoffset()
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) / 2
        if middle.astimezone(tz).utcoffset() == old_offset:
            before = middle
        else:
            after = middle
    # Zone transitions fall on whole UTC seconds; `after` is less than a second past it.
    return after.replace(microsecond=0)
