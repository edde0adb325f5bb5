"""WARN outreach campaigns: the campaign, its roster, and queueing its texts exactly once.

    campaigns = CampaignStore(make_engine())
    campaign = campaigns.create(notice_id, "Acme closure", message_en, message_es, ["RRACME"], staff_id)
    campaigns.add_roster(campaign.id, roster.members)     # RosterCounts
    campaigns.set_status(campaign.id, "sending")
    campaigns.queue_next(campaign.id, limit=5)             # called by the campaign sender

`queue_next` queues each text (a row in the message log, sent by the outbound sender) and marks
its member queued in one transaction under a lock on the campaign row: however many processes
run the sender, and whatever crashes, a member is queued at most once, and the outbound sender
sends a queued row at most once. People who opted out, before the upload or since, are kept on
the roster and never texted.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from bot.store.models import CAMPAIGN_STATUSES, Campaign, CampaignMember, Message, Seeker, WarnNoticeRow
from bot.store.intake_store import seeker_row
from bot.store.transactions import TransactionalStore
from bot.store.vocabulary import (
    CONSENT_OPTED_OUT,
    DIRECTION_IN,
    OUTBOUND_DELIVERED,
    OUTBOUND_FAILED,
    OUTBOUND_QUEUED,
    OUTBOUND_REFUSED,
    OUTBOUND_SENDING,
    OUTBOUND_SENT,
    OUTBOUND_UNCERTAIN,
    OUTBOUND_UNDELIVERED,
    DIRECTION_OUT,
)
from bot.warn.campaign import campaign_text
from bot.warn.roster import RosterMember

CHANNEL = "twilio"  # rosters are phone numbers
DRAFT, SENDING, PAUSED, DONE = CAMPAIGN_STATUSES
MEMBER_PENDING, MEMBER_QUEUED, MEMBER_SUPPRESSED = "pending", "queued", "suppressed"
# Which status may follow which; "done" is set by queue_next when the roster is exhausted.
_NEXT_STATUSES = {DRAFT: {SENDING}, SENDING: {PAUSED}, PAUSED: {SENDING}, DONE: set()}
MESSAGE_DETAIL = "campaign_id"


class CampaignRefused(ValueError):
    pass


@dataclass(frozen=True)
class CampaignRecord:
    id: int
    notice_id: int
    name: str
    message_en: str
    message_es: str
    event_codes: tuple[str, ...]
    status: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class RosterCounts:
    added: int
    already_on_roster: int
    opted_out: int  # added, but never to be texted


@dataclass(frozen=True)
class CampaignProgress:
    roster: int
    waiting: int  # not queued yet
    suppressed: int  # opted out: never texted
    queued: int  # queued or being sent
    sent: int  # accepted by Twilio, no delivery report yet
    delivered: int
    failed: int  # failed, undelivered, refused at sending, or uncertain
    replied: int
    opted_out_since: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _record(row: Campaign) -> CampaignRecord:
    return CampaignRecord(
        id=row.id, notice_id=row.notice_id, name=row.name, message_en=row.message_en, message_es=row.message_es,
        event_codes=tuple(row.event_codes or ()), status=row.status, created_at=row.created_at,
        started_at=row.started_at, finished_at=row.finished_at,
    )


class CampaignStore(TransactionalStore):
    def create(
        self,
        notice_id: int,
        name: str,
        message_en: str,
        message_es: str,
        event_codes: Sequence[str],
        created_by: int | None,
    ) -> CampaignRecord:
        with self._writing() as session:
            if session.get(WarnNoticeRow, notice_id) is None:
                raise CampaignRefused("no such notice")
            now = self._clock()
            row = Campaign(
                notice_id=notice_id, name=name.strip()[:120] or "Campaign", message_en=message_en, message_es=message_es,
                event_codes=list(dict.fromkeys(event_codes)), status=DRAFT, created_by=created_by,
                created_at=now, updated_at=now,
            )
            session.add(row)
            session.flush()
            return _record(row)

    def get(self, campaign_id: int) -> CampaignRecord | None:
        with self._reading() as session:
            row = session.get(Campaign, campaign_id)
            return _record(row) if row is not None else None

    def for_notice(self, notice_id: int) -> list[CampaignRecord]:
        with self._reading() as session:
            rows = session.execute(
                select(Campaign).where(Campaign.notice_id == notice_id).order_by(Campaign.id)
            ).scalars()
            return [_record(row) for row in rows]

    def sending(self) -> list[CampaignRecord]:
        with self._reading() as session:
            rows = session.execute(select(Campaign).where(Campaign.status == SENDING).order_by(Campaign.id)).scalars()
            return [_record(row) for row in rows]

    def add_roster(self, campaign_id: int, members: Sequence[RosterMember]) -> RosterCounts:
        """Adds the workers not on the roster yet; a campaign that has started takes no more
        (its first texts went out; a second upload would be a second campaign)."""
        added = already = opted_out = 0
        with self._writing() as session:
            campaign = _locked_campaign(session, campaign_id)
            if campaign.status != DRAFT:
                raise CampaignRefused("the roster can change only before sending starts")
            now = self._clock()
            on_roster = set(
                session.execute(select(CampaignMember.seeker_id).where(CampaignMember.campaign_id == campaign_id)).scalars()
            )
            for member in members:
                seeker = seeker_row(session, CHANNEL, member.phone, now)
                if seeker.id in on_roster:
                    already += 1
                    continue
                on_roster.add(seeker.id)
                if seeker.language is None:
                    seeker.language = member.language
                suppressed = seeker.consent_status == CONSENT_OPTED_OUT
                opted_out += suppressed
                session.add(
                    CampaignMember(
                        campaign_id=campaign_id, seeker_id=seeker.id, first_name=member.first_name,
                        language=member.language, status=MEMBER_SUPPRESSED if suppressed else MEMBER_PENDING,
                        created_at=now, updated_at=now,
                    )
                )
                added += 1
            campaign.updated_at = now
        return RosterCounts(added, already, opted_out)

    def set_status(self, campaign_id: int, status: str) -> CampaignRecord:
        with self._writing() as session:
            row = _locked_campaign(session, campaign_id)
            if status not in _NEXT_STATUSES[row.status]:
                raise CampaignRefused(f"a {row.status} campaign cannot become {status}")
            now = self._clock()
            if status == SENDING:
                members = session.execute(
                    select(func.count()).where(CampaignMember.campaign_id == campaign_id)
                ).scalar_one()
                if not members:
                    raise CampaignRefused("upload the roster before sending")
                row.started_at = row.started_at or now
            row.status = status
            row.updated_at = now
            return _record(row)

    def queue_next(self, campaign_id: int, limit: int) -> int:
        """Queues the texts of up to `limit` waiting members of a sending campaign, oldest first;
        returns how many were queued. Marks the campaign done when nobody waits any more."""
        if limit < 1:
            return 0
        with self._writing() as session:
            campaign = _locked_campaign(session, campaign_id)
            if campaign.status != SENDING:
                return 0
            now = self._clock()
            waiting = session.execute(
                select(CampaignMember, Seeker)
                .join(Seeker, Seeker.id == CampaignMember.seeker_id)
                .where(CampaignMember.campaign_id == campaign_id, CampaignMember.status == MEMBER_PENDING)
                .order_by(CampaignMember.id)
                .limit(limit)
            ).all()
            queued = 0
            for member, seeker in waiting:
                member.updated_at = now
                if seeker.consent_status == CONSENT_OPTED_OUT:
                    member.status = MEMBER_SUPPRESSED
                    continue
                language = member.language if member.language in ("en", "es") else "en"
                message = Message(
                    seeker_id=seeker.id, direction=DIRECTION_OUT, channel=seeker.channel, kind="text",
                    text=campaign_text(campaign.message_es if language == "es" else campaign.message_en, language),
                    details={MESSAGE_DETAIL: campaign_id}, language=language, status=OUTBOUND_QUEUED,
                    consent_exempt=False, attempts=0, created_at=now, updated_at=now,
                )
                session.add(message)
                session.flush()
                member.status = MEMBER_QUEUED
                member.message_id = message.id
                queued += 1
            if len(waiting) < limit:
                session.flush()  # a count of columns alone is not an ORM query: nothing flushes for it
                left = session.execute(
                    select(func.count()).where(
                        CampaignMember.campaign_id == campaign_id, CampaignMember.status == MEMBER_PENDING
                    )
                ).scalar_one()
                if not left:
                    campaign.status = DONE
                    campaign.finished_at = now
            campaign.updated_at = now
            return queued

    def progress(self, campaign_id: int) -> CampaignProgress:
        with self._reading() as session:
            by_status = dict(
                session.execute(
                    select(CampaignMember.status, func.count())
                    .where(CampaignMember.campaign_id == campaign_id)
                    .group_by(CampaignMember.status)
                ).all()
            )
            texted = (
                select(CampaignMember.seeker_id, Message.status, Message.created_at, Seeker.consent_status)
                .join(Message, Message.id == CampaignMember.message_id)
                .join(Seeker, Seeker.id == CampaignMember.seeker_id)
                .where(CampaignMember.campaign_id == campaign_id)
            )
            message_statuses: dict[str, int] = {}
            opted_out_since = 0
            for _, status, _, consent in session.execute(texted).all():
                message_statuses[status] = message_statuses.get(status, 0) + 1
                opted_out_since += consent == CONSENT_OPTED_OUT
            reply = Message.__table__.alias("reply")
            replied = session.execute(
                select(func.count(func.distinct(CampaignMember.seeker_id)))
                .join(Message, Message.id == CampaignMember.message_id)
                .join(
                    reply,
                    and_(
                        reply.c.seeker_id == CampaignMember.seeker_id,
                        reply.c.direction == DIRECTION_IN,
                        reply.c.created_at >= Message.created_at,
                    ),
                )
                .where(CampaignMember.campaign_id == campaign_id)
            ).scalar_one()

        def count(*statuses: str) -> int:
            return sum(message_statuses.get(status, 0) for status in statuses)

        return CampaignProgress(
            roster=sum(by_status.values()),
            waiting=by_status.get(MEMBER_PENDING, 0),
            suppressed=by_status.get(MEMBER_SUPPRESSED, 0),
            queued=count(OUTBOUND_QUEUED, OUTBOUND_SENDING),
            sent=count(OUTBOUND_SENT),
            delivered=count(OUTBOUND_DELIVERED),
            failed=count(OUTBOUND_FAILED, OUTBOUND_UNDELIVERED, OUTBOUND_REFUSED, OUTBOUND_UNCERTAIN),
            replied=replied,
            opted_out_since=opted_out_since,
        )

    def latest_membership(self, channel: str, address: str) -> tuple[CampaignRecord, str | None] | None:
        """The newest campaign that texted this person, with the first name on its roster: what
        a reply from them is about."""
        with self._reading() as session:
            found = session.execute(
                select(Campaign, CampaignMember.first_name)
                .join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
                .join(Seeker, Seeker.id == CampaignMember.seeker_id)
                .where(Seeker.channel == channel, Seeker.address == address, CampaignMember.status == MEMBER_QUEUED)
                .order_by(CampaignMember.updated_at.desc(), CampaignMember.id.desc())
                .limit(1)
            ).first()
            return (_record(found[0]), found[1]) if found is not None else None


def _locked_campaign(session: Session, campaign_id: int) -> Campaign:
    row = session.execute(select(Campaign).where(Campaign.id == campaign_id).with_for_update()).scalar_one_or_none()
    if row is None:
        raise CampaignRefused("no such campaign")
    return row
