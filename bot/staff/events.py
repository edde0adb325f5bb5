"""The events pages: the list, creating and editing an event, one event's registrants, check-in
at the door, the CSV export for employers and a text to the people registered.

Every page needs a signed-in staff member (not an admin: staff run events). Every change, and
every view or export of a registrant list, goes to the audit log with ids, counts and field names
only, never a name or a number.

Broadcasts and quiet hours: a broadcast asked for during quiet hours is refused, and the page
says when it can be sent. It is not queued for the morning: a text waiting in the queue for its
time would hold back every other text to that person (the outbound sender sends each person's
texts in order), the assistant's answers included if they write in before then.
"""
from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from bot.answers import SECTOR_VALUES
from bot.hiring_events.model import EVENT_ZONE, Event, InvalidEvent, localized, normalize_event_code
from bot.reports.csv_files import csv_text
from bot.reports.registrants import (
    DEFAULT_EXPORT_FIELDS,
    Registrant,
    answer_text,
    chosen_fields,
    export_fields,
    export_rows,
    search_registrants,
)
from bot.staff.auth import admin_required, current_staff, login_required
from bot.staff.broadcast import BroadcastPlan, broadcast_problem, plan_broadcast
from bot.staff.display import local_moment
from bot.staff.event_form import EventForm, changed_fields
from bot.staff.reply_rules import MAX_REPLY_LENGTH
from bot.staff.services import event_catalog, registrations, report_queries, services
from bot.store import EventRecord, RegistrationRecord
from bot.store.staff_store import AuditRecord
from bot.store.vocabulary import (
    CONSENT_OPTED_OUT,
    REGISTRATION_ACTIVE,
    REGISTRATION_HOLDS_SEAT,
    REGISTRATION_REGISTERED,
    REGISTRATION_WAITLISTED,
)
from bot.summary import program_name

events = Blueprint("events", __name__, url_prefix="/events")

SUBJECT_EVENT = "event"
AUDIT_VIEWED = "viewed"
AUDIT_CREATED = "event_created"
AUDIT_UPDATED = "event_updated"
AUDIT_CHECKED_IN = "checked_in"
AUDIT_EXPORTED = "registrants_exported"
AUDIT_BROADCAST = "broadcast"
AUDIT_BROADCAST_REPEAT = "broadcast_repeat_ignored"

# Who a broadcast or an export is for.
AUDIENCE_REGISTERED = "registered"
AUDIENCE_WITH_WAITLIST = "registered_and_waitlist"
AUDIENCES = {
    AUDIENCE_REGISTERED: (REGISTRATION_REGISTERED,),
    # Offered a freed seat and not answered yet: still on the way in from the waitlist.
    AUDIENCE_WITH_WAITLIST: REGISTRATION_ACTIVE,
}
AUDIENCE_LABELS = {
    AUDIENCE_REGISTERED: "People registered",
    AUDIENCE_WITH_WAITLIST: "People registered and on the waitlist",
}
# The audit entries a repeated broadcast form is looked for in: a double click arrives at once.
BROADCAST_REPEAT_LOOKBACK = 50

CHECK_IN_MESSAGES = {
    "checked_in": "{name} is checked in.",
    "already_checked_in": "{name} was already checked in.",
    "not_registered": "{name} is {status}, not registered: they cannot be checked in.",
    "not_found": "No registration has the code {code}. Check the code, or search by name or phone.",
    "other_event": "The code {code} is for another event ({other}), not this one.",
}

# --- pages -----------------------------------------------------------------------------------


@events.route("")
@login_required
def index() -> Any:
    now = services().now()
    overview = report_queries().event_overview()
    upcoming = [item for item in overview if item.record.event.ends_at > now]
    past = sorted(
        (item for item in overview if item.record.event.ends_at <= now),
        key=lambda item: item.record.event.starts_at,
        reverse=True,
    )
    return render_template("events/list.html", upcoming=upcoming, past=past)


