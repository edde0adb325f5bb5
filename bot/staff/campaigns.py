"""Outreach campaigns from a WARN notice, in the console.

Admins create a campaign (name, first text in English and Spanish with a live segment count,
rapid-response sessions chosen among upcoming events, the roster as a CSV file), start, pause
and resume its sending. Staff see campaigns and their progress, which updates live. Uploads and
every change of sending are in the audit log (counts and ids, never numbers or names).
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from bot.staff.auth import admin_required, current_staff, is_admin, login_required
from bot.reports.campaign import campaign_rows, campaign_stages
from bot.reports.chart import Bar, bar_chart_svg
from bot.reports.csv_files import csv_text
from bot.staff.services import campaign_store, event_catalog, report_queries, services, warn_store
from bot.store.campaign_store import CampaignRefused
from bot.warn.campaign import message_problems, preview
from bot.warn.roster import read_roster

campaigns = Blueprint("campaigns", __name__)
# A roster of a few thousand workers is a few hundred kilobytes; the console's own limit is 64 KB
# (bot/staff/app.py reads this before anything reads the body).
campaigns.max_content_length = 2 * 1024 * 1024  # type: ignore[attr-defined]

SUBJECT_CAMPAIGN = "campaign"
AUDIT_CREATED = "campaign_created"
AUDIT_ROSTER = "campaign_roster_uploaded"
AUDIT_VIEWED = "viewed"
ACTIONS = {"start": "sending", "pause": "paused", "resume": "sending"}
AUDIT_ACTIONS = {"start": "campaign_started", "pause": "campaign_paused", "resume": "campaign_resumed"}
PREVIEW_MAX_CHARACTERS = 2000


@campaigns.route("/notices/<int:notice_id>/campaigns/new", methods=["GET", "POST"])
@admin_required
def create(notice_id: int) -> Any:
    notice = warn_store().get(notice_id)
    if notice is None:
        abort(404)
    upcoming = event_catalog().list_upcoming(services().now())
    if request.method == "GET":
        return render_template("campaigns/form.html", notice=notice, upcoming=upcoming, values={}, problems=[], chosen=())
    values = {name: (request.form.get(name) or "").strip() for name in ("name", "message_en", "message_es")}
    chosen = tuple(code for code in request.form.getlist("events") if any(record.code == code for record in upcoming))
    problems = message_problems(values["message_en"], "en") + message_problems(values["message_es"], "es")
    if not values["name"]:
        problems.insert(0, "The campaign needs a name.")
    upload = request.files.get("roster")
    roster = None
    if upload is None or not upload.filename:
        problems.append("Choose the roster file (CSV with name, phone and preferred language).")
    else:
        try:
            roster = read_roster(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            problems.append("The roster is not a UTF-8 CSV file (save it from the spreadsheet as CSV UTF-8).")
        else:
            if not roster.members:
                problems.append("The roster holds nobody who can be texted.")
                problems.extend(f"Line {row.line}: {row.why}" for row in roster.bad_rows[:20])
    if problems or roster is None:
        page = render_template(
            "campaigns/form.html", notice=notice, upcoming=upcoming, values=values, problems=problems, chosen=chosen
        )
        return page, 400
    store = campaign_store()
    account = current_staff()
    campaign = store.create(notice.id, values["name"], values["message_en"], values["message_es"], chosen, account.id)
    counts = store.add_roster(campaign.id, roster.members)
    audit = services().staff.audit
    audit(account.id, AUDIT_CREATED, SUBJECT_CAMPAIGN, str(campaign.id), {"notice_id": notice.id, "events": list(chosen)})
    audit(
        account.id, AUDIT_ROSTER, SUBJECT_CAMPAIGN, str(campaign.id),
        {"added": counts.added, "opted_out": counts.opted_out, "merged": len(roster.merged), "bad_rows": len(roster.bad_rows)},
    )
    flash(
        f"Campaign created with {counts.added} people ({counts.opted_out} opted out before: never texted; "
        f"{len(roster.merged)} repeated numbers merged; {len(roster.bad_rows)} rows not usable).",
        "ok",
    )
    for row in roster.bad_rows[:50]:
        flash(f"Roster line {row.line}: {row.why}", "error")
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))


@campaigns.route("/campaigns/preview")
@login_required
def text_preview() -> Response:
    """What a campaign message costs and looks like on a phone, for the form's live count."""
    language = request.args.get("language", "en")
    if language not in ("en", "es"):
        abort(400)
    message = (request.args.get("message") or "")[:PREVIEW_MAX_CHARACTERS]
    shown = preview(message, language)
    return jsonify(
        text=shown.text, segments=shown.segments, encoding=shown.encoding, problems=message_problems(message, language)
    )


@campaigns.route("/campaigns/<int:campaign_id>")
@login_required
def show(campaign_id: int) -> Any:
    store = campaign_store()
    campaign = store.get(campaign_id)
    if campaign is None:
        abort(404)
    services().staff.audit(current_staff().id, AUDIT_VIEWED, SUBJECT_CAMPAIGN, str(campaign.id))
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        notice=warn_store().get(campaign.notice_id),
        progress=store.progress(campaign.id).as_dict(),
        previews={language: preview(getattr(campaign, f"message_{language}"), language) for language in ("en", "es")},
        can_send=is_admin(current_staff()),
    )


@campaigns.route("/campaigns/<int:campaign_id>/progress")
@login_required
def progress(campaign_id: int) -> Response:
    store = campaign_store()
    campaign = store.get(campaign_id)
    if campaign is None:
        abort(404)
    return jsonify(status=campaign.status, progress=store.progress(campaign.id).as_dict())


@campaigns.route("/campaigns/<int:campaign_id>/sending", methods=["POST"])
@admin_required
def change_sending(campaign_id: int) -> Response:
    action = request.form.get("action", "")
    if action not in ACTIONS:
        abort(400)
    try:
        campaign = campaign_store().set_status(campaign_id, ACTIONS[action])
    except CampaignRefused as refused:
        if str(refused) == "no such campaign":
            abort(404)
        flash(f"Not done: {refused}.", "error")
        return redirect(url_for("campaigns.show", campaign_id=campaign_id))
    services().staff.audit(current_staff().id, AUDIT_ACTIONS[action], SUBJECT_CAMPAIGN, str(campaign.id))
    flash(
        {"start": "Sending started.", "pause": "Sending paused.", "resume": "Sending resumed."}[action]
        + (" Texts wait for the morning during quiet hours." if action != "pause" else ""),
        "ok",
    )
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))


@campaigns.route("/campaigns/<int:campaign_id>/report")
@login_required
def report(campaign_id: int) -> Any:
    campaign = campaign_store().get(campaign_id)
    if campaign is None:
        abort(404)
    stages = campaign_stages(report_queries().campaign_journeys(campaign.id))
    chart = bar_chart_svg(
        [Bar(stage.label, stage.count) for stage in stages], title=f"Campaign: {campaign.name}", chart_id="campaign-chart"
    )
    return render_template("campaigns/report.html", campaign=campaign, stages=stages, chart=Markup(chart))


@campaigns.route("/campaigns/<int:campaign_id>/report.csv")
@login_required
def report_csv(campaign_id: int) -> Response:
    campaign = campaign_store().get(campaign_id)
    if campaign is None:
        abort(404)
    stages = campaign_stages(report_queries().campaign_journeys(campaign.id))
    return Response(
        csv_text(campaign_rows(campaign.id, campaign.name, stages)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="campaign-{campaign.id}.csv"'},
    )
