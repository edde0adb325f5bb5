"""The queue page: open handoffs, most urgent first, with filters and an SLA colour per row.

`/` is the page; `/queue/rows` is its table body alone, which the page fetches every few
seconds (static/queue.js) so new handoffs appear without a reload.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, render_template, request

from bot.answers import SECTOR_VALUES
from bot.handoff import routing
from bot.handoff.model import TEAM_GENERAL
from bot.staff import handoff_work
from bot.staff.auth import current_staff, login_required
from bot.staff.claims import release_stale_claims
from bot.staff.display import business_duration, mask_address, waited
from bot.staff.services import ConsoleServices, services
from bot.store import HandoffRecord
from bot.store.staff_store import StaffAccount
from bot.store.vocabulary import HANDOFF_ASSIGNED, HANDOFF_CLOSED, HANDOFF_OPEN, HANDOFF_WAITING, LANGUAGES

queue = Blueprint("queue", __name__)

VIEW_ALL = "all"
VIEW_MINE = "mine"
VIEW_UNASSIGNED = "unassigned"
# Handoffs this person may take: their teams and languages (bot.handoff.routing). The default:
# routing sends each handoff to its sector team and to staff who speak the seeker's language.
VIEW_SUITED = "suited"
VIEWS = (VIEW_SUITED, VIEW_MINE, VIEW_UNASSIGNED, VIEW_ALL)
STATUS_OPEN = "open"
STATUS_CHOICES = {
    STATUS_OPEN: HANDOFF_OPEN,
    HANDOFF_WAITING: (HANDOFF_WAITING,),
    HANDOFF_ASSIGNED: (HANDOFF_ASSIGNED,),
    HANDOFF_CLOSED: (HANDOFF_CLOSED,),
}
TEAMS = (*SECTOR_VALUES, TEAM_GENERAL)


@dataclass(frozen=True)
class QueueFilters:
    view: str = VIEW_SUITED
    status: str = STATUS_OPEN
    team: str | None = None
    language: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> QueueFilters:
        """Unknown values fall back to the default instead of erroring: these come from links."""
        view = args.get("view", VIEW_SUITED)
        status = args.get("status", STATUS_OPEN)
        team = args.get("team") or None
        language = args.get("language") or None
        return cls(
            view=view if view in VIEWS else VIEW_SUITED,
            status=status if status in STATUS_CHOICES else STATUS_OPEN,
            team=team if team in TEAMS else None,
            language=language if language in LANGUAGES else None,
        )

    def as_args(self) -> dict[str, str]:
        args = {"view": self.view, "status": self.status}
        if self.team:
            args["team"] = self.team
        if self.language:
            args["language"] = self.language
        return args


@dataclass(frozen=True)
class QueueRow:
    handoff: HandoffRecord
    masked_address: str
    waited: str
    sla_state: str
    sla_elapsed: str
    assignee_name: str | None


@queue.route("/")
@login_required
def index() -> Any:
    console = services()
    release_stale_claims(console)
    filters = QueueFilters.from_args(request.args)
    return render_template(
        "queue.html",
        filters=filters,
        rows=queue_rows(console, current_staff(), filters),
        views=VIEWS,
        statuses=tuple(STATUS_CHOICES),
        teams=TEAMS,
        languages=LANGUAGES,
    )


@queue.route("/queue/rows")
@login_required
def rows() -> Any:
    filters = QueueFilters.from_args(request.args)
    return render_template("_queue_rows.html", rows=queue_rows(services(), current_staff(), filters))


def queue_rows(console: ConsoleServices, staff: StaffAccount, filters: QueueFilters) -> list[QueueRow]:
    handoffs = console.handoffs.queue(
        statuses=STATUS_CHOICES[filters.status],
        assignee_id=staff.id if filters.view == VIEW_MINE else None,
        unassigned=filters.view == VIEW_UNASSIGNED,
        team=filters.team,
        language=filters.language,
    )
    if filters.view == VIEW_SUITED:
        handoffs = [handoff for handoff in handoffs if routing.matches(handoff, staff)]
    else:
        # "Everyone" and "unassigned" widen the view to what this person may read, no further.
        handoffs = [handoff for handoff in handoffs if handoff_work.may_read(staff, handoff)]
    names = {account.id: account.display_name for account in console.staff.list_accounts()}
    now = console.now()
    return [
        QueueRow(
            handoff=handoff,
            masked_address=mask_address(handoff.address),
            waited=waited(handoff.created_at, handoff.closed_at or now),
            sla_state=console.sla.state(handoff.created_at, handoff.first_response_at, handoff.closed_at or now),
            sla_elapsed=business_duration(
                console.sla.elapsed(handoff.created_at, handoff.first_response_at, handoff.closed_at or now)
            ),
            assignee_name=names.get(handoff.assignee_id) if handoff.assignee_id is not None else None,
        )
        for handoff in handoffs
    ]
