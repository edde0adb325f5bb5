"""TurnContextQuery: what an inbound text's dialogue turn reads before it runs, in one statement
(it was four, one per store: the seeker, the choices the last reply offered, the open handoff,
whether the text is an event's code). A read model across the seekers, messages, handoffs and
hiring_events tables; each of those stays written by its own store.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, literal, select

from bot.store.handoff_store import OpenHandoffState
from bot.store.models import Handoff, HiringEvent, Message, Seeker
from bot.store.transactions import TransactionalStore
from bot.store.validation import checked_address, checked_channel
from bot.store.vocabulary import DIRECTION_OUT, EVENT_CODE_MAX, HANDOFF_OPEN


@dataclass(frozen=True)
class TurnContext:
    known_seeker: bool
    language: str | None
    consent_status: str | None
    offered_buttons: list[dict[str, str]] | None  # the choices the bot's last text offered
    handoff: OpenHandoffState | None
    event_code_exists: bool  # the code asked about names a stored event


class TurnContextQuery(TransactionalStore):
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
