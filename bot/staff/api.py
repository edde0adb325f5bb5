"""The staff console's JSON API under /api/v1, for scripts and other tools: the queue, one
handoff and the actions on it, events with their counts and check-in, and the funnel report.

Authentication is a bearer token (`python -m bot.cli staff token USERNAME` prints one), looked up
by its digest (bot/staff/tokens.py). The session cookie is never used here: the blueprint is
exempt from CSRF checks, which is only safe because a browser cannot make another site's page
send our Authorization header. The OpenAPI document (bot/staff/openapi.yaml) is served, without
a token, at /api/v1/openapi.json.

Handoff actions go through bot/staff/handoff_work.py, as the pages do, so the rules and audit
entries are the same. A refusal is {"error": code, "message": sentence} with 403 (someone else's
conversation), 409 (its state or the seeker's forbids it now) or 422 (what was sent is wrong).
Seekers' texts are JSON strings; nothing here is HTML.
"""
from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from flask import Blueprint, abort, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from bot.hiring_events.model import Event, event_to_document
from bot.reports.funnel import FunnelReport
from bot.reports.period import BadPeriod, period_from_query
from bot.staff import handoff_work
from bot.staff.auth import current_staff
from bot.staff.claims import release_stale_claims
from bot.staff.display import mask_address
from bot.staff.events import AUDIT_VIEWED as AUDIT_EVENT_VIEWED, SUBJECT_EVENT, check_in_at_door
from bot.staff.handoff_work import HandoffRefused, author_of, staff_names
from bot.staff.queue import STATUS_CHOICES, TEAMS, VIEWS, QueueFilters, queue_rows
from bot.staff.reply_rules import (
    REFUSAL_MESSAGES,
    REFUSED_EMPTY,
    REFUSED_NOT_YOURS,
    REFUSED_TOO_LONG,
)
from bot.staff.reports import funnel_report
from bot.staff.services import ConsoleServices, event_catalog, registrations, report_queries, services
from bot.staff.tokens import api_token_digest
from bot.store import EventRecord, HandoffRecord, MessageRecord
from bot.store.handoff_store import NoteRecord
from bot.store.staff_store import StaffAccount
from bot.store.vocabulary import LANGUAGES

API_PREFIX = "/api/v1"
OPENAPI_FILE = Path(__file__).with_name("openapi.yaml")
# Answered without a token: the description of the API, nothing about seekers.
PUBLIC_ENDPOINTS = frozenset({"api.openapi_document"})
AUTH_SCHEME = "Bearer"
REALM = "staff-api"

ERROR_UNAUTHORIZED = "unauthorized"
ERROR_INVALID_BODY = "invalid_body"
ERROR_INVALID_FILTER = "invalid_filter"
ERROR_INVALID_PERIOD = "invalid_period"

# Refusals caused by what the client sent; the rest are the handoff's or the seeker's state.
_UNPROCESSABLE = frozenset(
    {REFUSED_EMPTY, REFUSED_TOO_LONG, handoff_work.REFUSED_INVALID_NOTE, handoff_work.REFUSED_INVALID_LABELS}
)
_FORBIDDEN = frozenset({REFUSED_NOT_YOURS})

# Check-in outcomes that are refusals, with their status; "checked_in" and "already_checked_in" are 200.
CHECK_IN_REFUSED = {"not_found": 404, "other_event": 409, "not_registered": 409}

api = Blueprint("api", __name__, url_prefix=API_PREFIX)
# Authenticated by the Authorization header, never the cookie: a CSRF token would protect nothing.
api.csrf_exempt = True  # type: ignore[attr-defined]


