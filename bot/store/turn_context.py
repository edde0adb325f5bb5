"""TurnContextQuery: what an inbound text's dialogue turn reads before it runs (it was four reads,
one per store: the seeker, the choices the last reply offered, the open handoff, whether the text
is an event's code), in one statement, or in the very statement that claims the message
(`claim_next_with_context`). A read model across the seekers, messages, handoffs and
hiring_events tables; each of those stays written by its own store.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, String, and_, literal, select
from sqlalchemy.engine import Engine

from bot.store.handoff_store import OpenHandoffState
from bot.store.inbound_queue import InboundClaim, claim_parameters, claim_statement, inbound_claim
from bot.store.models import Handoff, HiringEvent, JsonDocument, Message, Seeker
from bot.store.timestamps import UTCDateTime, utc_now
from bot.store.transactions import Clock, TransactionalStore
from bot.store.validation import checked_address, checked_channel
from bot.store.vocabulary import DIRECTION_OUT, EVENT_CODE_MAX, HANDOFF_ASSIGNED, HANDOFF_OPEN, HANDOFF_WAITING

_OPEN_HANDOFF = (
    "FROM handoffs WHERE handoffs.seeker_id = messages.seeker_id"
    " AND handoffs.status IN (:handoff_waiting, :handoff_assigned) LIMIT 1"
)
# The claim of the person's next message, returning with it what its turn reads first. The event
# code is looked up as the text upper-cased: the caller trusts that only where it is the code the
# text would name (bot.hiring_events.model.code_like), and asks again otherwise.
_CONTEXT_RETURNING = f"""
    , (SELECT language FROM seekers WHERE seekers.id = messages.seeker_id) AS seeker_language
    , (SELECT consent_status FROM seekers WHERE seekers.id = messages.seeker_id) AS seeker_consent
    , (SELECT last_out.buttons FROM messages AS last_out
       WHERE last_out.seeker_id = messages.seeker_id AND last_out.direction = :direction_out
       ORDER BY last_out.id DESC LIMIT 1) AS offered_buttons
    , (SELECT handoffs.id {_OPEN_HANDOFF}) AS handoff_id
    , (SELECT handoffs.reason {_OPEN_HANDOFF}) AS handoff_reason
    , (SELECT handoffs.status {_OPEN_HANDOFF}) AS handoff_status
    , (SELECT handoffs.created_at {_OPEN_HANDOFF}) AS handoff_created_at
    , (SELECT hiring_events.code FROM hiring_events WHERE hiring_events.code = upper(messages.text) LIMIT 1)
        AS event_code
    """
_CONTEXT_COLUMNS = (
    ("seeker_language", String()),
    ("seeker_consent", String()),
    ("offered_buttons", JsonDocument),
    ("handoff_id", Integer()),
    ("handoff_reason", String()),
    ("handoff_status", String()),
    ("handoff_created_at", UTCDateTime()),
    ("event_code", String()),
)
_CLAIM_WITH_CONTEXT = claim_statement(_CONTEXT_RETURNING, *_CONTEXT_COLUMNS)

# Where Rasa's tracker is in this database (production): the conversation's version for the
# tracker store's cache (bot/tracker_versions.py), the id of the newest event Rasa stored for the
# person. Rasa's sender id for our channels is the person's address (processing.py's UserMessage).
_TRACKER_VERSION_RETURNING = """
    , (SELECT max(events.id) FROM events WHERE events.sender_id = :address) AS tracker_version
    """
_CLAIM_WITH_CONTEXT_AND_TRACKER_VERSION = claim_statement(
    _CONTEXT_RETURNING + _TRACKER_VERSION_RETURNING, *_CONTEXT_COLUMNS, ("tracker_version", Integer())
)
assert set(HANDOFF_OPEN) == {HANDOFF_WAITING, HANDOFF_ASSIGNED}, "the claim's handoff test names both"


@dataclass(frozen=True)
class TurnContext:
    known_seeker: bool
    language: str | None
    consent_status: str | None
    offered_buttons: list[dict[str, str]] | None  # the choices the bot's last text offered
    handoff: OpenHandoffState | None
    event_code_exists: bool  # the code asked about names a stored event


@dataclass(frozen=True)
class ClaimedTurn:
    claim: InboundClaim
    context: TurnContext
    # The code of an event equal to the message's text upper-cased, if any.
    event_code_of_text: str | None
    # The id of the newest tracker event of the person's conversation, when asked for (None also
    # when there is none).
    tracker_version: int | None = None


class TurnContextQuery(TransactionalStore):
    def __init__(self, engine: Engine, *, clock: Clock = utc_now, tracker_version: bool = False) -> None:
        """`tracker_version`: the claim also reads the conversation's version in Rasa's `events`
        table, which must then be in this database."""
        super().__init__(engine, clock=clock)
        self._claim = _CLAIM_WITH_CONTEXT_AND_TRACKER_VERSION if tracker_version else _CLAIM_WITH_CONTEXT

    def claim_next_with_context(self, channel: str, address: str, owner: str | None = None) -> ClaimedTurn | None:
        """The person's next message claimed (InboundQueue.claim_next_inbound; `owner`: the
        claiming process's identity) and what its turn reads first, in one statement."""
        parameters = {
            **claim_parameters(channel, address, self._clock(), owner),
            "direction_out": DIRECTION_OUT,
            "handoff_waiting": HANDOFF_WAITING,
            "handoff_assigned": HANDOFF_ASSIGNED,
        }
        with self._writing() as session:
            row = session.execute(self._claim.on(session), parameters).first()
        if row is None:
            return None
        handoff = (
            OpenHandoffState(row.handoff_id, row.handoff_reason, row.handoff_status, row.handoff_created_at)
            if row.handoff_id is not None
            else None
        )
        context = TurnContext(
            True,
            row.seeker_language,
            row.seeker_consent,
            [dict(button) for button in row.offered_buttons] if row.offered_buttons else None,
            handoff,
            False,
        )
        version = row.tracker_version if self._claim is _CLAIM_WITH_CONTEXT_AND_TRACKER_VERSION else None
        return ClaimedTurn(inbound_claim(row, parameters["address"]), context, row.event_code, version)

    def read(self, channel: str, address: str, event_code: str | None = None) -> TurnContext:
        """`event_code`: a normalized candidate code (bot.hiring_events.model.code_like) to look
        up, or None."""
        channel, address = checked_channel(channel), checked_address(address)
        last_buttons = (
            select(Message.buttons)
            .where(Message.seeker_id == Seeker.id, Message.direction == DIRECTION_OUT)
            .order_by(Message.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        if event_code and len(event_code) <= EVENT_CODE_MAX:
            event_found = select(HiringEvent.id).where(HiringEvent.code == event_code).limit(1).scalar_subquery()
        else:
            event_found = literal(None)
        query = (
            select(
                Seeker.language,
                Seeker.consent_status,
                last_buttons.label("offered_buttons"),
                Handoff.id,
                Handoff.reason,
                Handoff.status,
                Handoff.created_at,
                event_found.label("event_id"),
            )
            .select_from(Seeker)
            .outerjoin(Handoff, and_(Handoff.seeker_id == Seeker.id, Handoff.status.in_(HANDOFF_OPEN)))
            .where(Seeker.channel == channel, Seeker.address == address)
            .limit(1)
        )
        with self._reading() as session:
            row = session.execute(query).first()
            if row is None:  # no seeker row (erased meanwhile): only the event code to look up
                found = session.execute(select(event_found)).scalar() if event_code else None
                return TurnContext(False, None, None, None, None, found is not None)
        language, consent_status, buttons, handoff_id, reason, status, created_at, event_id = row
        handoff = OpenHandoffState(handoff_id, reason, status, created_at) if handoff_id is not None else None
        return TurnContext(
            True,
            language,
            consent_status,
            [dict(button) for button in buttons] if buttons else None,
            handoff,
            event_id is not None,
        )
