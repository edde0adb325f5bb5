"""IntakeStore: everything the bot saves about a seeker, one transaction per call.

Methods take the channel and address a message came from and return frozen records, so no
caller ever holds a session or an ORM object. Every write first locks the seeker's row, which
serialises concurrent messages from the same seeker across threads and processes; saving answers
for a known seeker is one upsert instead, serialised on the open screening's row.
"""
from __future__ import annotations

import copy
import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from bot.store.models import ConsentEvent, Screening, Seeker
from bot.store.privacy import address_digest
from bot.store.records import ConsentEventRecord, ScreeningRecord, SeekerRecord
from bot.store.timestamps import UTCDateTime
from bot.store.transactions import TransactionalStore, insert_or_fetch
from bot.store.validation import (
    checked_address,
    checked_answers,
    checked_channel,
    checked_json_document,
    checked_language,
    checked_rules_version,
    clipped_keyword,
)
from bot.store.vocabulary import (
    CONSENT_GRANTED,
    CONSENT_OPTED_OUT,
    CONSENT_PENDING,
    EVENT_NOTICE_SHOWN,
    EVENT_OPT_IN,
    EVENT_OPT_OUT,
    SCREENING_ABANDONED,
    SCREENING_COMPLETE,
    SCREENING_IN_PROGRESS,
)

logger = logging.getLogger(__name__)


