"""WARN notices in the console (staff and admin): the list with filters, one notice's page with
our response status, and a notice entered by hand (a layoff heard of before the state posts it).

Notices are public records of employers, not of seekers; their views are audited all the same,
since they lead to the workers' roster.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from bot.staff.auth import current_staff, is_admin, login_required
from bot.staff.services import campaign_store, services, warn_store
from bot.store.models import WARN_RESPONSE_STATUSES
from bot.store.warn_store import NoticeFilter
from bot.warn.notices import CHICAGO_COOK_LWIA, WarnNotice

notices = Blueprint("notices", __name__, url_prefix="/notices")

SUBJECT_NOTICE = "warn_notice"
AUDIT_VIEWED = "viewed"
AUDIT_CREATED = "notice_created"
AUDIT_STATUS = "notice_status_changed"
ALL_AREAS = "all"
REASONS = ("Plant Closure", "Mass Layoff", "Layoff", "Relocation", "Other")
STATUS_LABELS = {"new": "New", "in_progress": "Responding", "done": "Done"}
LIST_LIMIT = 200
_TEXT_MAX = 300


@dataclass(frozen=True)
class ListQuery:
    area: str
    reason: str
    status: str
    text: str
    reported_from: str
    reported_to: str

    @classmethod
    def from_args(cls, args: MultiDict) -> "ListQuery":
        def value(name: str, default: str = "") -> str:
            return (args.get(name) or default).strip()[:_TEXT_MAX]

        return cls(value("area", CHICAGO_COOK_LWIA), value("reason"), value("status"), value("q"), value("from"), value("to"))

    def to_filter(self) -> NoticeFilter:
        """Raises ValueError for a date that is not YYYY-MM-DD or a status we do not know."""
        if self.status and self.status not in WARN_RESPONSE_STATUSES:
            raise ValueError(f"unknown response status {self.status!r}")
        return NoticeFilter(
            lwia=None if self.area in ("", ALL_AREAS) else self.area,
            reason=self.reason or None,
            response_status=self.status or None,
            text=self.text or None,
            reported_from=_day(self.reported_from, "from"),
            reported_to=_day(self.reported_to, "to"),
        )


def _day(text: str, what: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{what}' must be a date like 2026-12-05") from None


@notices.route("")
@login_required
def index() -> Any:
    query = ListQuery.from_args(request.args)
    store = warn_store()
    try:
        found = store.list_notices(query.to_filter(), limit=LIST_LIMIT)
        problem = None
    except ValueError as bad:
        found, problem = [], str(bad)
    page = render_template(
        "notices/list.html",
        notices=found,
        query=query,
        problem=problem,
        reasons=sorted(set(REASONS) | set(store.reasons())),
        areas=sorted(store.count_by_lwia(), key=lambda area: (len(area), area)),
        statuses=STATUS_LABELS,
        limit=LIST_LIMIT,
    )
    return (page, 400) if problem else page


@notices.route("/<int:notice_id>")
@login_required
def show(notice_id: int) -> Any:
    record = warn_store().get(notice_id)
    if record is None:
        abort(404)
    services().staff.audit(current_staff().id, AUDIT_VIEWED, SUBJECT_NOTICE, str(record.id))
    return render_template(
        "notices/detail.html",
        record=record,
        notice=record.notice,
        statuses=STATUS_LABELS,
        campaigns=campaign_store().for_notice(record.id),
        can_create_campaign=is_admin(current_staff()),
    )


@notices.route("/<int:notice_id>/status", methods=["POST"])
@login_required
def set_status(notice_id: int) -> Response:
    status = request.form.get("status", "")
    if status not in WARN_RESPONSE_STATUSES:
        abort(400)
    record = warn_store().get(notice_id)
    if record is None:
        abort(404)
    if record.response_status != status:
        warn_store().set_response_status(notice_id, status)
        services().staff.audit(
            current_staff().id, AUDIT_STATUS, SUBJECT_NOTICE, str(notice_id),
            {"from": record.response_status, "to": status},
        )
        flash(f"Response status: {STATUS_LABELS[status]}.", "ok")
    return redirect(url_for("notices.show", notice_id=notice_id))


@notices.route("/new", methods=["GET", "POST"])
@login_required
def create() -> Any:
    if request.method == "GET":
        return render_template("notices/form.html", values={}, problems=[], reasons=REASONS)
    values = {name: (request.form.get(name) or "").strip()[:_TEXT_MAX] for name in _FORM_FIELDS}
    notice, problems = notice_from_form(values)
    if notice is not None:
        try:
            record = warn_store().add_by_hand(notice)
        except ValueError as taken:
            problems = [str(taken)]
        else:
            services().staff.audit(current_staff().id, AUDIT_CREATED, SUBJECT_NOTICE, str(record.id))
            flash(f"Notice for {notice.employer} added.", "ok")
            return redirect(url_for("notices.show", notice_id=record.id))
    return render_template("notices/form.html", values=values, problems=problems, reasons=REASONS), 400


_FORM_FIELDS = ("employer", "dba", "address", "city", "zip_code", "reason", "industry", "expected_layoff", "reported_on", "lwia")


def notice_from_form(values: dict[str, str]) -> tuple[WarnNotice | None, list[str]]:
    """A notice from the console's form, or the problems that keep it from being one."""
    problems: list[str] = []
    if not values.get("employer"):
        problems.append("The employer's name is needed.")
    zip_code = values.get("zip_code") or None
    if zip_code and not (len(zip_code) == 5 and zip_code.isdigit()):
        problems.append("A ZIP code is 5 digits.")
    expected: int | None = None
    if values.get("expected_layoff"):
        if values["expected_layoff"].isdigit():
            expected = int(values["expected_layoff"])
        else:
            problems.append("The number of workers laid off is a whole number.")
    reported_on: date | None = None
    try:
        reported_on = _day(values.get("reported_on", ""), "heard of on")
    except ValueError as bad:
        problems.append(str(bad))
    if reported_on is None and not problems:
        problems.append("The day we heard of it is needed (it tells this layoff from another at the same place).")
    lwia = values.get("lwia") or CHICAGO_COOK_LWIA
    if not lwia.isdigit():
        problems.append("The area (LWIA) is a number.")
    if problems:
        return None, problems
    return (
        WarnNotice(
            employer=values["employer"],
            dba=values.get("dba") or None,
            address=values.get("address") or None,
            city=values.get("city") or None,
            state="IL",
            zip_code=zip_code,
            lwia=str(int(lwia)),
            reason=values.get("reason") or None,
            industry=values.get("industry") or None,
            expected_layoff=expected,
            reported_on=reported_on,
            report_source="Staff",
            is_warn_notice=False,
        ),
        [],
    )
