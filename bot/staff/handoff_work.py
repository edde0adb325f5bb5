"""What a staff member does to one handoff (claim, release, reply, note, labels, close), with its
rules and audit entries, in one place for the conversation pages and the JSON API alike.

Each action takes the console's services, the acting staff account and the handoff, and either
returns what changed or raises `HandoffRefused` with a code (the API sends it as "error") and a
sentence for people (the pages flash it). Callers look the handoff up first: a missing one is
their 404, not a refusal. Audit entries hold ids only, never message or note text.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.channel_replies import HANDOFF_CLOSED
from bot.channel_replies import reply as channel_reply
from bot.handoff import routing
from bot.staff.auth import is_admin
from bot.staff.reply_rules import (
    REFUSAL_MESSAGES,
    REFUSED_CLOSED,
    REFUSED_NOT_YOURS,
    may_text_now,
    may_work,
    reply_refusal,
    texting_refusal,
)
from bot.staff.services import ConsoleServices
from bot.store import HandoffRecord, MessageRecord
from bot.store.transactions import unit_of_work
from bot.store.handoff_store import NoteRecord
from bot.store.staff_store import StaffAccount
from bot.store.vocabulary import CONSENT_OPTED_OUT, DIRECTION_IN, MESSAGE_KIND_STAFF

SUBJECT_HANDOFF = "handoff"
AUDIT_VIEWED = "viewed"
# Messages of a transcript fetched apart from the page (the page's poll, or a script).
AUDIT_TRANSCRIPT_READ = "transcript_read"
AUDIT_CLAIMED = "claimed"
AUDIT_RELEASED = "released"
AUDIT_REPLIED = "replied"
AUDIT_NOTE_ADDED = "note_added"
AUDIT_LABELS_SET = "labels_set"
AUDIT_CLOSED = "closed"
# Someone asked for a handoff routing does not give them (an id typed or guessed).
AUDIT_READ_REFUSED = "read_refused"

# Refusal codes besides reply_rules' REFUSED_* (which reply and close use as they are).
REFUSED_CLAIMED_BY_OTHER = "claimed_by_other"
REFUSED_NOT_HOLDER = "not_holder"
REFUSED_ALREADY_CLOSED = "already_closed"
REFUSED_INVALID_NOTE = "invalid_note"
REFUSED_INVALID_LABELS = "invalid_labels"

NOT_HOLDER_MESSAGE = "Only the person who claimed this conversation can release it."
CLOSED_MESSAGE = "This conversation is closed."
ALREADY_CLOSED_MESSAGE = "This conversation was already closed."
NOT_YOURS_TO_CHANGE_MESSAGE = "Another staff member has claimed this conversation; only they (or an admin) can change it."
# Who wrote a staff message or note whose account is gone.
FORMER_STAFF = "former staff"


class HandoffRefused(Exception):
    """The action was not done; `code` says why for programs, `message` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ReplyOutcome:
    handoff: HandoffRecord
    # The queued outbound row; the Rasa process's sender delivers it.
    message: MessageRecord


@dataclass(frozen=True)
class CloseOutcome:
    handoff: HandoffRecord
    # False when the seeker opted out, or it is quiet hours and they have not written lately:
    # the assistant still answers them when they next write.
    seeker_told: bool


def may_read(staff: StaffAccount, handoff: HandoffRecord) -> bool:
    """Admins read every handoff; others the ones routing gives them (their teams and
    languages, bot.handoff.routing) and any they hold. The queue, the conversation pages and the
    API all ask this: a handoff's id is sequential, and its page shows the phone number, the
    transcript and the screening."""
    return is_admin(staff) or handoff.assignee_id == staff.id or routing.matches(handoff, staff)


def readable_handoff(console: ConsoleServices, staff: StaffAccount, handoff_id: int) -> HandoffRecord | None:
    """The handoff, or None when there is none or this staff member may not read it (callers
    answer 404 alike, so ids outside one's routing cannot be told from missing ones)."""
    handoff = console.handoffs.get(handoff_id)
    if handoff is None:
        return None
    if not may_read(staff, handoff):
        console.staff.audit(staff.id, AUDIT_READ_REFUSED, SUBJECT_HANDOFF, handoff.id)
        return None
    return handoff


