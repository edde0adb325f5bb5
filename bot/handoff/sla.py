"""The SLA clock of a handoff: time to the first staff reply, counted in business hours only.

A handoff opened Friday at 4:30 pm and answered Monday at 9:30 am waited one business hour.
While nobody has answered, the clock runs to `now`; once someone has, it stops for good.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.handoff.business_hours import BusinessCalendar

DEFAULT_TARGET = timedelta(minutes=60)
# Staff see a handoff turn amber at three quarters of the target, while there is still time.
WARNING_SHARE = 0.75

SLA_OK = "ok"
SLA_WARNING = "warning"
SLA_BREACHED = "breached"
SLA_STATES = (SLA_OK, SLA_WARNING, SLA_BREACHED)


@dataclass(frozen=True)
class SlaClock:
    calendar: BusinessCalendar
    target: timedelta = DEFAULT_TARGET

    def __post_init__(self) -> None:
        if self.target <= timedelta(0):
            raise ValueError("an SLA target is a positive duration")

    def elapsed(self, created_at: datetime, first_response_at: datetime | None, now: datetime) -> timedelta:
        """Business time from the handoff to the first staff reply (or to `now`, unanswered)."""
        stop = first_response_at if first_response_at is not None else now
        return timedelta(seconds=self.calendar.business_seconds(created_at, stop))

    def state(self, created_at: datetime, first_response_at: datetime | None, now: datetime) -> str:
        """SLA_BREACHED past the target; SLA_WARNING from WARNING_SHARE of it while still
        unanswered; SLA_OK otherwise. An answered handoff is never a warning: its clock stopped."""
        elapsed = self.elapsed(created_at, first_response_at, now)
        if elapsed > self.target:
            return SLA_BREACHED
        if first_response_at is None and elapsed >= self.target * WARNING_SHARE:
            return SLA_WARNING
        return SLA_OK

    def due_at(self, created_at: datetime) -> datetime:
        """When an unanswered handoff breaches the target."""
        return self.calendar.add_business_time(created_at, self.target)
