"""Read-only queries for the staff console's event pages and reports.

Nothing here writes. Each method reads in one transaction and hands back plain values
(bot.reports dataclasses, EventRecord), never an ORM object.

    queries = ReportQueries(make_engine())
    queries.seeker_journeys(period.start, period.end)   # the funnel's cohort
    queries.event_overview()                            # every event with its counts
    queries.registrants("HHC")                          # who is coming, with screening summary
    queries.registrant(registration_id)                 # one of them
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.answers import FIRST_NAME, SECTORS
from bot.hiring_events.model import normalize_event_code
from bot.reports.campaign import MemberJourney
from bot.reports.funnel import SeekerJourney
from bot.reports.recontact import StoredScreening, stored_determinations
from bot.reports.registrants import Registrant
from bot.store.hiring_event_rows import EventRecord, event_record
from bot.store.models import Campaign, CampaignMember, Handoff, HiringEvent, Message, Registration, Screening, Seeker
from bot.store.transactions import TransactionalStore
from bot.store.vocabulary import (
    CONSENT_OPTED_OUT,
    DIRECTION_IN,
    OUTBOUND_DELIVERED,
    OUTCOME_OFFER,
    REGISTRATION_ACTIVE,
    REGISTRATION_REGISTERED,
    REGISTRATION_STATUSES,
    SCREENING_COMPLETE,
)

# The determination that counts a seeker as likely eligible (bot.screening.results.LIKELY; the
# store keeps the results as the screening wrote them, so it is read here as stored text).
LIKELY_DETERMINATION = "likely"
# Counts the event list shows besides one per status.
ATTENDED = "attended"


@dataclass(frozen=True)
class EventOverview:
    record: EventRecord
    # One entry per registration status, plus "attended".
    counts: dict[str, int]


class ReportQueries(TransactionalStore):

    # --- the funnel --------------------------------------------------------------------------

    def seeker_journeys(self, start: datetime, end: datetime, campaign_id: int | None = None) -> list[SeekerJourney]:
        """One journey per seeker created in [start, end), oldest first; with `campaign_id`, only
        the workers on that outreach campaign's roster."""
        in_cohort: tuple = (Seeker.created_at >= start, Seeker.created_at < end)
        if campaign_id is not None:
            roster = select(CampaignMember.seeker_id).where(CampaignMember.campaign_id == campaign_id)
            in_cohort = (*in_cohort, Seeker.id.in_(roster))
        with self._reading() as session:
            seekers = session.execute(
                select(Seeker.id, Seeker.consent_notice_at, Seeker.consent_status)
                .where(*in_cohort)
                .order_by(Seeker.created_at, Seeker.id)
            ).all()
            screened = _seeker_ids(
                session,
                select(Screening.seeker_id)
                .join(Seeker, Seeker.id == Screening.seeker_id)
                .where(*in_cohort, Screening.status == SCREENING_COMPLETE),
            )
            latest_complete = (
                select(func.max(Screening.id))
                .join(Seeker, Seeker.id == Screening.seeker_id)
                .where(*in_cohort, Screening.status == SCREENING_COMPLETE)
                .group_by(Screening.seeker_id)
            )
            likely = {
                seeker_id: _likely_programs(results)
                for seeker_id, results in session.execute(
                    select(Screening.seeker_id, Screening.results).where(Screening.id.in_(latest_complete))
                )
            }
            registration_of_cohort = (
                select(Registration.seeker_id)
                .join(Seeker, Seeker.id == Registration.seeker_id)
                .where(*in_cohort)
            )
            registered = _seeker_ids(
                session,
                registration_of_cohort.where(
                    (Registration.status == REGISTRATION_REGISTERED)
                    | Registration.attended.is_(True)
                    | Registration.outcome.is_not(None)
                ),
            )
            attended = _seeker_ids(session, registration_of_cohort.where(Registration.attended.is_(True)))
            offer = _seeker_ids(session, registration_of_cohort.where(Registration.outcome == OUTCOME_OFFER))
            handed_off = _seeker_ids(
                session,
                select(Handoff.seeker_id).join(Seeker, Seeker.id == Handoff.seeker_id).where(*in_cohort),
            )
        return [
            SeekerJourney(
                seeker_id=seeker_id,
                consented=notice_at is not None and consent_status != CONSENT_OPTED_OUT,
                screened=seeker_id in screened,
                likely_programs=likely.get(seeker_id, ()),
                registered=seeker_id in registered,
                attended=seeker_id in attended,
                offer=seeker_id in offer,
                handed_off=seeker_id in handed_off,
            )
            for seeker_id, notice_at, consent_status in seekers
        ]

    # --- WARN outreach campaigns -------------------------------------------------------------

    def campaign_journeys(self, campaign_id: int) -> list[MemberJourney]:
        """One journey per roster member of the campaign; what happened after their text."""
        with self._reading() as session:
            campaign = session.get(Campaign, campaign_id)
            if campaign is None:
                return []
            members = session.execute(
                select(CampaignMember.seeker_id, Message.status, Message.created_at, Seeker.consent_status)
                .join(Seeker, Seeker.id == CampaignMember.seeker_id)
                .outerjoin(Message, Message.id == CampaignMember.message_id)
                .where(CampaignMember.campaign_id == campaign_id)
                .order_by(CampaignMember.id)
            ).all()
            texted_at = {seeker_id: at for seeker_id, _, at, _ in members if at is not None}
            ids = list(texted_at)

            def after_text(rows: Iterable[tuple[int, datetime]]) -> set[int]:
                return {seeker_id for seeker_id, at in rows if at is not None and at >= texted_at[seeker_id]}

            replied = after_text(session.execute(
                select(Message.seeker_id, Message.created_at).where(Message.seeker_id.in_(ids), Message.direction == DIRECTION_IN)
            ).all()) if ids else set()
            finished = session.execute(
                select(Screening.seeker_id, Screening.completed_at, Screening.results)
                .where(Screening.seeker_id.in_(ids), Screening.status == SCREENING_COMPLETE)
            ).all() if ids else []
            screened = after_text((seeker_id, at) for seeker_id, at, _ in finished)
            likely_dw = {
                seeker_id for seeker_id, at, results in finished
                if seeker_id in screened and "wioa_dislocated_worker" in _likely_programs(results)
            }
            codes = [normalize_event_code(code) for code in campaign.event_codes or ()]
            sessions = select(Registration.seeker_id, Registration.attended).join(
                HiringEvent, HiringEvent.id == Registration.event_id
            ).where(Registration.seeker_id.in_(ids), HiringEvent.code.in_(codes), (
                (Registration.status == REGISTRATION_REGISTERED) | Registration.attended.is_(True) | Registration.outcome.is_not(None)
            ))
            registrations = session.execute(sessions).all() if ids and codes else []
            handed_off = after_text(session.execute(
                select(Handoff.seeker_id, Handoff.created_at).where(Handoff.seeker_id.in_(ids))
            ).all()) if ids else set()
        registered = {seeker_id for seeker_id, _ in registrations}
        attended = {seeker_id for seeker_id, was_there in registrations if was_there}
        return [
            MemberJourney(
                texted=seeker_id in texted_at,
                delivered=status == OUTBOUND_DELIVERED,
                replied=seeker_id in replied,
                opted_out=seeker_id in texted_at and consent == CONSENT_OPTED_OUT,
                screened=seeker_id in screened,
                likely_dislocated_worker=seeker_id in likely_dw,
                registered=seeker_id in registered,
                attended=seeker_id in attended,
                handed_off=seeker_id in handed_off,
            )
            for seeker_id, status, _, consent in members
        ]

    # --- events ------------------------------------------------------------------------------

    def event_overview(self) -> list[EventOverview]:
        """Every event, soonest start first, with its registrations counted by status."""
        with self._reading() as session:
            rows = session.execute(select(HiringEvent).order_by(HiringEvent.starts_at, HiringEvent.id)).scalars().all()
            by_status: dict[int, dict[str, int]] = {
                row.id: {**{status: 0 for status in REGISTRATION_STATUSES}, ATTENDED: 0} for row in rows
            }
            for event_id, status, number in session.execute(
                select(Registration.event_id, Registration.status, func.count()).group_by(
                    Registration.event_id, Registration.status
                )
            ):
                by_status[event_id][status] = number
            for event_id, number in session.execute(
                select(Registration.event_id, func.count())
                .where(Registration.attended.is_(True))
                .group_by(Registration.event_id)
            ):
                by_status[event_id][ATTENDED] = number
            return [EventOverview(event_record(row), by_status[row.id]) for row in rows]

    def registrants(self, code: str, *, active_only: bool = False) -> list[Registrant]:
        """The event's registrations in the order they came, each with the seeker's first name
        and sectors (their most recent answers) and the programs their latest finished
        screening found likely. Empty for an unknown event."""
        conditions = [HiringEvent.code == normalize_event_code(code)]
        if active_only:
            conditions.append(Registration.status.in_(REGISTRATION_ACTIVE))
        return self._registrants(conditions)

    def registrant(self, registration_id: int) -> Registrant | None:
        """One registration, as `registrants` gives it."""
        found = self._registrants([Registration.id == registration_id])
        return found[0] if found else None

    def _registrants(self, conditions: list[Any]) -> list[Registrant]:
        with self._reading() as session:
            rows = session.execute(
                select(Registration, Seeker)
                .join(HiringEvent, HiringEvent.id == Registration.event_id)
                .join(Seeker, Seeker.id == Registration.seeker_id)
                .where(*conditions)
                .order_by(Registration.created_at, Registration.id)
            ).all()
            their_seekers = (
                select(Registration.seeker_id)
                .join(HiringEvent, HiringEvent.id == Registration.event_id)
                .where(*conditions)
            )
            answers, likely = _screening_summaries(session, their_seekers)
            return [_registrant(registration, seeker, answers, likely) for registration, seeker in rows]


    # --- re-contact after a rules change ----------------------------------------------------

    def screenings_before_rules(self, rules_version: str) -> list[tuple[StoredScreening, dict[str, Any]]]:
        """Each seeker's latest finished screening, when another rules version (or none) produced it,
        with its answers: the input of bot.reports.recontact. Oldest first."""
        with self._reading() as session:
            rows = session.execute(
                select(Screening, Seeker)
                .join(Seeker, Seeker.id == Screening.seeker_id)
                .where(Screening.status == SCREENING_COMPLETE, Screening.completed_at.is_not(None))
                .order_by(Screening.seeker_id, Screening.completed_at.desc(), Screening.id.desc())
            ).all()
            latest: dict[int, tuple[Screening, Seeker]] = {}
            for screening, seeker in rows:
                latest.setdefault(seeker.id, (screening, seeker))
            found = [
                (_stored_screening(screening, seeker), dict(screening.answers or {}))
                for screening, seeker in latest.values()
                if screening.rules_version != rules_version
            ]
        found.sort(key=lambda item: (item[0].completed_at, item[0].screening_id))
        return found


