"""The funnel report: a page with bar charts drawn on the server (and the same numbers in
tables), and the same report as CSV. `?from=2026-11-01&to=2026-11-30`; the last 30 days when not
given. What each stage counts is written in bot/reports/funnel.py.
"""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from bot.reports.chart import Bar, bar_chart_svg
from bot.reports.csv_files import csv_text, funnel_rows
from bot.reports.funnel import FunnelReport, HandoffTiming, build_funnel, duration_text, response_times
from bot.reports.period import BadPeriod, ReportPeriod, period_from_query
from bot.screening.results import PROGRAMS
from bot.staff.auth import login_required
from bot.staff.services import campaign_store, report_queries, services
from bot.store.campaign_store import CampaignRecord
from bot.summary import program_name

reports = Blueprint("reports", __name__, url_prefix="/reports")


@reports.route("")
@login_required
def index() -> Response:
    return redirect(url_for("reports.funnel"))


@reports.route("/funnel")
@login_required
def funnel() -> Any:
    try:
        period = _period()
    except BadPeriod as bad:
        page = render_template(
            "reports/funnel.html",
            report=None,
            problem=str(bad),
            first=request.args.get("from", ""),
            last=request.args.get("to", ""),
        )
        return page, 400
    campaign = _campaign()
    report = funnel_report(period, campaign.id if campaign else None)
    return render_template(
        "reports/funnel.html",
        report=report,
        problem=None,
        campaign=campaign,
        first=period.first_day.isoformat(),
        last=period.last_day.isoformat(),
        stages_chart=Markup(
            bar_chart_svg(
                [Bar(stage.label, stage.count) for stage in report.stages],
                title=f"Funnel, {period.first_day} to {period.last_day}",
                chart_id="funnel-chart",
            )
        ),
        programs_chart=Markup(
            bar_chart_svg(
                [Bar(program.label, program.count) for program in report.likely_eligible],
                title="Likely eligible, per program",
                chart_id="programs-chart",
            )
        ),
        median_text=duration_text(report.first_response.median),
    )


@reports.route("/funnel.csv")
@login_required
def funnel_csv() -> Any:
    try:
        period = _period()
    except BadPeriod as bad:
        return Response(f"{bad}\n", status=400, mimetype="text/plain")
    campaign = _campaign()
    report = funnel_report(period, campaign.id if campaign else None)
    name = f"funnel-{period.first_day}-to-{period.last_day}{f'-campaign-{campaign.id}' if campaign else ''}.csv"
    return Response(
        csv_text(funnel_rows(report)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def funnel_report(period: ReportPeriod, campaign_id: int | None = None) -> FunnelReport:
    console = services()
    journeys = report_queries().seeker_journeys(period.start, period.end, campaign_id)
    handoffs = console.handoffs.between(period.start, period.end)
    timing = response_times(
        (HandoffTiming(handoff.created_at, handoff.first_response_at) for handoff in handoffs),
        console.settings.business_calendar,
    )
    programs = [(program, program_name(program, "en")) for program in PROGRAMS]
    return build_funnel(period, journeys, programs, timing)


def _campaign() -> CampaignRecord | None:
    """The outreach campaign the report is narrowed to (`?campaign=ID`), if any; 404 if unknown."""
    wanted = request.args.get("campaign", "")
    if not wanted:
        return None
    found = campaign_store().get(int(wanted)) if wanted.isdigit() else None
    if found is None:
        abort(404)
    return found


def _period() -> ReportPeriod:
    console = services()
    zone = console.settings.business_calendar.zone
    today = console.now().astimezone(ZoneInfo(zone)).date()
    return period_from_query(request.args.get("from"), request.args.get("to"), today, zone=zone)
