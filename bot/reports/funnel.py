"""The intake funnel: of the people who first wrote in during a period, how many got how far.

Every stage counts people of the same cohort (seekers created in the period), each on its own:
a person who registered for an event by texting its code without finishing a screening counts as
registered, not as screened. So stages usually shrink from one to the next, but need not.

- started: seekers created in the period (their first message arrived);
- consented: were shown the privacy notice and have not opted out since;
- screened: finished a screening;
- likely eligible, per program: their latest finished screening says "likely" for it;
- registered: hold a seat at an event now, or attended, or have an outcome recorded (a
  cancelled registration or a place on the waitlist does not count);
- attended: checked in at an event;
- offer: an employer made them a job offer (registration outcome "offer");
- handed off: were handed to staff at least once.

The median time to a first staff reply is over the handoffs opened in the period (whoever they
are for), counted in business hours, answered ones only; the unanswered are counted beside it.
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.handoff.business_hours import BusinessCalendar
from bot.reports.period import ReportPeriod

STAGE_STARTED = "started"
STAGE_CONSENTED = "consented"
STAGE_SCREENED = "screened"
STAGE_REGISTERED = "registered"
STAGE_ATTENDED = "attended"
STAGE_OFFER = "offer"
STAGE_HANDED_OFF = "handed_off"

STAGE_LABELS = {
    STAGE_STARTED: "Started",
    STAGE_CONSENTED: "Consented",
    STAGE_SCREENED: "Screened",
    STAGE_REGISTERED: "Registered for an event",
    STAGE_ATTENDED: "Attended",
    STAGE_OFFER: "Job offer",
    STAGE_HANDED_OFF: "Handed off to staff",
}
# The order stages are shown in; "handed off" is beside the path, not a step on it, so it is last.
STAGES = tuple(STAGE_LABELS)


@dataclass(frozen=True)
class SeekerJourney:
    """How far one seeker got; built by the store, one per seeker of the cohort."""

    seeker_id: int
    consented: bool
    screened: bool
    likely_programs: tuple[str, ...]
    registered: bool
    attended: bool
    offer: bool
    handed_off: bool


@dataclass(frozen=True)
class HandoffTiming:
    created_at: datetime
    first_response_at: datetime | None


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class ResponseTimes:
    median: timedelta | None
    answered: int
    unanswered: int


@dataclass(frozen=True)
class FunnelReport:
    period: ReportPeriod
    stages: tuple[Count, ...]
    # One per program, in the order given, zero counts included: a program nobody fits is news.
    likely_eligible: tuple[Count, ...]
    first_response: ResponseTimes

    def stage(self, key: str) -> int:
        return next(stage.count for stage in self.stages if stage.key == key)

    @property
    def started(self) -> int:
        return self.stage(STAGE_STARTED)

    def share_of_started(self, count: int) -> float | None:
        """`count` as a fraction of the people who started; None when nobody started."""
        return count / self.started if self.started else None


def build_funnel(
    period: ReportPeriod,
    journeys: Iterable[SeekerJourney],
    programs: Sequence[tuple[str, str]],
    first_response: ResponseTimes,
) -> FunnelReport:
    """`programs` are (program, label) pairs in the order the report lists them."""
    journeys = list(journeys)
    reached = {
        STAGE_STARTED: len(journeys),
        STAGE_CONSENTED: sum(journey.consented for journey in journeys),
        STAGE_SCREENED: sum(journey.screened for journey in journeys),
        STAGE_REGISTERED: sum(journey.registered for journey in journeys),
        STAGE_ATTENDED: sum(journey.attended for journey in journeys),
        STAGE_OFFER: sum(journey.offer for journey in journeys),
        STAGE_HANDED_OFF: sum(journey.handed_off for journey in journeys),
    }
    return FunnelReport(
        period=period,
        stages=tuple(Count(key, STAGE_LABELS[key], reached[key]) for key in STAGES),
        likely_eligible=tuple(
            Count(program, label, sum(program in journey.likely_programs for journey in journeys))
            for program, label in programs
        ),
        first_response=first_response,
    )


def response_times(handoffs: Iterable[HandoffTiming], calendar: BusinessCalendar) -> ResponseTimes:
    """Median business time from handoff to first staff reply, over the answered handoffs."""
    waits: list[float] = []
    unanswered = 0
    for handoff in handoffs:
        if handoff.first_response_at is None:
            unanswered += 1
        else:
            waits.append(calendar.business_seconds(handoff.created_at, handoff.first_response_at))
    median = timedelta(seconds=statistics.median(waits)) if waits else None
    return ResponseTimes(median=median, answered=len(waits), unanswered=unanswered)


def duration_text(duration: timedelta | None) -> str:
    """"1 h 05 min", "12 min", "40 s"; an em dash for no value."""
    if duration is None:
        return "—"
    seconds = round(duration.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min"
    return f"{seconds} s"