class ApiRefusal(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


# --- authentication and errors ----------------------------------------------------------------


@api.before_request
def authenticate() -> Response | None:
    # Whatever the session cookie says is dropped: only the token speaks for a request here.
    g.staff = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    account = token_account(request.headers.get("Authorization", ""))
    if account is None:
        return _unauthorized()
    g.staff = account
    return None


def token_account(header: str) -> StaffAccount | None:
    """The enabled account whose token the Authorization header carries, else None."""
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != AUTH_SCHEME.lower() or not token:
        return None
    account = services().staff.find_by_api_token_digest(api_token_digest(token))
    if account is None or account.disabled:
        return None
    return account


def _unauthorized() -> Response:
    response = _error(401, ERROR_UNAUTHORIZED, "Send a valid API token: Authorization: Bearer <token>.")
    # RFC 6750: a token that was sent and refused is "invalid_token"; none sent gets no error code.
    sent = bool(request.headers.get("Authorization", "").strip())
    challenge = f'{AUTH_SCHEME} realm="{REALM}"' + (', error="invalid_token"' if sent else "")
    response.headers["WWW-Authenticate"] = challenge
    return response


@api.errorhandler(ApiRefusal)
def _refusal(refusal: ApiRefusal) -> Response:
    return _error(refusal.status, refusal.code, refusal.message)


@api.errorhandler(HandoffRefused)
def _handoff_refusal(refused: HandoffRefused) -> Response:
    if refused.code in _UNPROCESSABLE:
        status = 422
    elif refused.code in _FORBIDDEN:
        status = 403
    else:
        status = 409
    return _error(status, refused.code, refused.message)


@api.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    # JSON like every other answer here, not the console's HTML error page.
    code = (error.name or "error").lower().replace(" ", "_")
    return _error(error.code or 500, code, error.description or error.name)


def _error(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    return response


# --- the document -------------------------------------------------------------------------------


@api.route("/openapi.json")
def openapi_document() -> Response:
    document = copy.deepcopy(_openapi())
    # Where this console is reachable, so "try it" tools call the right host.
    document["servers"] = [{"url": services().settings.public_url.rstrip("/")}]
    return jsonify(document)


@functools.lru_cache(maxsize=1)
def _openapi() -> dict[str, Any]:
    return yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))


# --- handoffs -----------------------------------------------------------------------------------


@api.route("/handoffs")
def list_handoffs() -> Response:
    console = services()
    release_stale_claims(console)
    filters = _queue_filters(request.args)
    names = staff_names(console)
    rows = queue_rows(console, current_staff(), filters)
    return jsonify({"handoffs": [handoff_json(console, row.handoff, names) for row in rows]})


@api.route("/handoffs/<int:handoff_id>")
def show_handoff(handoff_id: int) -> Response:
    console = services()
    staff = current_staff()
    handoff = _handoff_or_404(console, handoff_id)
    handoff_work.record_view(console, staff, handoff)
    names = staff_names(console)
    seeker = console.intake.find_seeker(handoff.channel, handoff.address)
    screening = console.intake.latest_screening(handoff.channel, handoff.address)
    blocked = handoff_work.texting_blocked(console, staff, handoff)
    return jsonify(
        {
            "handoff": {**handoff_json(console, handoff, names), "address": handoff.address, "summary": handoff.summary},
            "seeker": None if seeker is None else {"language": seeker.language, "consent_status": seeker.consent_status},
            "screening": None
            if screening is None
            else {
                "status": screening.status,
                "answers": screening.answers,
                "results": screening.results,
                "updated_at": _iso(screening.updated_at),
            },
            "transcript": [message_json(message, names) for message in console.messages.transcript(handoff.channel, handoff.address)],
            "notes": [note_json(note, names) for note in console.handoffs.notes(handoff.id)],
            "reply_blocked": None if blocked is None else {"error": blocked, "message": REFUSAL_MESSAGES[blocked]},
        }
    )


@api.route("/handoffs/<int:handoff_id>/claim", methods=["POST"])
def claim_handoff(handoff_id: int) -> Response:
    console = services()
    claimed = handoff_work.claim(console, current_staff(), _handoff_or_404(console, handoff_id))
    return jsonify({"handoff": handoff_json(console, claimed, staff_names(console))})


@api.route("/handoffs/<int:handoff_id>/release", methods=["POST"])
def release_handoff(handoff_id: int) -> Response:
    console = services()
    released = handoff_work.release(console, current_staff(), _handoff_or_404(console, handoff_id))
    return jsonify({"handoff": handoff_json(console, released, staff_names(console))})


