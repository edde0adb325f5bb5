"""A WARN outreach campaign's report: of the workers on its roster, how many got how far.

Each stage counts roster members on its own (a worker who registered for a session without
screening counts as registered, not as screened):

- on the roster; texted (their text was queued); delivered (the carrier confirmed it);
- replied (wrote back after their text); opted out (since their text);
- screened (finished a screening after their text); likely Dislocated Worker (that screening);
- registered for a session (one of the campaign's events; seat held, attended or an outcome);
- attended a session; handed off to staff (after their text).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.reports.funnel import Count

STAGE_LABELS = {
    "roster": "On the roster",
    "texted": "Texted",
    "delivered": "Delivered",
    "replied": "Replied",
    "opted_out": "Opted out",
    "screened": "Screened",
    "likely_dislocated_worker": "Likely Dislocated Worker",
    "registered": "Registered for a session",
    "attended": "Attended a session",
    "handed_off": "Handed off to staff",
}
CSV_HEADER = ("campaign_id", "campaign", "measure", "label", "value")


@dataclass(frozen=True)
class MemberJourney:
    texted: bool
    delivered: bool
    replied: bool
    opted_out: bool
    screened: bool
    likely_dislocated_worker: bool
    registered: bool
    attended: bool
    handed_off: bool


def campaign_stages(journeys: Iterable[MemberJourney]) -> tuple[Count, ...]:
    journeys = list(journeys)
    counts = {"roster": len(journeys)}
    for key in tuple(STAGE_LABELS)[1:]:
        counts[key] = sum(bool(getattr(journey, key)) for journey in journeys)
    return tuple(Count(key, label, counts[key]) for key, label in STAGE_LABELS.items())


def campaign_rows(campaign_id: int, name: str, stages: Iterable[Count]) -> list[tuple[str, ...]]:
    return [CSV_HEADER] + [(str(campaign_id), name, stage.key, stage.label, str(stage.count)) for stage in stages]
