"""Which staff member may take which handoff, and in what order handoffs are served.

A handoff goes to its sector's team and to people who speak the seeker's language. An account
with no teams (or no languages) listed is not limited by them, and a handoff with no sector
(team "general") or no known language is for anyone. Served by priority, then oldest first.

Pure: works on any objects with the attributes named in the protocols below (the store's
HandoffRecord and StaffAccount have them).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from bot.handoff.model import TEAM_GENERAL


class RoutedHandoff(Protocol):
    id: int
    team: str
    language: str | None
    priority: int
    created_at: datetime


class StaffMember(Protocol):
    teams: tuple[str, ...]
    languages: tuple[str, ...]


def matches(handoff: RoutedHandoff, staff: StaffMember) -> bool:
    return _speaks(handoff, staff) and _in_team(handoff, staff)


def _speaks(handoff: RoutedHandoff, staff: StaffMember) -> bool:
    return handoff.language is None or not staff.languages or handoff.language in staff.languages


def _in_team(handoff: RoutedHandoff, staff: StaffMember) -> bool:
    return handoff.team == TEAM_GENERAL or not staff.teams or handoff.team in staff.teams


def order_key(handoff: RoutedHandoff) -> tuple[int, datetime, int]:
    """Sort key: higher priority first, then the longest waiting; the id settles exact ties."""
    return (-handoff.priority, handoff.created_at, handoff.id)


def queue_for(staff: StaffMember, handoffs: Iterable[RoutedHandoff]) -> list[RoutedHandoff]:
    """The handoffs this person may take, in the order they should be taken."""
    return sorted((handoff for handoff in handoffs if matches(handoff, staff)), key=order_key)