@api.route("/handoffs/<int:handoff_id>/reply", methods=["POST"])
def reply_to_handoff(handoff_id: int) -> tuple[Response, int]:
    console = services()
    handoff = _handoff_or_404(console, handoff_id)
    text = _text_field(_json_body(), "text")
    outcome = handoff_work.reply(console, current_staff(), handoff, text)
    names = staff_names(console)
    return jsonify({"handoff": handoff_json(console, outcome.handoff, names), "message": message_json(outcome.message, names)}), 201


@api.route("/handoffs/<int:handoff_id>/notes", methods=["POST"])
def add_handoff_note(handoff_id: int) -> tuple[Response, int]:
    console = services()
    handoff = _handoff_or_404(console, handoff_id)
    note = handoff_work.add_note(console, current_staff(), handoff, _text_field(_json_body(), "text"))
    return jsonify({"note": note_json(note, staff_names(console))}), 201


@api.route("/handoffs/<int:handoff_id>/labels", methods=["POST"])
def set_handoff_labels(handoff_id: int) -> Response:
    console = services()
    handoff = _handoff_or_404(console, handoff_id)
    labels = _json_body().get("labels")
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise ApiRefusal(422, ERROR_INVALID_BODY, '"labels" must be a list of strings (an empty list removes them all).')
    updated = handoff_work.set_labels(console, current_staff(), handoff, labels)
    return jsonify({"handoff": handoff_json(console, updated, staff_names(console))})


@api.route("/handoffs/<int:handoff_id>/close", methods=["POST"])
def close_handoff(handoff_id: int) -> Response:
    console = services()
    outcome = handoff_work.close(console, current_staff(), _handoff_or_404(console, handoff_id))
    return jsonify({"handoff": handoff_json(console, outcome.handoff, staff_names(console)), "seeker_told": outcome.seeker_told})


# --- events -------------------------------------------------------------------------------------


@api.route("/events")
def list_events() -> Response:
    overview = report_queries().event_overview()
    return jsonify({"events": [{**event_json(item.record.event), "counts": item.counts} for item in overview]})


@api.route("/events/<code>")
def show_event(code: str) -> Response:
    record = _event_or_404(code)
    counts = registrations().counts(record.code) or {}
    services().staff.audit(current_staff().id, AUDIT_EVENT_VIEWED, SUBJECT_EVENT, record.code)
    return jsonify({"event": {**event_json(record.event), "counts": counts}})


@api.route("/events/<code>/check-in", methods=["POST"])
def check_in(code: str) -> Response:
    """At the door, by confirmation code; the same outcomes, words and audit entry as the page."""
    record = _event_or_404(code)
    result = check_in_at_door(record, _text_field(_json_body(), "confirmation_code"))
    if result.kind in CHECK_IN_REFUSED:
        raise ApiRefusal(CHECK_IN_REFUSED[result.kind], result.kind, result.message)
    registration = result.registration
    return jsonify(
        {
            "outcome": result.kind,
            "message": result.message,
            "registration": {
                "id": registration.id,
                "confirmation_code": registration.confirmation_code,
                "status": registration.status,
                "attended": registration.attended,
                "first_name": result.first_name,
            },
        }
    )


# --- reports ------------------------------------------------------------------------------------


@api.route("/reports/funnel")
def funnel() -> Response:
    console = services()
    zone = console.settings.business_calendar.zone
    today = console.now().astimezone(ZoneInfo(zone)).date()
    try:
        period = period_from_query(request.args.get("from"), request.args.get("to"), today, zone=zone)
    except BadPeriod as bad:
        raise ApiRefusal(422, ERROR_INVALID_PERIOD, str(bad)) from None
    return jsonify(funnel_json(funnel_report(period)))


# --- JSON shapes (described in openapi.yaml's components) -----------------------------------------


