"""The conversation page of one handoff: transcript, screening summary, and the staff actions
(claim, release, reply, notes, labels, close).

Every action is a POST with the CSRF token that redirects back (or re-renders the page with the
draft kept, when a reply is refused). `/handoffs/<id>/messages?after=<message id>` gives the
messages newer than one the page already shows, as JSON; static/conversation.js polls it every
two seconds. What each action may do, and its audit entry, is in bot/staff/handoff_work.py,
shared with the JSON API; these views only read the form and say how it went.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from bot.staff import handoff_work
from bot.staff.auth import current_staff, login_required
from bot.screening.parameters import rules_version
from bot.staff.canned import canned_replies
from bot.staff.display import business_duration, local_moment
from bot.staff.handoff_work import FORMER_STAFF, HandoffRefused, author_of, staff_names
from bot.staff.recontact import changes_under_current_rules
from bot.staff.reply_rules import REFUSAL_MESSAGES
from bot.staff.services import ConsoleServices, services
from bot.store import HandoffRecord, StaffAccount

conversation = Blueprint("conversation", __name__)

# How many of the latest messages one poll looks through for new ones.
POLL_WINDOW = 200


@conversation.route("/handoffs/<int:handoff_id>")
@login_required
def show(handoff_id: int) -> Any:
    console = services()
    handoff = _handoff_or_404(console, handoff_id)
    handoff_work.record_view(console, current_staff(), handoff)
    return _page(console, handoff)


@conversation.route("/handoffs/<int:handoff_id>/messages")
@login_required
def new_messages(handoff_id: int) -> Any:
    console = services()
    handoff = _handoff_or_404(console, handoff_id)
    after = request.args.get("after", default=0, type=int)
    names = staff_names(console)
    fresh = [m for m in console.messages.transcript(handoff.channel, handoff.address, POLL_WINDOW) if m.id > after]
    handoff_work.record_transcript_read(console, current_staff(), handoff, after, fresh)
    now = console.now()
    zone = console.settings.business_calendar.zone
    return jsonify(
        {
            "handoff": {
                "id": handoff.id,
                "status": handoff.status,
                "assignee": names.get(handoff.assignee_id) if handoff.assignee_id is not None else None,
            },
            "messages": [
                {
                    "id": message.id,
                    "direction": message.direction,
                    "author": author_of(message, names),
                    "text": message.text,
                    "status": message.status,
                    "at": message.created_at.isoformat(),
                    "at_local": local_moment(message.created_at, zone, now),
                }
                for message in fresh
            ],
        }
    )


@conversation.route("/handoffs/<int:handoff_id>/claim", methods=["POST"])
@login_required
def claim(handoff_id: int) -> Response:
    return _work_on(
        handoff_id,
        handoff_work.claim,
        done="You have claimed this conversation. Reply soon: an unanswered claim returns to the queue.",
    )


@conversation.route("/handoffs/<int:handoff_id>/release", methods=["POST"])
@login_required
def release(handoff_id: int) -> Response:
    return _work_on(handoff_id, handoff_work.release, done="Released: the conversation is back in the queue.")


@conversation.route("/handoffs/<int:handoff_id>/reply", methods=["POST"])
@login_required
def send_reply(handoff_id: int) -> Any:
    console = services()
    handoff = _handoff_or_404(console, handoff_id)
    text = request.form.get("text", "")
    try:
        handoff_work.reply(console, current_staff(), handoff, text)
    except HandoffRefused as refused:
        # The page again, with the draft kept: nobody retypes a long answer.
        return _page(console, handoff, draft=text, reply_error=refused.message), 409
    return _back(handoff.id, anchor="reply")


@conversation.route("/handoffs/<int:handoff_id>/notes", methods=["POST"])
@login_required
def add_note(handoff_id: int) -> Response:
    text = request.form.get("text", "")
    return _work_on(handoff_id, lambda *on: handoff_work.add_note(*on, text), anchor="notes")


@conversation.route("/handoffs/<int:handoff_id>/labels", methods=["POST"])
@login_required
def set_labels(handoff_id: int) -> Response:
    # The form has one box: labels separated by commas.
    labels = [label for label in request.form.get("labels", "").split(",") if label.strip()]
    return _work_on(handoff_id, lambda *on: handoff_work.set_labels(*on, labels), anchor="labels")


@conversation.route("/handoffs/<int:handoff_id>/close", methods=["POST"])
@login_required
def close(handoff_id: int) -> Response:
    console = services()
    handoff = _handoff_or_404(console, handoff_id)
    try:
        outcome = handoff_work.close(console, current_staff(), handoff)
    except HandoffRefused as refused:
        flash(refused.message, "error")
        return _back(handoff.id)
    flash(
        "Closed: the assistant answers this person again."
        + ("" if outcome.seeker_told else " They were not texted about it (opted out, or quiet hours); the assistant answers when they next write."),
        "ok",
    )
    return _back(handoff.id)


def _page(console: ConsoleServices, handoff: HandoffRecord, *, draft: str = "", reply_error: str | None = None) -> str:
    staff = current_staff()
    names = staff_names(console)
    transcript = console.messages.transcript(handoff.channel, handoff.address)
    now = console.now()
    blocked = handoff_work.texting_blocked(console, staff, handoff)
    sla_stop = handoff.closed_at or now
    screening = console.intake.latest_screening(handoff.channel, handoff.address)
    return render_template(
        "conversation.html",
        handoff=handoff,
        seeker=console.intake.find_seeker(handoff.channel, handoff.address),
        screening=screening,
        rules_now=rules_version(),
        better_under_current_rules=changes_under_current_rules(screening),
        transcript=[(message, author_of(message, names)) for message in transcript],
        last_message_id=transcript[-1].id if transcript else 0,
        notes=[(note, names.get(note.staff_id, FORMER_STAFF)) for note in console.handoffs.notes(handoff.id)],
        assignee_name=names.get(handoff.assignee_id) if handoff.assignee_id is not None else None,
        canned=canned_replies(),
        blocked_message=REFUSAL_MESSAGES[blocked] if blocked else None,
        may_work=handoff_work.may_work_on(staff, handoff),
        holds_claim=handoff.assignee_id == staff.id and handoff.is_open,
        draft=draft,
        reply_error=reply_error,
        sla_state=console.sla.state(handoff.created_at, handoff.first_response_at, sla_stop),
        sla_elapsed=business_duration(console.sla.elapsed(handoff.created_at, handoff.first_response_at, sla_stop)),
        sla_target=business_duration(console.settings.sla_target),
    )


def _work_on(
    handoff_id: int,
    work: Callable[[ConsoleServices, StaffAccount, HandoffRecord], Any],
    *,
    done: str | None = None,
    anchor: str | None = None,
) -> Response:
    """Runs one action of handoff_work for the signed-in staff member and goes back to the page,
    with the refusal (or `done`) shown at the top."""
    console = services()
    handoff = _handoff_or_404(console, handoff_id)
    try:
        work(console, current_staff(), handoff)
    except HandoffRefused as refused:
        flash(refused.message, "error")
    else:
        if done:
            flash(done, "ok")
    return _back(handoff.id, anchor=anchor)


def _handoff_or_404(console: ConsoleServices, handoff_id: int) -> HandoffRecord:
    handoff = handoff_work.readable_handoff(console, current_staff(), handoff_id)
    if handoff is None:
        abort(404)
    return handoff


def _back(handoff_id: int, anchor: str | None = None) -> Response:
    return redirect(url_for("conversation.show", handoff_id=handoff_id, _anchor=anchor))