class IntakeStore(TransactionalStore):
    """Seekers, their screenings and their consent ledger, on top of one engine."""

    # --- consent -------------------------------------------------------------------------

    def record_consent_notice(self, channel: str, address: str, language: str) -> SeekerRecord:
        """The privacy/consent notice was sent in `language`; creates the seeker if new."""
        language = checked_language(language)
        with self._writing() as session:
            now = self._clock()
            seeker = locked_seeker(session, channel, address, now)
            seeker.language = language
            seeker.consent_notice_at = now
            seeker.updated_at = now
            _append_consent_event(session, seeker, EVENT_NOTICE_SHOWN, None, now)
            return _seeker_record(seeker)

    def record_opt_out(
        self, channel: str, address: str, keyword: str | None = None
    ) -> SeekerRecord:
        """The seeker asked us to stop (STOP, BAJA...); `keyword` is the word they sent."""
        with self._writing() as session:
            now = self._clock()
            seeker = locked_seeker(session, channel, address, now)
            seeker.consent_status = CONSENT_OPTED_OUT
            seeker.updated_at = now
            _append_consent_event(session, seeker, EVENT_OPT_OUT, keyword, now)
            logger.info("seeker %s opted out", address_digest(seeker.channel, seeker.address))
            return _seeker_record(seeker)

    def record_carrier_opt_out(
        self, channel: str, address: str, message_created_at: datetime, code: str
    ) -> SeekerRecord | None:
        """The carrier refused a message of ours, queued at `message_created_at`, because the
        person opted out there (Twilio error 21610). None, and nothing recorded, when the person
        is opted out already or has opted in since that message: a late or replayed report must
        not undo a START."""
        with self._writing() as session:
            now = self._clock()
            seeker = locked_seeker(session, channel, address, now)
            if seeker.consent_status == CONSENT_OPTED_OUT:
                return None
            latest_opt_in = session.execute(
                select(ConsentEvent)
                .where(ConsentEvent.seeker_id == seeker.id, ConsentEvent.event == EVENT_OPT_IN)
                .order_by(ConsentEvent.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            if latest_opt_in is not None and latest_opt_in.created_at >= message_created_at:
                return None
            seeker.consent_status = CONSENT_OPTED_OUT
            seeker.updated_at = now
            _append_consent_event(session, seeker, EVENT_OPT_OUT, code, now)
            logger.info("seeker %s opted out at the carrier", address_digest(seeker.channel, seeker.address))
            return _seeker_record(seeker)

    def record_opt_in(self, channel: str, address: str, keyword: str | None = None) -> SeekerRecord:
        """The seeker agreed, or came back after opting out (START, SI...)."""
        with self._writing() as session:
            now = self._clock()
            seeker = locked_seeker(session, channel, address, now)
            seeker.consent_status = CONSENT_GRANTED
            seeker.updated_at = now
            _append_consent_event(session, seeker, EVENT_OPT_IN, keyword, now)
            logger.info("seeker %s opted in", address_digest(seeker.channel, seeker.address))
            return _seeker_record(seeker)

    def consent_history(self, channel: str, address: str) -> tuple[ConsentEventRecord, ...]:
        """The seeker's consent ledger, oldest first; empty for an unknown seeker."""
        channel, address = checked_channel(channel), checked_address(address)
        with self._reading() as session:
            events = session.execute(
                select(ConsentEvent)
                .join(Seeker, Seeker.id == ConsentEvent.seeker_id)
                .where(Seeker.channel == channel, Seeker.address == address)
                .order_by(ConsentEvent.id)
            ).scalars()
            return tuple(_consent_event_record(event) for event in events)

    # --- seeker --------------------------------------------------------------------------

    def set_language(self, channel: str, address: str, language: str) -> SeekerRecord:
        language = checked_language(language)
        with self._writing() as session:
            now = self._clock()
            seeker = locked_seeker(session, channel, address, now)
            if seeker.language != language:
                seeker.language = language
                seeker.updated_at = now
            return _seeker_record(seeker)

    def find_seeker(self, channel: str, address: str) -> SeekerRecord | None:
        channel, address = checked_channel(channel), checked_address(address)
        with self._reading() as session:
            seeker = session.execute(_seeker_query(channel, address)).scalar_one_or_none()
            return _seeker_record(seeker) if seeker is not None else None

    # --- screening -----------------------------------------------------------------------

    def save_answers(self, channel: str, address: str, answers: Mapping[str, Any]) -> None:
        """Merge `answers` into the open screening, starting one if there is none.

        A name mapped to None removes that answer, so passing every slot (filled or not)
        leaves exactly the filled ones stored. One statement for a known seeker (every intake
        turn saves answers).
        """
        answers = checked_answers(answers)
        with self._writing() as session:
            now = self._clock()
            if _merge_into_open_screening(session, channel, address, answers, now):
                return
            # A new seeker: made first, as every write does.
            seeker = locked_seeker(session, channel, address, now)
            screening = _open_screening(session, seeker, now)
            screening.answers = _merged(screening.answers, answers)
            screening.updated_at = now

    def complete_screening(
        self,
        channel: str,
        address: str,
        answers: Mapping[str, Any],
        results: Mapping[str, Any],
        rules_version: str | None,
    ) -> int:
        """Close the open screening with its final answers and results; returns its id."""
        answers = checked_answers(answers)
        results = checked_json_document(results, "results")
        rules_version = checked_rules_version(rules_version)
        with self._writing() as session:
            now = self._clock()
            seeker = locked_seeker(session, channel, address, now)
            screening = _open_screening(session, seeker, now)
            screening.answers = _merged(screening.answers, answers)
            screening.results = results
            screening.rules_version = rules_version
            screening.status = SCREENING_COMPLETE
            screening.updated_at = now
            screening.completed_at = now
            session.flush()
            return screening.id

    def restart_screening(self, channel: str, address: str) -> ScreeningRecord:
        """The seeker starts over: the open screening is abandoned and a blank one opened.

        An open screening with no answers yet is simply kept, so repeated "start over"
        messages do not pile up empty rows.
        """
        with self._writing() as session:
            now = self._clock()
            seeker = locked_seeker(session, channel, address, now)
            current = _find_open_screening(session, seeker)
            if current is not None and not current.answers:
                return _screening_record(current)
            if current is not None:
                current.status = SCREENING_ABANDONED
                current.updated_at = now
                # The abandoned row must leave "in_progress" before the new one arrives,
                # or the one-open-screening index refuses the insert.
                session.flush()
            fresh = _open_screening(session, seeker, now)
            session.flush()
            return _screening_record(fresh)

    def latest_screening(self, channel: str, address: str) -> ScreeningRecord | None:
        """The most recently started screening, whatever its status."""
        channel, address = checked_channel(channel), checked_address(address)
        with self._reading() as session:
            screening = session.execute(
                select(Screening)
                .join(Seeker, Seeker.id == Screening.seeker_id)
                .where(Seeker.channel == channel, Seeker.address == address)
                .order_by(Screening.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            return _screening_record(screening) if screening is not None else None



def _seeker_query(channel: str, address: str) -> Any:
    return select(Seeker).where(Seeker.channel == channel, Seeker.address == address)


def locked_seeker(session: Session, channel: str, address: str, now: datetime) -> Seeker:
    """The seeker's row, created if new, locked until the transaction ends.

    The lock is PostgreSQL's FOR NO KEY UPDATE (the id never changes): it serialises changes to
    the seeker but lets other transactions insert rows that refer to it (a webhook storing the
    next message) without waiting. Two processes can both miss the row and both insert it; the
    loser's insert fails on the unique (channel, address) constraint inside a savepoint, and it
    then reads the winner's row.
    """
    return _seeker_row(session, channel, address, now, lock=True)


def seeker_row(session: Session, channel: str, address: str, now: datetime) -> Seeker:
    """The seeker's row, created if new, without locking it: for inserting rows that refer to
    the seeker and only read it (a webhook storing an inbound message must not queue behind a
    dialogue turn that is changing the seeker)."""
    return _seeker_row(session, channel, address, now, lock=False)


def _seeker_row(session: Session, channel: str, address: str, now: datetime, *, lock: bool) -> Seeker:
    channel, address = checked_channel(channel), checked_address(address)
    query = _seeker_query(channel, address)
    if lock:
        query = query.with_for_update(key_share=True)
    existing = session.execute(query).scalar_one_or_none()
    if existing is not None:
        return existing
    created = Seeker(
        channel=channel,
        address=address,
        consent_status=CONSENT_PENDING,
        created_at=now,
        updated_at=now,
    )
    seeker, inserted = insert_or_fetch(session, created, lambda: session.execute(query).scalar_one_or_none())
    if inserted:
        logger.debug("new seeker %s", address_digest(channel, address))
    else:
        logger.debug("seeker %s was created concurrently", address_digest(channel, address))
    return seeker


def _merge_into_open_screening(
    session: Session, channel: str, address: str, answers: Mapping[str, Any], now: datetime
) -> bool:
    """`answers` merged into the known seeker's open screening, or a screening opened with them,
    in one statement (an upsert on the one-open-screening index); False, and nothing written,
    for a seeker with no row yet. The merge is `_merged`'s, in SQL: top-level answers replaced,
    an answer given as None removed."""
    kept = {name: value for name, value in answers.items() if value is not None}
    removed = [name for name, value in answers.items() if value is None]
    parameters: dict[str, Any] = {
        "channel": checked_channel(channel),
        "address": checked_address(address),
        "in_progress": SCREENING_IN_PROGRESS,
        "fresh": json.dumps(kept),
        "now": now,
    }
    if session.get_bind().dialect.name == "postgresql":
        merged = "(screenings.answers || CAST(:kept AS jsonb)) - CAST(:removed AS text[])"
        parameters.update(kept=json.dumps(kept), removed=removed)
        fresh = "CAST(:fresh AS jsonb)"
    else:
        # Answer names are the constants of bot.answers (checked_answers), safe in a JSON path.
        merged = "screenings.answers"
        if kept:
            paths = ", ".join(f"'$.{name}', json(:set_{index})" for index, name in enumerate(kept))
            merged = f"json_set({merged}, {paths})"
            parameters.update({f"set_{index}": json.dumps(value) for index, value in enumerate(kept.values())})
        if removed:
            removed_paths = ", ".join(f"'$.{name}'" for name in removed)
            merged = f"json_remove({merged}, {removed_paths})"
        fresh = "json(:fresh)"
    statement = text(
        f"""
        INSERT INTO screenings (seeker_id, status, answers, started_at, updated_at)
        SELECT seekers.id, :in_progress, {fresh}, :now, :now
        FROM seekers WHERE seekers.channel = :channel AND seekers.address = :address
        ON CONFLICT (seeker_id) WHERE status = '{SCREENING_IN_PROGRESS}'
        DO UPDATE SET answers = {merged}, updated_at = :now
        """
    ).bindparams(bindparam("now", type_=UTCDateTime()))
    return session.execute(statement, parameters).rowcount > 0


def _find_open_screening(session: Session, seeker: Seeker) -> Screening | None:
    return session.execute(
        select(Screening).where(
            Screening.seeker_id == seeker.id, Screening.status == SCREENING_IN_PROGRESS
        )
    ).scalar_one_or_none()


def _open_screening(session: Session, seeker: Seeker, now: datetime) -> Screening:
    """The seeker's in-progress screening, started now if there is none."""
    existing = _find_open_screening(session, seeker)
    if existing is not None:
        return existing
    return _started_screening(session, seeker, now)


def _started_screening(session: Session, seeker: Seeker, now: datetime) -> Screening:
    """A new in-progress screening for a seeker known (under their row's lock) to have none."""
    started = Screening(
        seeker_id=seeker.id,
        status=SCREENING_IN_PROGRESS,
        answers={},
        started_at=now,
        updated_at=now,
    )
    session.add(started)
    return started


def _append_consent_event(
    session: Session, seeker: Seeker, event: str, keyword: str | None, now: datetime
) -> None:
    session.add(
        ConsentEvent(
            seeker_id=seeker.id,
            event=event,
            keyword=clipped_keyword(keyword),
            channel=seeker.channel,
            created_at=now,
        )
    )
    session.flush()


def _merged(stored: Mapping[str, Any] | None, updates: Mapping[str, Any]) -> dict[str, Any]:
    # A new dict each time: the JSON column only notices a change when the object is replaced.
    merged = dict(stored or {})
    for name, value in updates.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return merged


def _seeker_record(seeker: Seeker) -> SeekerRecord:
    return SeekerRecord(
        id=seeker.id,
        channel=seeker.channel,
        address=seeker.address,
        language=seeker.language,
        consent_status=seeker.consent_status,
        consent_notice_at=seeker.consent_notice_at,
        created_at=seeker.created_at,
        updated_at=seeker.updated_at,
    )


def _screening_record(screening: Screening) -> ScreeningRecord:
    return ScreeningRecord(
        id=screening.id,
        seeker_id=screening.seeker_id,
        status=screening.status,
        answers=copy.deepcopy(dict(screening.answers or {})),
        results=copy.deepcopy(dict(screening.results)) if screening.results is not None else None,
        rules_version=screening.rules_version,
        started_at=screening.started_at,
        updated_at=screening.updated_at,
        completed_at=screening.completed_at,
    )


def _consent_event_record(event: ConsentEvent) -> ConsentEventRecord:
    return ConsentEventRecord(
        id=event.id,
        seeker_id=event.seeker_id,
        event=event.event,
        keyword=event.keyword,
        channel=event.channel,
        created_at=event.created_at,
    )