def handoff_json(console: ConsoleServices, handoff: HandoffRecord, names: Mapping[int, str]) -> dict[str, Any]:
    sla_stop = handoff.closed_at or console.now()
    return {
        "id": handoff.id,
        "status": handoff.status,
        "channel": handoff.channel,
        # The full number only where one handoff is asked for, as on the pages.
        "masked_address": mask_address(handoff.address),
        "language": handoff.language,
        "reason": handoff.reason,
        "priority": handoff.priority,
        "team": handoff.team,
        "sectors": list(handoff.sectors),
        "labels": list(handoff.labels),
        "assignee": _staff_ref(handoff.assignee_id, names),
        "created_at": _iso(handoff.created_at),
        "assigned_at": _iso(handoff.assigned_at),
        "first_response_at": _iso(handoff.first_response_at),
        "closed_at": _iso(handoff.closed_at),
        "closed_by": _staff_ref(handoff.closed_by, names),
        "last_inbound_at": _iso(handoff.last_inbound_at),
        "sla": {
            "state": console.sla.state(handoff.created_at, handoff.first_response_at, sla_stop),
            "elapsed_seconds": int(console.sla.elapsed(handoff.created_at, handoff.first_response_at, sla_stop).total_seconds()),
            "target_seconds": int(console.settings.sla_target.total_seconds()),
        },
    }


def message_json(message: MessageRecord, names: Mapping[int, str]) -> dict[str, Any]:
    return {
        "id": message.id,
        "direction": message.direction,
        "author": author_of(message, names),
        "kind": message.kind,
        "text": message.text,
        "status": message.status,
        "language": message.language,
        "at": _iso(message.created_at),
    }


def note_json(note: NoteRecord, names: Mapping[int, str]) -> dict[str, Any]:
    return {
        "id": note.id,
        "author": _staff_ref(note.staff_id, names),
        "text": note.text,
        "created_at": _iso(note.created_at),
    }


def event_json(event: Event) -> dict[str, Any]:
    document = event_to_document(event)
    return {
        "code": event.code,
        "name": document["name"],
        "sectors": list(event.sectors),
        "starts_at": _iso(event.starts_at),
        "ends_at": _iso(event.ends_at),
        "venue": event.venue,
        "address": event.address,
        "capacity": event.capacity,
        "registration_opens_at": _iso(event.registration_opens_at),
        "registration_closes_at": _iso(event.registration_closes_at),
    }


def funnel_json(report: FunnelReport) -> dict[str, Any]:
    median = report.first_response.median
    return {
        "period": {"from": report.period.first_day.isoformat(), "to": report.period.last_day.isoformat(), "zone": report.period.zone},
        "stages": [
            {"key": stage.key, "label": stage.label, "count": stage.count, "share_of_started": report.share_of_started(stage.count)}
            for stage in report.stages
        ],
        "likely_eligible": [{"key": count.key, "label": count.label, "count": count.count} for count in report.likely_eligible],
        "first_response": {
            "median_business_seconds": None if median is None else int(median.total_seconds()),
            "answered": report.first_response.answered,
            "unanswered": report.first_response.unanswered,
        },
    }


# --- helpers ------------------------------------------------------------------------------------


def _queue_filters(args: Mapping[str, str]) -> QueueFilters:
    """The queue page's filters, but an unknown value is an error: a script's typo should not
    quietly list everything."""
    allowed = {"view": VIEWS, "status": tuple(STATUS_CHOICES), "team": TEAMS, "language": LANGUAGES}
    for name, choices in allowed.items():
        value = args.get(name)
        if value is not None and value != "" and value not in choices:
            raise ApiRefusal(422, ERROR_INVALID_FILTER, f"{name} must be one of: {', '.join(choices)}.")
    return QueueFilters.from_args(args)


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiRefusal(422, ERROR_INVALID_BODY, "Send a JSON object, with Content-Type: application/json.")
    return body


def _text_field(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise ApiRefusal(422, ERROR_INVALID_BODY, f'"{name}" must be a string.')
    return value


def _handoff_or_404(console: ConsoleServices, handoff_id: int) -> HandoffRecord:
    handoff = handoff_work.readable_handoff(console, current_staff(), handoff_id)
    if handoff is None:
        abort(404, description=f"There is no handoff {handoff_id}.")
    return handoff


def _event_or_404(code: str) -> EventRecord:
    record = event_catalog().get_event(code)
    if record is None:
        abort(404, description="There is no event with this code.")
    return record


def _staff_ref(staff_id: int | None, names: Mapping[int, str]) -> dict[str, Any] | None:
    if staff_id is None:
        return None
    return {"id": staff_id, "name": names.get(staff_id, handoff_work.FORMER_STAFF)}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None