def record_view(console: ConsoleServices, staff: StaffAccount, handoff: HandoffRecord) -> None:
    console.staff.audit(staff.id, AUDIT_VIEWED, SUBJECT_HANDOFF, handoff.id)


def record_transcript_read(
    console: ConsoleServices, staff: StaffAccount, handoff: HandoffRecord, after: int, messages: Sequence[MessageRecord]
) -> None:
    """Every fetch that hands over messages is audited (which ones, by id: never their text); the
    page's poll every two seconds adds an entry only when something new arrived."""
    if messages:
        console.staff.audit(
            staff.id, AUDIT_TRANSCRIPT_READ, SUBJECT_HANDOFF, handoff.id,
            {"after": after, "count": len(messages), "last_message_id": messages[-1].id},
        )


def claim(console: ConsoleServices, staff: StaffAccount, handoff: HandoffRecord) -> HandoffRecord:
    claimed = console.handoffs.claim(handoff.id, staff.id, console.now())
    if claimed is None:
        current = console.handoffs.get(handoff.id)
        if current is not None and current.is_open:
            holder = staff_names(console).get(current.assignee_id, "someone else")
            raise HandoffRefused(REFUSED_CLAIMED_BY_OTHER, f"{holder} claimed this conversation first.")
        raise HandoffRefused(REFUSED_CLOSED, CLOSED_MESSAGE)
    console.staff.audit(staff.id, AUDIT_CLAIMED, SUBJECT_HANDOFF, handoff.id)
    return claimed


def release(console: ConsoleServices, staff: StaffAccount, handoff: HandoffRecord) -> HandoffRecord:
    released = console.handoffs.release(handoff.id, staff.id, console.now())
    if released is None:
        raise HandoffRefused(REFUSED_NOT_HOLDER, NOT_HOLDER_MESSAGE)
    console.staff.audit(staff.id, AUDIT_RELEASED, SUBJECT_HANDOFF, handoff.id)
    return released


def reply(console: ConsoleServices, staff: StaffAccount, handoff: HandoffRecord, text: str) -> ReplyOutcome:
    """Queues `text` to the seeker through their channel and stops the SLA clock (the first
    reply only); replying to an unclaimed handoff claims it (HandoffStore.record_staff_reply)."""
    refusal = reply_refusal(text, **_texting_context(console, handoff, staff))
    if refusal is not None:
        raise HandoffRefused(refusal, REFUSAL_MESSAGES[refusal])
    # One commit for the text, the handoff's reply and the audit line: a crash between them
    # would send a text no audit line records, or record a reply that was never queued.
    with unit_of_work(console.messages.engine):
        queued = console.messages.enqueue(
            handoff.channel,
            handoff.address,
            text.strip(),
            language=handoff.language,
            kind=MESSAGE_KIND_STAFF,
            details={"staff_id": staff.id, "handoff_id": handoff.id},
        )
        updated = console.handoffs.record_staff_reply(handoff.id, staff.id, console.now())
        console.staff.audit(staff.id, AUDIT_REPLIED, SUBJECT_HANDOFF, handoff.id, {"message_id": queued.id})
    return ReplyOutcome(updated, queued)


def add_note(console: ConsoleServices, staff: StaffAccount, handoff: HandoffRecord, text: str) -> NoteRecord:
    _refuse_unless_may_work(staff, handoff)
    try:
        note = console.handoffs.add_note(handoff.id, staff.id, text, console.now())
    except ValueError as problem:
        raise HandoffRefused(REFUSED_INVALID_NOTE, f"Note not saved: {problem}.") from None
    console.staff.audit(staff.id, AUDIT_NOTE_ADDED, SUBJECT_HANDOFF, handoff.id, {"note_id": note.id})
    return note


