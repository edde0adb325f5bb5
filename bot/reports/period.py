"""The days a report covers, as the staff typed them (?from=2026-11-01&to=2026-11-30).

Days are calendar days where the Partnership works (America/Chicago by default), both ends
included, so "from the 1st to the 30th" means every message sent on the 30th too.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.local_zone import CHICAGO_ZONE_NAME

DEFAULT_ZONE = CHICAGO_ZONE_NAME
DEFAULT_DAYS = 30
# A bound on what one page load reads; a longer look is several reports or a database query.
MAX_DAYS = 366


class BadPeriod(ValueError):
    """A period that cannot be reported on; the message is shown to staff as is."""


@dataclass(frozen=True)
class ReportPeriod:
    first_day: date
    last_day: date
    zone: str = DEFAULT_ZONE

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise BadPeriod("the end date is before the start date")
        if self.days > MAX_DAYS:
            raise BadPeriod(f"a report covers at most {MAX_DAYS} days")

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def start(self) -> datetime:
        """The first instant counted: midnight starting the first day, local time."""
        return datetime.combine(self.first_day, time(0), tzinfo=ZoneInfo(self.zone))

    @property
    def end(self) -> datetime:
        """The first instant not counted: midnight after the last day, local time."""
        return datetime.combine(self.last_day + timedelta(days=1), time(0), tzinfo=ZoneInfo(self.zone))


def period_from_query(
    first_text: str | None,
    last_text: str | None,
    today: date,
    *,
    zone: str = DEFAULT_ZONE,
    default_days: int = DEFAULT_DAYS,
) -> ReportPeriod:
    """The period named by the `from` and `to` query values; a missing `to` is today and a
    missing `from` is `default_days` before `to` (the last 30 days, today included)."""
    last_day = _parsed_day(last_text, "to") or today
    first_day = _parsed_day(first_text, "from") or last_day - timedelta(days=default_days - 1)
    return ReportPeriod(first_day, last_day, zone)


def _parsed_day(text: str | None, name: str) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadPeriod(f"{name} must be a date written like 2026-11-30") from None
