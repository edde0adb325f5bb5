"""WARN notices in the database: imported from the state's export, or entered by staff.

    notices = WarnStore(make_engine())
    counts = notices.import_notices([notice, ...])   # ImportCounts(imported=..., updated=..., unchanged=...)
    notices.list_notices(NoticeFilter(lwia="7", text="amazon"))

A notice is identified by WarnNotice.key (the state's IEBS id, else employer + address + first
report date): importing the same file again changes nothing, a changed row updates its notice.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select

from bot.store.models import WARN_RESPONSE_STATUSES, WarnNoticeRow
from bot.store.transactions import TransactionalStore
from bot.warn.notices import WarnNotice

ORIGIN_IMPORT = "import"
ORIGIN_STAFF = "staff"
RESPONSE_NEW = "new"
_PAGE_MAX = 500


@dataclass(frozen=True)
class ImportCounts:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class NoticeRecord:
    id: int
    notice: WarnNotice
    origin: str
    response_status: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class NoticeFilter:
    lwia: str | None = None
    reason: str | None = None
    response_status: str | None = None
    text: str | None = None  # in the employer name or the city
    reported_from: date | None = None
    reported_to: date | None = None


def _record(row: WarnNoticeRow) -> NoticeRecord:
    return NoticeRecord(
        id=row.id,
        notice=WarnNotice.from_document(row.details),
        origin=row.origin,
        response_status=row.response_status,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _copy_columns(row: WarnNoticeRow, notice: WarnNotice) -> None:
    row.lwia = notice.lwia
    row.employer = notice.employer[:300]
    row.city = notice.city[:120] if notice.city else None
    row.zip_code = notice.zip_code
    row.reason = notice.reason[:60] if notice.reason else None
    row.expected_layoff = notice.expected_layoff
    row.reported_on = notice.reported_on
    row.details = notice.as_document()


class WarnStore(TransactionalStore):
    def import_notices(self, notices: Iterable[WarnNotice], *, batch_size: int = 500) -> ImportCounts:
        """Stores each notice by its key, in transactions of `batch_size`; a notice seen twice in
        one import counts once, the last one kept."""
        latest = {notice.key: notice for notice in notices}
        imported = updated = unchanged = 0
        keys = list(latest)
        for start in range(0, len(keys), batch_size):
            batch = keys[start : start + batch_size]
            with self._writing() as session:
                now = self._clock()
                existing = {
                    row.notice_key: row
                    for row in session.execute(
                        select(WarnNoticeRow).where(WarnNoticeRow.notice_key.in_(batch))
                    ).scalars()
                }
                for key in batch:
                    notice = latest[key]
                    row = existing.get(key)
                    if row is None:
                        row = WarnNoticeRow(
                            notice_key=key, origin=ORIGIN_IMPORT, response_status=RESPONSE_NEW,
                            created_at=now, updated_at=now,
                        )
                        _copy_columns(row, notice)
                        session.add(row)
                        imported += 1
                    elif WarnNotice.from_document(row.details) == notice:
                        unchanged += 1
                    else:
                        _copy_columns(row, notice)
                        row.updated_at = now
                        updated += 1
        return ImportCounts(imported, updated, unchanged)

    def add_by_hand(self, notice: WarnNotice) -> NoticeRecord:
        """A layoff staff heard of before the state posted it. Raises ValueError if a notice
        with the same key exists."""
        with self._writing() as session:
            taken = session.execute(
                select(WarnNoticeRow.id).where(WarnNoticeRow.notice_key == notice.key)
            ).first()
            if taken is not None:
                raise ValueError("a notice for this employer, address and date exists already")
            now = self._clock()
            row = WarnNoticeRow(
                notice_key=notice.key, origin=ORIGIN_STAFF, response_status=RESPONSE_NEW,
                created_at=now, updated_at=now,
            )
            _copy_columns(row, notice)
            session.add(row)
            session.flush()
            return _record(row)

    def set_response_status(self, notice_id: int, status: str) -> NoticeRecord | None:
        if status not in WARN_RESPONSE_STATUSES:
            raise ValueError(f"response status must be one of {', '.join(WARN_RESPONSE_STATUSES)}")
        with self._writing() as session:
            row = session.get(WarnNoticeRow, notice_id)
            if row is None:
                return None
            if row.response_status != status:
                row.response_status = status
                row.updated_at = self._clock()
            return _record(row)

    def get(self, notice_id: int) -> NoticeRecord | None:
        with self._reading() as session:
            row = session.get(WarnNoticeRow, notice_id)
            return _record(row) if row is not None else None

    def list_notices(self, filters: NoticeFilter = NoticeFilter(), limit: int = 200) -> list[NoticeRecord]:
        """Newest report first."""
        query = select(WarnNoticeRow)
        if filters.lwia:
            query = query.where(WarnNoticeRow.lwia == filters.lwia)
        if filters.reason:
            query = query.where(WarnNoticeRow.reason == filters.reason)
        if filters.response_status:
            query = query.where(WarnNoticeRow.response_status == filters.response_status)
        if filters.reported_from:
            query = query.where(WarnNoticeRow.reported_on >= filters.reported_from)
        if filters.reported_to:
            query = query.where(WarnNoticeRow.reported_on <= filters.reported_to)
        if filters.text and filters.text.strip():
            pattern = f"%{_escaped_like(filters.text.strip().lower())}%"
            query = query.where(
                or_(
                    func.lower(WarnNoticeRow.employer).like(pattern, escape="\\"),
                    func.lower(WarnNoticeRow.city).like(pattern, escape="\\"),
                )
            )
        query = query.order_by(WarnNoticeRow.reported_on.desc().nullslast(), WarnNoticeRow.id.desc())
        with self._reading() as session:
            rows = session.execute(query.limit(min(max(limit, 1), _PAGE_MAX))).scalars()
            return [_record(row) for row in rows]

    def recent_notices(self, since: date, lwia: str | None = None) -> list[NoticeRecord]:
        """Notices first reported on or after `since` (in one area if given), newest first."""
        query = select(WarnNoticeRow).where(WarnNoticeRow.reported_on >= since)
        if lwia is not None:
            query = query.where(WarnNoticeRow.lwia == lwia)
        with self._reading() as session:
            rows = session.execute(query.order_by(WarnNoticeRow.reported_on.desc(), WarnNoticeRow.id.desc())).scalars()
            return [_record(row) for row in rows]

    def count_by_lwia(self) -> dict[str, int]:
        with self._reading() as session:
            rows = session.execute(
                select(WarnNoticeRow.lwia, func.count()).group_by(WarnNoticeRow.lwia)
            ).all()
            return {lwia or "": count for lwia, count in rows}

    def reasons(self) -> Sequence[str]:
        with self._reading() as session:
            rows = session.execute(
                select(WarnNoticeRow.reason).where(WarnNoticeRow.reason.is_not(None)).distinct()
            ).scalars()
            return sorted(rows)


def _escaped_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