@events.route("/new", methods=["GET", "POST"])
@login_required
def create() -> Any:
    if request.method == "GET":
        return render_template("events/form.html", form=EventForm.blank(), editing=None, **_form_choices())
    form = EventForm.from_request(request.form)
    try:
        event = form.to_event()
    except InvalidEvent as invalid:
        return _refused_form(form, None, invalid.problems)
    catalog = event_catalog()
    if catalog.get_event(event.code) is not None:
        return _refused_form(form, None, [f"An event with the code {event.code} already exists: pick another code, or edit that event."])
    catalog.upsert_event(event, services().now())
    services().staff.audit(current_staff().id, AUDIT_CREATED, SUBJECT_EVENT, event.code)
    flash(f"Event {event.code} created.", "ok")
    return redirect(url_for("events.show", code=event.code))


@events.route("/<code>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str) -> Any:
    record = _event_or_404(code)
    if request.method == "GET":
        return render_template("events/form.html", form=EventForm.from_event(record.event), editing=record, **_form_choices())
    form = EventForm.from_request(request.form)
    try:
        event = form.to_event(code=record.code)
    except InvalidEvent as invalid:
        return _refused_form(form, record, invalid.problems)
    changes = changed_fields(record.event, event)
    if not changes:
        flash("Nothing was changed.", "ok")
        return redirect(url_for("events.show", code=record.code))
    event_catalog().upsert_event(event, services().now())
    services().staff.audit(current_staff().id, AUDIT_UPDATED, SUBJECT_EVENT, record.code, {"fields": changes})
    flash(f"Event {record.code} saved ({', '.join(changes)} changed).", "ok")
    counts = registrations().counts(record.code) or {}
    held = sum(counts.get(status, 0) for status in REGISTRATION_HOLDS_SEAT)
    if held > event.capacity:
        flash(
            f"{held} people already hold a seat, more than the new capacity of {event.capacity}. "
            "Nobody loses their seat; no one new gets one until enough cancel.",
            "error",
        )
    elif "capacity" in changes and counts.get(REGISTRATION_WAITLISTED):
        flash("People on the waitlist are offered the new seats within a minute, in waitlist order.", "ok")
    return redirect(url_for("events.show", code=record.code))


@events.route("/<code>")
@login_required
def show(code: str) -> Any:
    record = _event_or_404(code)
    registrants = report_queries().registrants(record.code)
    services().staff.audit(current_staff().id, AUDIT_VIEWED, SUBJECT_EVENT, record.code, {"registrants": len(registrants)})
    return render_template(
        "events/detail.html",
        record=record,
        counts=registrations().counts(record.code) or {},
        registrants=[_registrant_view(record.event, person) for person in registrants],
    )


@events.route("/<code>/check-in", methods=["GET", "POST"])
@login_required
def check_in(code: str) -> Any:
    record = _event_or_404(code)
    query = request.values.get("q", "").strip()
    if request.method == "POST":
        message, category = _check_in(record, request.form.get("confirmation_code", ""))
        flash(message, category)
        return redirect(url_for("events.check_in", code=record.code, q=query or None))
    found = search_registrants(report_queries().registrants(record.code), query) if query else []
    if query:
        services().staff.audit(current_staff().id, AUDIT_VIEWED, SUBJECT_EVENT, record.code, {"search_results": len(found)})
    return render_template(
        "events/check_in.html",
        record=record,
        query=query,
        found=[_registrant_view(record.event, person) for person in found],
    )


# Exports (with phone numbers, if ticked) and texts to every registrant reach many people at once:
# admins only, like account management.
@events.route("/<code>/export", methods=["GET", "POST"])
@admin_required
def export(code: str) -> Any:
    record = _event_or_404(code)
    if request.method == "GET":
        return render_template(
            "events/export.html",
            record=record,
            fields=export_fields(record.event),
            ticked=set(DEFAULT_EXPORT_FIELDS),
            audiences=AUDIENCE_LABELS,
        )
    audience = _audience(request.form.get("audience"))
    columns = chosen_fields(record.event, request.form.getlist("fields"))
    if not columns:
        flash("Tick at least one field to export.", "error")
        return redirect(url_for("events.export", code=record.code))
    # People who opted out are left out of what goes to an employer, whatever the audience.
    people = [
        person
        for person in _audience_members(report_queries().registrants(record.code), audience)
        if person.consent_status != CONSENT_OPTED_OUT
    ]
    rows = export_rows(record.event, people, columns)
    services().staff.audit(
        current_staff().id,
        AUDIT_EXPORTED,
        SUBJECT_EVENT,
        record.code,
        {"fields": [column.key for column in columns], "audience": audience, "rows": len(people)},
    )
    day = services().now().astimezone(EVENT_ZONE).date().isoformat()
    return Response(
        # A byte-order mark, so spreadsheet programs read the accents in names right.
        "\ufeff" + csv_text(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{record.code}-registrants-{day}.csv"'},
    )


@events.route("/<code>/broadcast", methods=["GET", "POST"])
@admin_required
def broadcast(code: str) -> Any:
    record = _event_or_404(code)
    people = report_queries().registrants(record.code, active_only=True)
    if request.method == "GET":
        return _broadcast_page(record, people, {"audience": AUDIENCE_REGISTERED, "text_en": "", "text_es": ""}, None)
    form = {name: request.form.get(name, "") for name in ("audience", "text_en", "text_es", "form_token")}
    form["audience"] = _audience(form["audience"])
    problem = broadcast_problem(form["text_en"], form["text_es"]) or _quiet_hours_problem()
    if problem is not None:
        return _broadcast_page(record, people, form, problem), 409
    plan = plan_broadcast(_audience_members(people, form["audience"]), form["text_en"], form["text_es"])
    if not _first_to_send(record.code, form["form_token"], form["audience"], plan):
        flash("This broadcast was already sent (the form was sent twice); nothing more was queued.", "error")
        return redirect(url_for("events.show", code=record.code))
    for message in plan.messages:
        services().messages.enqueue(
            message.registrant.channel,
            message.registrant.address,
            message.text,
            language=message.language,
            details={"broadcast_event": record.code, "staff_id": current_staff().id},
        )
    skipped = f"; {plan.opted_out} skipped because they opted out" if plan.opted_out else ""
    flash(f"Queued {len(plan.messages)} texts{skipped}.", "ok")
    return redirect(url_for("events.show", code=record.code))


# --- helpers ---------------------------------------------------------------------------------


def _event_or_404(code: str) -> EventRecord:
    record = event_catalog().get_event(code)
    if record is None:
        abort(404, description=f"There is no event with the code {normalize_event_code(code)}.")
    return record


def _form_choices() -> dict[str, Any]:
    return {"sector_choices": SECTOR_VALUES}


def _refused_form(form: EventForm, editing: EventRecord | None, problems: Sequence[str]) -> tuple[str, int]:
    page = render_template("events/form.html", form=form, editing=editing, problems=list(problems), **_form_choices())
    return page, 422


def _audience(value: str | None) -> str:
    return value if value in AUDIENCES else AUDIENCE_REGISTERED


def _audience_members(people: Sequence[Registrant], audience: str) -> list[Registrant]:
    return [person for person in people if person.status in AUDIENCES[audience]]


@dataclass(frozen=True)
class DoorCheckIn:
    """The result of checking someone in at the door, for the page and the API alike."""

    kind: str  # not_found | other_event | a RegistrationStore CheckInOutcome kind
    message: str
    registration: RegistrationRecord | None = None
    first_name: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.kind in ("checked_in", "already_checked_in")


def check_in_at_door(record: EventRecord, typed_code: str) -> DoorCheckIn:
    """Checks in the registrant whose confirmation code staff typed, if it is this event's;
    audits a check-in. Used by the page and by the JSON API."""
    store = registrations()
    code = typed_code.strip().upper()
    found = store.find_by_code(typed_code)
    if found is None:
        return DoorCheckIn("not_found", CHECK_IN_MESSAGES["not_found"].format(code=code or "(none)"))
    if found.event.code != record.code:
        return DoorCheckIn("other_event", CHECK_IN_MESSAGES["other_event"].format(code=code, other=found.event.code))
    outcome = store.check_in(found.registration.confirmation_code)
    registration = outcome.registration or found.registration
    person = report_queries().registrant(registration.id)
    first_name = person.first_name if person is not None and person.first_name else None
    name = f"{first_name or 'The person'} ({registration.confirmation_code})"
    if outcome.kind == "checked_in":
        services().staff.audit(
            current_staff().id, AUDIT_CHECKED_IN, SUBJECT_EVENT, record.code, {"registration_id": registration.id}
        )
    message = CHECK_IN_MESSAGES[outcome.kind].format(name=name, status=registration.status, code=code)
    return DoorCheckIn(outcome.kind, message, registration, first_name)


def _check_in(record: EventRecord, typed_code: str) -> tuple[str, str]:
    """What to tell staff after a check-in attempt, and the flash category."""
    result = check_in_at_door(record, typed_code)
    return result.message, "ok" if result.succeeded else "error"


def _first_to_send(code: str, form_token: str, audience: str, plan: BroadcastPlan) -> bool:
    """Records the broadcast in the audit log before anything is queued, and tells whether this
    request is the first with this form's token: a double click sends two identical requests at
    once, and only the one recorded first may send. A request that may not send says so in a
    second entry (the log is append-only)."""
    staff_id = current_staff().id
    attempt = secrets.token_hex(8)
    details = {
        "audience": audience,
        "recipients": len(plan.messages),
        "skipped_opted_out": plan.opted_out,
        "form_token": form_token or attempt,
        "attempt": attempt,
    }
    console = services()
    console.staff.audit(staff_id, AUDIT_BROADCAST, SUBJECT_EVENT, code, details)
    same_form = [
        entry
        for entry in console.staff.audit_entries(BROADCAST_REPEAT_LOOKBACK, SUBJECT_EVENT, code, staff_id)
        if entry.action == AUDIT_BROADCAST and (entry.details or {}).get("form_token") == details["form_token"]
    ]
    first: AuditRecord = min(same_form, key=lambda entry: entry.id)
    if (first.details or {}).get("attempt") == attempt:
        return True
    # The entry above says what this request would have sent; this one says it did not.
    console.staff.audit(staff_id, AUDIT_BROADCAST_REPEAT, SUBJECT_EVENT, code, {"attempt": attempt})
    return False


def _quiet_hours_problem() -> str | None:
    console = services()
    quiet_hours = console.settings.quiet_hours
    now = console.now()
    if quiet_hours is None or not quiet_hours.is_quiet(now):
        return None
    opens = quiet_hours.next_send_time(now)
    when = local_moment(opens, quiet_hours.zone, now)
    return f"It is quiet hours ({quiet_hours}): nothing was sent. Texts to registrants can be sent from {when}."


def _broadcast_page(record: EventRecord, people: Sequence[Registrant], form: Mapping[str, str], problem: str | None) -> str:
    audiences = {
        audience: {
            "label": label,
            "people": len(members := _audience_members(people, audience)),
            "opted_out": sum(person.consent_status == CONSENT_OPTED_OUT for person in members),
        }
        for audience, label in AUDIENCE_LABELS.items()
    }
    return render_template(
        "events/broadcast.html",
        record=record,
        form=form,
        form_token=form.get("form_token") or secrets.token_urlsafe(16),
        audiences=audiences,
        problem=problem,
        quiet_now=_quiet_hours_problem(),
        max_length=MAX_REPLY_LENGTH,
    )


@dataclass(frozen=True)
class RegistrantView:
    """One registrant as the pages show them; the template masks the address."""

    person: Registrant
    programs: tuple[str, ...]
    answers: tuple[tuple[str, str], ...]
    may_check_in: bool


def _registrant_view(event: Event, person: Registrant) -> RegistrantView:
    return RegistrantView(
        person=person,
        programs=tuple(program_name(program, "en") for program in person.likely_programs),
        answers=tuple(
            (localized(question.prompt, "en"), answer_text(event, question.key, person.answers.get(question.key)))
            for question in event.questions
            if person.answers.get(question.key) is not None
        ),
        may_check_in=person.status == REGISTRATION_REGISTERED and not person.attended,
    )


def _event_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(EVENT_ZONE)
    clock = local.strftime("%I:%M %p").lstrip("0").lower()
    return f"{local:%a %b} {local.day}, {local.year}, {clock}"


events.add_app_template_filter(_event_time, "event_time")