def set_labels(
    console: ConsoleServices, staff: StaffAccount, handoff: HandoffRecord, labels: Sequence[str]
) -> HandoffRecord:
    """Replaces the handoff's labels; the store normalizes them ("Needs Callback" is "needs-callback")."""
    _refuse_unless_may_work(staff, handoff)
    try:
        updated = console.handoffs.set_labels(handoff.id, labels)
    except ValueError as problem:
        raise HandoffRefused(REFUSED_INVALID_LABELS, f"Labels not saved: {problem}.") from None
    # The count only: a label can say something about the person.
    console.staff.audit(staff.id, AUDIT_LABELS_SET, SUBJECT_HANDOFF, handoff.id, {"count": len(updated.labels)})
    return updated


def close(console: ConsoleServices, staff: StaffAccount, handoff: HandoffRecord) -> CloseOutcome:
    """Ends the handoff, so the assistant answers this seeker again, and tells them so when
    that may be texted now."""
    if not may_work(handoff.assignee_id, staff.id, is_admin(staff)):
        raise HandoffRefused(REFUSED_NOT_YOURS, REFUSAL_MESSAGES[REFUSED_NOT_YOURS])
    closed = console.handoffs.close(handoff.id, staff.id, console.now())
    if closed is None:
        raise HandoffRefused(REFUSED_ALREADY_CLOSED, ALREADY_CLOSED_MESSAGE)
    console.staff.audit(staff.id, AUDIT_CLOSED, SUBJECT_HANDOFF, handoff.id)
    return CloseOutcome(closed, _tell_seeker_the_assistant_is_back(console, closed, staff))


def _refuse_unless_may_work(staff: StaffAccount, handoff: HandoffRecord) -> None:
    if not may_work(handoff.assignee_id, staff.id, is_admin(staff)):
        raise HandoffRefused(REFUSED_NOT_YOURS, NOT_YOURS_TO_CHANGE_MESSAGE)


def texting_blocked(console: ConsoleServices, staff: StaffAccount, handoff: HandoffRecord) -> str | None:
    """Why this staff member may not text this seeker now, whatever they write (a REFUSED_*
    code), or None: shown above the reply box before anyone types."""
    return texting_refusal(**_texting_context(console, handoff, staff))


def may_work_on(staff: StaffAccount, handoff: HandoffRecord) -> bool:
    return may_work(handoff.assignee_id, staff.id, is_admin(staff))


def staff_names(console: ConsoleServices) -> dict[int, str]:
    return {account.id: account.display_name for account in console.staff.list_accounts()}


def author_of(message: MessageRecord, names: Mapping[int, str]) -> str:
    """Who wrote a transcript line: the seeker, a named staff member, or the assistant."""
    if message.direction == DIRECTION_IN:
        return "Seeker"
    if message.kind == MESSAGE_KIND_STAFF:
        staff_id = (message.details or {}).get("staff_id")
        return f"Staff: {names.get(staff_id, FORMER_STAFF)}"
    return "Assistant"


def _tell_seeker_the_assistant_is_back(console: ConsoleServices, handoff: HandoffRecord, staff: StaffAccount) -> bool:
    seeker = console.intake.find_seeker(handoff.channel, handoff.address)
    if seeker is not None and seeker.consent_status == CONSENT_OPTED_OUT:
        return False
    if not may_text_now(console.settings.quiet_hours, console.now(), handoff.last_inbound_at):
        return False
    language = handoff.language or (seeker.language if seeker else None)
    console.messages.enqueue(
        handoff.channel,
        handoff.address,
        channel_reply(HANDOFF_CLOSED, language),
        language=language,
        details={"handoff_id": handoff.id, "closed_by": staff.id},
    )
    return True


def _texting_context(console: ConsoleServices, handoff: HandoffRecord, staff: StaffAccount) -> dict[str, object]:
    seeker = console.intake.find_seeker(handoff.channel, handoff.address)
    return {
        "handoff_open": handoff.is_open,
        "assignee_id": handoff.assignee_id,
        "staff_id": staff.id,
        "is_admin": is_admin(staff),
        "opted_out": seeker is not None and seeker.consent_status == CONSENT_OPTED_OUT,
        "quiet_hours": console.settings.quiet_hours,
        "now": console.now(),
        "last_inbound_at": handoff.last_inbound_at,
    }
