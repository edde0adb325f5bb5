"""StaffStore: staff accounts (login failures and lockout, API tokens) and the audit log.

Passwords are hashed by the caller (bot.staff.passwords); this store never sees a password. API
tokens are kept as their SHA-256 digest, so a copy of the database gives nobody a working token.
The audit log is append-only (database triggers refuse UPDATE and DELETE).

    staff = StaffStore(make_engine())
    account = staff.create_account("maria", "María G.", hashed, ROLE_STAFF, ["en", "es"], ["healthcare"])
    staff.audit(account.id, "viewed", "handoff", 12)
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import AuditEntry, StaffAccount as StaffAccountRow
from bot.store.transactions import TransactionalStore
from bot.store.vocabulary import AUDIT_ACTION_MAX, LANGUAGES, ROLES, SUBJECT_TYPE_MAX, USERNAME_MAX

DEFAULT_LOCK_AFTER = 5
DEFAULT_LOCK_FOR = timedelta(minutes=15)


@dataclass(frozen=True)
class StaffAccount:
    id: int
    username: str
    display_name: str
    role: str
    languages: tuple[str, ...]
    teams: tuple[str, ...]
    password_hash: str
    failed_logins: int
    locked_until: datetime | None
    disabled: bool
    created_at: datetime
    session_version: int = 1

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


@dataclass(frozen=True)
class AuditRecord:
    id: int
    staff_id: int | None
    action: str
    subject_type: str | None
    subject_id: str | None
    details: dict[str, Any] | None
    created_at: datetime


class UsernameTaken(ValueError):
    pass


class StaffStore(TransactionalStore):
    # --- accounts ------------------------------------------------------------------------

    def create_account(
        self,
        username: str,
        display_name: str,
        password_hash: str,
        role: str,
        languages: Sequence[str],
        teams: Sequence[str],
    ) -> StaffAccount:
        username = normalize_username(username)
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        unknown = [language for language in languages if language not in LANGUAGES]
        if unknown or not languages:
            raise ValueError(f"languages must be some of {', '.join(LANGUAGES)}")
        with self._writing() as session:
            if session.execute(select(StaffAccountRow.id).where(StaffAccountRow.username == username)).first():
                raise UsernameTaken(username)
            now = self._clock()
            row = StaffAccountRow(
                username=username,
                display_name=display_name.strip()[:USERNAME_MAX] or username,
                password_hash=password_hash,
                role=role,
                languages=list(dict.fromkeys(languages)),
                teams=list(dict.fromkeys(teams)),
                failed_logins=0,
                disabled=False,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            return _account(row)

    def find_by_username(self, username: str) -> StaffAccount | None:
        with self._reading() as session:
            row = session.execute(
                select(StaffAccountRow).where(StaffAccountRow.username == normalize_username(username))
            ).scalar_one_or_none()
            return _account(row) if row is not None else None

    def get(self, staff_id: int) -> StaffAccount | None:
        with self._reading() as session:
            row = session.get(StaffAccountRow, staff_id)
            return _account(row) if row is not None else None

    def list_accounts(self) -> list[StaffAccount]:
        with self._reading() as session:
            rows = session.execute(select(StaffAccountRow).order_by(StaffAccountRow.username)).scalars()
            return [_account(row) for row in rows]

    def record_failed_login(
        self,
        staff_id: int,
        now: datetime | None = None,
        lock_after: int = DEFAULT_LOCK_AFTER,
        lock_for: timedelta = DEFAULT_LOCK_FOR,
    ) -> StaffAccount:
        """Counts a wrong password; the `lock_after`-th in a row locks the account for `lock_for`,
        and every further failure while locked extends the lock (guessing never pays)."""
        now = now or self._clock()
        with self._writing() as session:
            row = _locked_row(session, staff_id)
            row.failed_logins += 1
            if row.failed_logins >= lock_after:
                row.locked_until = now + lock_for
            row.updated_at = now
            return _account(row)

    def record_successful_login(self, staff_id: int, now: datetime | None = None) -> None:
        now = now or self._clock()
        with self._writing() as session:
            row = _locked_row(session, staff_id)
            row.failed_logins = 0
            row.locked_until = None
            row.last_login_at = now
            row.updated_at = now

    def set_password_hash(self, staff_id: int, password_hash: str, *, end_sessions: bool = True) -> None:
        """A new password ends the account's sessions, unless it is the same password rehashed."""
        with self._writing() as session:
            row = _locked_row(session, staff_id)
            row.password_hash = password_hash
            row.failed_logins = 0
            row.locked_until = None
            if end_sessions:
                row.session_version = (row.session_version or 1) + 1
            row.updated_at = self._clock()

    def end_sessions(self, staff_id: int) -> int:
        """Every session cookie issued to the account so far stops working; the new version."""
        with self._writing() as session:
            row = _locked_row(session, staff_id)
            row.session_version = (row.session_version or 1) + 1
            row.updated_at = self._clock()
            return row.session_version

    def set_disabled(self, staff_id: int, disabled: bool) -> None:
        with self._writing() as session:
            row = _locked_row(session, staff_id)
            row.disabled = disabled
            row.updated_at = self._clock()

    def set_api_token_digest(self, staff_id: int, digest: str | None) -> None:
        with self._writing() as session:
            row = _locked_row(session, staff_id)
            row.api_token_digest = digest
            row.updated_at = self._clock()

    def find_by_api_token_digest(self, digest: str) -> StaffAccount | None:
        with self._reading() as session:
            row = session.execute(
                select(StaffAccountRow).where(StaffAccountRow.api_token_digest == digest)
            ).scalar_one_or_none()
            return _account(row) if row is not None else None

    # --- audit log -----------------------------------------------------------------------

    def audit(
        self,
        staff_id: int | None,
        action: str,
        subject_type: str | None = None,
        subject_id: int | str | None = None,
        details: Mapping[str, Any] | None = None,
        now: datetime | None = None,
    ) -> None:
        """Records who did what to which seeker, handoff or event. `details` must hold no
        message text or phone number: ids and field names only."""
        if not action or len(action) > AUDIT_ACTION_MAX:
            raise ValueError("audit action must be 1 to %d characters" % AUDIT_ACTION_MAX)
        if subject_type is not None and len(subject_type) > SUBJECT_TYPE_MAX:
            raise ValueError("audit subject type too long")
        with self._writing() as session:
            session.add(
                AuditEntry(
                    staff_id=staff_id,
                    action=action,
                    subject_type=subject_type,
                    subject_id=str(subject_id) if subject_id is not None else None,
                    details=dict(details) if details else None,
                    created_at=now or self._clock(),
                )
            )

    def audit_entries(
        self,
        limit: int = 200,
        subject_type: str | None = None,
        subject_id: int | str | None = None,
        staff_id: int | None = None,
    ) -> list[AuditRecord]:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if subject_type is not None:
            query = query.where(AuditEntry.subject_type == subject_type)
        if subject_id is not None:
            query = query.where(AuditEntry.subject_id == str(subject_id))
        if staff_id is not None:
            query = query.where(AuditEntry.staff_id == staff_id)
        with self._reading() as session:
            return [_audit_record(row) for row in session.execute(query).scalars()]



def normalize_username(username: str) -> str:
    """Usernames are matched without case or surrounding spaces ("Maria " is "maria")."""
    cleaned = (username or "").strip().lower()
    if not cleaned or len(cleaned) > USERNAME_MAX or any(character.isspace() for character in cleaned):
        raise ValueError("a username is 1 to %d characters without spaces" % USERNAME_MAX)
    return cleaned


def _locked_row(session: Session, staff_id: int) -> StaffAccountRow:
    row = session.execute(
        select(StaffAccountRow).where(StaffAccountRow.id == staff_id).with_for_update()
    ).scalar_one_or_none()
    if row is None:
        raise LookupError(f"no staff account {staff_id}")
    return row


def _account(row: StaffAccountRow) -> StaffAccount:
    return StaffAccount(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        languages=tuple(row.languages or ()),
        teams=tuple(row.teams or ()),
        password_hash=row.password_hash,
        failed_logins=row.failed_logins,
        locked_until=row.locked_until,
        disabled=row.disabled,
        created_at=row.created_at,
        session_version=row.session_version or 1,
    )


def _audit_record(row: AuditEntry) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        staff_id=row.staff_id,
        action=row.action,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        details=row.details,
        created_at=row.created_at,
    )
