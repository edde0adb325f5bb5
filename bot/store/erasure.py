"""Erasing a seeker's personal data: on request (`python -m bot.cli seeker erase PHONE`) and when
it is older than the retention period (`python -m bot.cli seeker retention`, RETENTION_DAYS).

What goes: the transcript (message texts, Twilio media URLs, delivery details), screenings and
their answers, event registrations and their reminders, handoffs with their notes, the seeker's
language, and the Rasa conversation (tracker events, when the tracker database is given). What
stays: the seeker row (channel and address) and the append-only consent ledger, because an
opt-out must be honoured after everything else is gone (47 CFR 64.1200 and the carriers' rules
require keeping the opt-out). An erasure on request also records an opt-out: the person asked us
to forget them, so nothing is sent to them again until they text START. The audit log keeps
staff actions by handoff id only; those ids no longer lead to anything.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, inspect, select, text, update
from sqlalchemy.engine import Engine

from bot.store.models import Handoff, HandoffNote, Message, Registration, ScheduledMessage, Screening, Seeker
from bot.store.intake_store import IntakeStore
from bot.store.timestamps import utc_now
from bot.store.transactions import TransactionalStore
from bot.store.validation import checked_address, checked_channel

ERASURE_KEYWORD = "ERASE"


@dataclass(frozen=True)
class ErasureReport:
    """How many rows of each kind went (counts only: nothing about the person)."""

    messages: int
    screenings: int
    registrations: int
    handoffs: int
    tracker_events: int


class SeekerEraser(TransactionalStore):
    def __init__(self, engine: Engine, tracker_engine: Engine | None = None, *, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(engine, clock=clock)
        self._tracker_engine = tracker_engine

    def erase(self, channel: str, address: str, *, opt_out: bool = True) -> ErasureReport | None:
        """Erases one seeker's data; None when we hold nothing about them."""
        channel, address = checked_channel(channel), checked_address(address)
        with self._writing() as session:
            seeker = session.execute(
                select(Seeker).where(Seeker.channel == channel, Seeker.address == address).with_for_update()
            ).scalar_one_or_none()
            if seeker is None:
                return None
            # Bulk statements: nothing of these rows is loaded into the session to synchronise.
            bulk = {"synchronize_session": False}
            handoff_ids = select(Handoff.id).where(Handoff.seeker_id == seeker.id)
            session.execute(delete(HandoffNote).where(HandoffNote.handoff_id.in_(handoff_ids)), execution_options=bulk)
            handoffs = session.execute(delete(Handoff).where(Handoff.seeker_id == seeker.id), execution_options=bulk).rowcount
            session.execute(delete(ScheduledMessage).where(ScheduledMessage.seeker_id == seeker.id), execution_options=bulk)
            registrations = session.execute(
                delete(Registration).where(Registration.seeker_id == seeker.id), execution_options=bulk
            ).rowcount
            session.execute(
                update(Message).where(Message.seeker_id == seeker.id).values(in_reply_to=None), execution_options=bulk
            )
            messages = session.execute(delete(Message).where(Message.seeker_id == seeker.id), execution_options=bulk).rowcount
            screenings = session.execute(
                delete(Screening).where(Screening.seeker_id == seeker.id), execution_options=bulk
            ).rowcount
            seeker.language = None
            seeker.updated_at = self._clock()
        if opt_out:
            IntakeStore(self._engine, clock=self._clock).record_opt_out(channel, address, ERASURE_KEYWORD)
        return ErasureReport(messages, screenings, registrations, handoffs, self._erase_tracker(address))

    def inactive_since(self, cutoff: datetime) -> list[tuple[str, str]]:
        """(channel, address) of seekers we hold messages or screenings of, with nothing from,
        to or about them since `cutoff`."""
        last_message = (
            select(Message.seeker_id.label("seeker_id"), func.max(Message.created_at).label("last_at"))
            .group_by(Message.seeker_id)
            .subquery()
        )
        last_screening = (
            select(Screening.seeker_id.label("seeker_id"), func.max(Screening.updated_at).label("last_at"))
            .group_by(Screening.seeker_id)
            .subquery()
        )
        with self._reading() as session:
            rows = session.execute(
                select(Seeker.channel, Seeker.address, last_message.c.last_at, last_screening.c.last_at)
                .join(last_message, last_message.c.seeker_id == Seeker.id, isouter=True)
                .join(last_screening, last_screening.c.seeker_id == Seeker.id, isouter=True)
                .where((last_message.c.last_at.is_not(None)) | (last_screening.c.last_at.is_not(None)))
            ).all()
        return [
            (channel, address)
            for channel, address, message_at, screening_at in rows
            if max(moment for moment in (message_at, screening_at) if moment is not None) < cutoff
        ]

    def apply_retention(self, cutoff: datetime) -> int:
        """Erases (without recording an opt-out) everyone inactive since `cutoff`; how many."""
        erased = 0
        for channel, address in self.inactive_since(cutoff):
            if self.erase(channel, address, opt_out=False) is not None:
                erased += 1
        return erased

    def _erase_tracker(self, address: str) -> int:
        # Rasa keys a conversation by sender id alone, whatever the channel.
        if self._tracker_engine is None or not inspect(self._tracker_engine).has_table("events"):
            return 0
        with self._tracker_engine.begin() as connection:
            return connection.execute(text("DELETE FROM events WHERE sender_id = :sender"), {"sender": address}).rowcount


def describe(report: ErasureReport) -> str:
    return (
        f"erased {report.messages} messages, {report.screenings} screenings, {report.registrations} registrations, "
        f"{report.handoffs} handoffs, {report.tracker_events} conversation events; the opt-out is kept"
    )

