"""HandoffStore and StaffStore on SQLite and PostgreSQL: one open handoff per seeker, claims that
only one person wins, stale claims back to the pool, the SLA stamps, lockout, the audit log."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError

from bot.store import HandoffStore, MessageLog, StaffStore
from bot.store.models import AuditEntry
from bot.store.staff_store import UsernameTaken
from bot.store.vocabulary import HANDOFF_ASSIGNED, HANDOFF_CLOSED, HANDOFF_WAITING, ROLE_ADMIN, ROLE_STAFF

T0 = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)  # a Monday, 9 am in Chicago


@pytest.fixture()
def handoffs(engine: Engine) -> HandoffStore:
    return HandoffStore(engine)


@pytest.fixture()
def staff(engine: Engine) -> StaffStore:
    return StaffStore(engine)


def new_account(staff: StaffStore, role: str = ROLE_STAFF, languages: tuple[str, ...] = ("en",)) -> int:
    return staff.create_account(f"user-{uuid.uuid4().hex[:10]}", "Someone", "hash", role, languages, ["general"]).id


def open_one(handoffs: HandoffStore, address: str, now: datetime = T0, **changes) -> tuple:
    values = dict(reason="asked", language="es", sectors=["healthcare"], team="healthcare", priority=0,
                  summary={"answers": {"zip_code": "60623"}})
    values.update(changes)
    return handoffs.open_handoff("twilio", address, now=now, **values)


def test_opening_twice_keeps_one_place_in_the_queue(handoffs: HandoffStore, address: str) -> None:
    first, first_is_new = open_one(handoffs, address)
    second, second_is_new = open_one(handoffs, address, now=T0 + timedelta(minutes=5), reason="upset")
    assert (first_is_new, second_is_new) == (True, False)
    assert second.id == first.id and second.reason == "asked" and second.created_at == T0
    assert handoffs.open_for("twilio", address).id == first.id
    state = handoffs.open_state("twilio", address)
    assert (state.id, state.reason, state.status) == (first.id, "asked", "waiting")


def test_a_closed_handoff_no_longer_pauses_and_a_new_one_can_open(handoffs: HandoffStore, staff: StaffStore, address: str) -> None:
    record, _ = open_one(handoffs, address)
    worker = new_account(staff)
    closed = handoffs.close(record.id, worker, now=T0 + timedelta(hours=1))
    assert closed.status == HANDOFF_CLOSED and closed.closed_by == worker
    assert handoffs.open_for("twilio", address) is None
    assert handoffs.open_state("twilio", address) is None
    assert handoffs.close(record.id, worker) is None  # closing twice changes nothing
    again, is_new = open_one(handoffs, address, now=T0 + timedelta(hours=2))
    assert is_new and again.id != record.id


def test_only_one_of_two_staff_wins_a_claim(handoffs: HandoffStore, staff: StaffStore, address: str) -> None:
    record, _ = open_one(handoffs, address)
    first, second = new_account(staff), new_account(staff)
    results: dict[int, object] = {}
    barrier = threading.Barrier(2)

    def claim(staff_id: int) -> None:
        barrier.wait()
        results[staff_id] = handoffs.claim(record.id, staff_id, now=T0)

    threads = [threading.Thread(target=claim, args=(who,)) for who in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [who for who, result in results.items() if result is not None]
    assert len(winners) == 1
    current = handoffs.get(record.id)
    assert current.status == HANDOFF_ASSIGNED and current.assignee_id == winners[0]
    assert handoffs.claim(record.id, winners[0]) is not None  # one's own claim again is fine


@pytest.mark.parametrize(
    "replied_after, minutes_later, returns_to_pool",
    [
        (None, 29, False),   # not yet overdue
        (None, 31, True),    # claimed and never answered
        (5, 31, False),      # answered after claiming: the claim holds
    ],
)
def test_stale_claims_return_to_the_pool(
    handoffs: HandoffStore, staff: StaffStore, address: str, replied_after, minutes_later: int, returns_to_pool: bool
) -> None:
    record, _ = open_one(handoffs, address)
    worker = new_account(staff)
    handoffs.claim(record.id, worker, now=T0)
    if replied_after is not None:
        handoffs.record_staff_reply(record.id, worker, now=T0 + timedelta(minutes=replied_after))
    released = handoffs.release_stale_claims(T0 + timedelta(minutes=minutes_later), timedelta(minutes=30))
    assert (record.id in released) is returns_to_pool
    current = handoffs.get(record.id)
    assert current.status == (HANDOFF_WAITING if returns_to_pool else HANDOFF_ASSIGNED)
    assert (current.assignee_id is None) is returns_to_pool


def test_first_reply_stamps_the_sla_once_and_claims_an_unclaimed_handoff(handoffs: HandoffStore, staff: StaffStore, address: str) -> None:
    record, _ = open_one(handoffs, address)
    worker = new_account(staff)
    first = handoffs.record_staff_reply(record.id, worker, now=T0 + timedelta(minutes=12))
    later = handoffs.record_staff_reply(record.id, worker, now=T0 + timedelta(minutes=40))
    assert first.first_response_at == later.first_response_at == T0 + timedelta(minutes=12)
    assert later.first_responder_id == worker and later.status == HANDOFF_ASSIGNED and later.assignee_id == worker


def test_release_only_by_the_assignee(handoffs: HandoffStore, staff: StaffStore, address: str) -> None:
    record, _ = open_one(handoffs, address)
    holder, other = new_account(staff), new_account(staff)
    handoffs.claim(record.id, holder, now=T0)
    assert handoffs.release(record.id, other) is None
    released = handoffs.release(record.id, holder)
    assert released.status == HANDOFF_WAITING and released.assignee_id is None


def test_queue_order_and_filters(handoffs: HandoffStore, staff: StaffStore) -> None:
    team = f"team-{uuid.uuid4().hex[:8]}"
    addresses = [f"+1555{uuid.uuid4().int % 10**11:011d}" for _ in range(4)]
    plain_old, _ = open_one(handoffs, addresses[0], now=T0, team=team, priority=0, language="en")
    plain_new, _ = open_one(handoffs, addresses[1], now=T0 + timedelta(minutes=1), team=team, priority=0, language="es")
    veteran, _ = open_one(handoffs, addresses[2], now=T0 + timedelta(minutes=2), team=team, priority=2, language="en")
    closed, _ = open_one(handoffs, addresses[3], now=T0 - timedelta(hours=1), team=team, priority=5)
    worker = new_account(staff)
    handoffs.close(closed.id, worker)
    handoffs.claim(plain_new.id, worker)

    assert [h.id for h in handoffs.queue(team=team)] == [veteran.id, plain_old.id, plain_new.id]
    assert [h.id for h in handoffs.queue(team=team, unassigned=True)] == [veteran.id, plain_old.id]
    assert [h.id for h in handoffs.queue(team=team, assignee_id=worker)] == [plain_new.id]
    assert [h.id for h in handoffs.queue(team=team, language="en")] == [veteran.id, plain_old.id]
    assert [h.id for h in handoffs.queue(team=team, statuses=(HANDOFF_CLOSED,))] == [closed.id]


def test_queue_knows_when_the_seeker_last_wrote(handoffs: HandoffStore, engine: Engine, address: str) -> None:
    record, _ = open_one(handoffs, address)
    assert handoffs.get(record.id).last_inbound_at is None
    MessageLog(engine).record_inbound("twilio", address, provider_id=f"SM{uuid.uuid4().hex}", kind="text", text="hola")
    latest = handoffs.queue(team="healthcare", language="es")
    mine = [h for h in latest if h.id == record.id][0]
    assert mine.last_inbound_at is not None and mine.last_inbound_at.tzinfo is not None


def test_notes_and_labels(handoffs: HandoffStore, staff: StaffStore, address: str) -> None:
    record, _ = open_one(handoffs, address)
    worker = new_account(staff)
    handoffs.add_note(record.id, worker, "  called back, left voicemail ")
    assert [note.text for note in handoffs.notes(record.id)] == ["called back, left voicemail"]
    with pytest.raises(ValueError):
        handoffs.add_note(record.id, worker, "   ")
    labelled = handoffs.set_labels(record.id, ["Needs Callback", "needs callback", "", "CEJA"])
    assert labelled.labels == ("needs-callback", "ceja")


def test_lockout_after_repeated_failures_and_reset_on_success(staff: StaffStore) -> None:
    account_id = new_account(staff)
    for attempt in range(1, 5):
        account = staff.record_failed_login(account_id, now=T0, lock_after=5)
        assert not account.is_locked(T0), attempt
    locked = staff.record_failed_login(account_id, now=T0, lock_after=5, lock_for=timedelta(minutes=15))
    assert locked.is_locked(T0 + timedelta(minutes=14)) and not locked.is_locked(T0 + timedelta(minutes=16))
    staff.record_successful_login(account_id, now=T0 + timedelta(minutes=20))
    assert staff.get(account_id).failed_logins == 0 and staff.get(account_id).locked_until is None


def test_usernames_are_unique_without_case(staff: StaffStore) -> None:
    name = f"Maria{uuid.uuid4().hex[:6]}"
    staff.create_account(name, "María", "hash", ROLE_ADMIN, ["en", "es"], ["general"])
    assert staff.find_by_username(f"  {name.upper()} ").role == ROLE_ADMIN
    with pytest.raises(UsernameTaken):
        staff.create_account(name.lower(), "Other", "hash", ROLE_STAFF, ["en"], [])


@pytest.mark.parametrize("role, languages", [("owner", ["en"]), (ROLE_STAFF, []), (ROLE_STAFF, ["fr"])])
def test_accounts_refuse_unknown_roles_and_languages(staff: StaffStore, role: str, languages: list[str]) -> None:
    with pytest.raises(ValueError):
        staff.create_account(f"u{uuid.uuid4().hex[:8]}", "X", "hash", role, languages, [])


def test_api_tokens_are_found_by_digest(staff: StaffStore) -> None:
    account_id = new_account(staff)
    digest = uuid.uuid4().hex * 2
    staff.set_api_token_digest(account_id, digest)
    assert staff.find_by_api_token_digest(digest).id == account_id
    staff.set_api_token_digest(account_id, None)
    assert staff.find_by_api_token_digest(digest) is None


def test_audit_log_is_append_only(staff: StaffStore, engine: Engine) -> None:
    account_id = new_account(staff)
    subject = uuid.uuid4().hex[:12]
    staff.audit(account_id, "viewed", "handoff", subject)
    entries = staff.audit_entries(subject_type="handoff", subject_id=subject)
    assert [(entry.staff_id, entry.action) for entry in entries] == [(account_id, "viewed")]
    for change in (update(AuditEntry).values(action="nothing"), delete(AuditEntry)):
        with pytest.raises(DatabaseError):
            with engine.begin() as connection:
                connection.execute(change.where(AuditEntry.subject_id == subject))
    assert len(staff.audit_entries(subject_type="handoff", subject_id=subject)) == 1