def _stored_screening(screening: Screening, seeker: Seeker) -> StoredScreening:
    answers = screening.answers if isinstance(screening.answers, dict) else {}
    first_name = answers.get(FIRST_NAME)
    return StoredScreening(
        screening_id=screening.id,
        seeker_id=seeker.id,
        channel=seeker.channel,
        address=seeker.address,
        first_name=first_name if isinstance(first_name, str) and first_name != "unknown" else None,
        language=seeker.language,
        opted_out=seeker.consent_status == CONSENT_OPTED_OUT,
        completed_at=screening.completed_at,
        rules_version=screening.rules_version,
        determinations=stored_determinations(screening.results),
    )


def _seeker_ids(session: Session, query: Any) -> set[int]:
    return set(session.execute(query.distinct()).scalars())


def _likely_programs(results: Any) -> tuple[str, ...]:
    programs = results.get("programs") if isinstance(results, dict) else None
    if not isinstance(programs, dict):
        return ()
    return tuple(
        name
        for name, entry in programs.items()
        if isinstance(entry, dict) and entry.get("determination") == LIKELY_DETERMINATION
    )


def _screening_summaries(
    session: Session, seeker_ids: Any
) -> tuple[dict[int, dict[str, Any]], dict[int, tuple[str, ...]]]:
    """Per seeker of the `seeker_ids` subquery: the latest value of each answer across their
    screenings (a restart leaves a blank one, which must not hide the name given before), and
    the programs their latest finished screening found likely."""
    answers: dict[int, dict[str, Any]] = {}
    likely: dict[int, tuple[str, ...]] = {}
    for seeker_id, status, screening_answers, results in session.execute(
        select(Screening.seeker_id, Screening.status, Screening.answers, Screening.results)
        .where(Screening.seeker_id.in_(seeker_ids))
        .order_by(Screening.id)
    ):
        answers.setdefault(seeker_id, {}).update(screening_answers or {})
        if status == SCREENING_COMPLETE:
            likely[seeker_id] = _likely_programs(results)
    return answers, likely


def _registrant(
    registration: Registration,
    seeker: Seeker,
    answers: dict[int, dict[str, Any]],
    likely: dict[int, tuple[str, ...]],
) -> Registrant:
    known = answers.get(seeker.id, {})
    first_name = known.get(FIRST_NAME)
    sectors = known.get(SECTORS)
    return Registrant(
        registration_id=registration.id,
        seeker_id=seeker.id,
        channel=seeker.channel,
        address=seeker.address,
        language=seeker.language,
        consent_status=seeker.consent_status,
        status=registration.status,
        confirmation_code=registration.confirmation_code,
        attended=bool(registration.attended),
        outcome=registration.outcome,
        registered_at=registration.created_at,
        first_name=first_name if isinstance(first_name, str) else None,
        sectors=tuple(sectors) if isinstance(sectors, list) else (),
        likely_programs=likely.get(seeker.id, ()),
        answers=dict(registration.answers or {}),
    )
