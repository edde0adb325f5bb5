"""When staff are at work: the hours a handoff's wait and its SLA clock are counted in.

Hours are wall-clock times of one time zone (Mon-Fri 09:00-17:00 America/Chicago by default), so
"9 am" stays 9 am on both sides of a daylight saving change; every duration is measured between
real instants (UTC), so a day with a clock change is as long as it really is. Days the office is
closed (data/handoff/holidays.yml, plus BUSINESS_HOLIDAYS) have no open hours at all.

Pure: standard library and PyYAML only. Configured with BUSINESS_HOURS ("mon-fri 09:00-17:00"),
BUSINESS_TIMEZONE and BUSINESS_HOLIDAYS (comma-separated ISO dates).
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from bot.local_zone import CHICAGO_ZONE_NAME
from bot.scheduling.zones import time_zone

HOURS_ENV = "BUSINESS_HOURS"
TIMEZONE_ENV = "BUSINESS_TIMEZONE"
HOLIDAYS_ENV = "BUSINESS_HOLIDAYS"
DEFAULT_HOURS = "mon-fri 09:00-17:00"
DEFAULT_ZONE = CHICAGO_ZONE_NAME
HOLIDAYS_FILE = Path(__file__).resolve().parents[2] / "data" / "handoff" / "holidays.yml"

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS_RE = re.compile(r"^\s*(?P<days>[a-z,\- ]+?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

# A calendar open at least one day a week opens within a week, plus the holidays in the way;
# a year and a bit covers any sensible holiday list and still ends the search.
_SEARCH_DAYS = 400


@dataclass(frozen=True)
class BusinessCalendar:
    zone: str = DEFAULT_ZONE
    workdays: frozenset[int] = frozenset(range(5))  # date.weekday(): Monday is 0
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if not self.opens < self.closes:
            raise ValueError(f"business hours must open before they close ({self.opens:%H:%M}-{self.closes:%H:%M})")
        if not self.workdays or not self.workdays <= frozenset(range(7)):
            raise ValueError(f"workdays are weekday numbers 0-6, at least one: {sorted(self.workdays)}")
        time_zone(self.zone)

    @property
    def tz(self) -> ZoneInfo:
        return time_zone(self.zone)

    def local_date(self, at: datetime) -> date:
        return _aware(at).astimezone(self.tz).date()

    def is_business_day(self, day: date) -> bool:
        return day.weekday() in self.workdays and day not in self.holidays

    def open_hours(self, day: date) -> tuple[datetime, datetime] | None:
        """The open stretch of a local calendar day, as UTC instants; None on a closed day."""
        if not self.is_business_day(day):
            return None
        start = datetime.combine(day, self.opens, tzinfo=self.tz).astimezone(timezone.utc)
        end = datetime.combine(day, self.closes, tzinfo=self.tz).astimezone(timezone.utc)
        return start, end

    def is_open(self, at: datetime) -> bool:
        """Open from the opening minute up to, not including, the closing one."""
        hours = self.open_hours(self.local_date(at))
        return hours is not None and hours[0] <= at < hours[1]

    def closing_time(self, at: datetime) -> datetime | None:
        """When the open stretch `at` falls in ends; None when closed at `at`."""
        hours = self.open_hours(self.local_date(at))
        if hours is None or not hours[0] <= at < hours[1]:
            return None
        return hours[1].astimezone(at.tzinfo)

    def next_opening(self, at: datetime) -> datetime:
        """`at` itself when open, else the next moment the office opens (in `at`'s tzinfo)."""
        for start, end in self._stretches_from(at):
            if at < end:
                return max(start, at).astimezone(at.tzinfo)
        raise ValueError(f"no business hours within {_SEARCH_DAYS} days of {at.isoformat()}")

    def business_seconds(self, start: datetime, end: datetime) -> float:
        """Open time between two instants, in seconds; 0 when `end` is not after `start`."""
        _aware(start)
        _aware(end)
        if end <= start:
            return 0.0
        total = 0.0
        day = self.local_date(start)
        last = self.local_date(end)
        while day <= last:
            hours = self.open_hours(day)
            if hours is not None:
                overlap = min(end, hours[1]) - max(start, hours[0])
                total += max(overlap.total_seconds(), 0.0)
            day += timedelta(days=1)
        return total

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """The instant at which `duration` of open time has gone by since `start`."""
        remaining = duration
        if remaining <= timedelta(0):
            return start
        for open_at, close_at in self._stretches_from(start):
            if close_at <= start:
                continue
            begin = max(open_at, start)
            available = close_at - begin
            if remaining <= available:
                return (begin + remaining).astimezone(start.tzinfo)
            remaining -= available
        raise ValueError(f"not enough business hours within {_SEARCH_DAYS} days of {start.isoformat()}")

    def _stretches_from(self, at: datetime) -> Iterable[tuple[datetime, datetime]]:
        day = self.local_date(at)
        for offset in range(_SEARCH_DAYS):
            hours = self.open_hours(day + timedelta(days=offset))
            if hours is not None:
                yield hours


def parse_business_hours(text: str) -> tuple[frozenset[int], time, time]:
    """"mon-fri 09:00-17:00" -> (weekdays, opens, closes). Days are mon..sun, as ranges
    ("mon-fri") or lists ("mon,wed,fri"), or both ("mon-thu,sat"). ValueError otherwise."""
    match = _HOURS_RE.match(text.lower())
    if not match:
        raise ValueError(f"{HOURS_ENV}={text!r}: write it like {DEFAULT_HOURS!r}")
    days: set[int] = set()
    for part in match.group("days").replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in DAY_NAMES or (last and last not in DAY_NAMES):
            raise ValueError(f"{HOURS_ENV}={text!r}: days are {', '.join(DAY_NAMES)}")
        begin, finish = DAY_NAMES.index(first), DAY_NAMES.index(last or first)
        if finish < begin:
            raise ValueError(f"{HOURS_ENV}={text!r}: a day range runs forward, like mon-fri")
        days.update(range(begin, finish + 1))
    open_hour, open_minute, close_hour, close_minute = (int(value) for value in match.groups()[1:])
    try:
        return frozenset(days), time(open_hour, open_minute), time(close_hour, close_minute)
    except ValueError as error:
        raise ValueError(f"{HOURS_ENV}={text!r}: {error}") from error


def parse_holidays(text: str) -> frozenset[date]:
    """"2026-12-24, 2026-12-31" -> dates; empty text -> none. ValueError on anything else."""
    days = set()
    for part in text.split(","):
        if part.strip():
            try:
                days.add(date.fromisoformat(part.strip()))
            except ValueError as error:
                raise ValueError(f"{HOLIDAYS_ENV}: {part.strip()!r} is not a date like 2026-12-24") from error
    return frozenset(days)


@lru_cache(maxsize=4)
def shipped_holidays(path: Path = HOLIDAYS_FILE) -> frozenset[date]:
    """The days the Partnership closes for, from the shipped list."""
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    return frozenset(entry["date"] for entry in document["holidays"])


def calendar_from_env(environ: Mapping[str, str] | None = None, holidays_file: Path = HOLIDAYS_FILE) -> BusinessCalendar:
    environ = os.environ if environ is None else environ
    workdays, opens, closes = parse_business_hours(environ.get(HOURS_ENV) or DEFAULT_HOURS)
    holidays = shipped_holidays(holidays_file) | parse_holidays(environ.get(HOLIDAYS_ENV, ""))
    zone = (environ.get(TIMEZONE_ENV) or DEFAULT_ZONE).strip()
    return BusinessCalendar(zone=zone, workdays=workdays, opens=opens, closes=closes, holidays=holidays)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime has no place in time; give it a tzinfo")
    return moment
