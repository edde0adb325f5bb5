"""The re-contact report (/reports/recontact): seekers whose latest screening would come out better
under the current eligibility rules, so staff can reach people an older rule told "unlikely".

Each seeker's latest finished screening made by another rules version is judged again with the
current rules, ages as on the day it was made (bot/screening/rescreen.py); which ones improved and
in what order is bot/reports/recontact.py. The page shows masked numbers (seen over shoulders);
the CLI's CSV (`python -m bot.cli recontact --csv`) has the full ones for a call list.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, render_template

from bot.local_zone import CHICAGO
from bot.reports.recontact import Improvement, RecontactEntry, improvements, recontact_list, stored_determinations
from bot.screening.parameters import rules_version
from bot.screening.rescreen import determinations_now
from bot.staff.auth import current_staff, login_required
from bot.staff.display import mask_address
from bot.staff.services import report_queries, services
from bot.store.records import ScreeningRecord
from bot.store.report_queries import ReportQueries
from bot.summary import program_name

# The day a screening was made, as the seeker lived it.
SCREENING_ZONE = CHICAGO
AUDIT_VIEWED_RECONTACT = "recontact_viewed"

recontact = Blueprint("recontact", __name__, url_prefix="/reports")


@dataclass(frozen=True)
class RecontactFindings:
    rules_version: str
    entries: list[RecontactEntry]
    # Stored answers the current rules can no longer read: counted, for staff to look at by hand.
    unreadable: int


def find_recontacts(queries: ReportQueries) -> RecontactFindings:
    current_version = rules_version()
    stored = queries.screenings_before_rules(current_version)
    now: dict[int, dict[str, str]] = {}
    unreadable = 0
    for screening, answers in stored:
        determinations = determinations_now(answers, screening_day(screening.completed_at))
        if determinations is None:
            unreadable += 1
            continue
        now[screening.screening_id] = determinations
    return RecontactFindings(current_version, recontact_list([screening for screening, _ in stored], now), unreadable)


def screening_day(completed_at: Any):
    return completed_at.astimezone(SCREENING_ZONE).date()


def change_texts(changes: tuple[Improvement, ...]) -> list[str]:
    return [f"{program_name(change.program, 'en')}: {change.before} → {change.after}" for change in changes]


def changes_under_current_rules(screening: ScreeningRecord | None) -> list[str]:
    """What a seeker's finished screening, made by older rules, would gain under the current ones
    (shown on the conversation page so the person is told); [] when there is nothing to tell."""
    if screening is None or screening.completed_at is None or screening.rules_version == rules_version():
        return []
    now = determinations_now(screening.answers, screening_day(screening.completed_at))
    if now is None:
        return []
    return change_texts(improvements(stored_determinations(screening.results), now))


@recontact.route("/recontact")
@login_required
def report() -> Any:
    findings = find_recontacts(report_queries())
    services().staff.audit(
        current_staff().id, AUDIT_VIEWED_RECONTACT, details={"seekers": len(findings.entries)}
    )
    rows = [
        {
            "seeker_id": entry.screening.seeker_id,
            "first_name": entry.screening.first_name or "",
            "channel": entry.screening.channel,
            "masked_address": mask_address(entry.screening.address),
            "language": entry.screening.language or "",
            "screened_on": screening_day(entry.screening.completed_at).isoformat(),
            "old_rules": entry.screening.rules_version or "",
            "changes": change_texts(entry.improvements),
            "told_unlikely": entry.was_told_unlikely,
            "opted_out": entry.screening.opted_out,
        }
        for entry in findings.entries
    ]
    return render_template("reports/recontact.html", findings=findings, rows=rows)
