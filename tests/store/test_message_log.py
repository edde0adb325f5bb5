"""The message log as a queue both ways, on SQLite and PostgreSQL."""
from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest

from sqlalchemy import text as sql

from bot.store import IntakeStore, MessageLog
from bot.store.timestamps import utc_now
from tests.postgres import wait_until_a_statement_waits_for_a_lock


@pytest.fixture()
def log(engine) -> MessageLog:
    return MessageLog(engine)


def _sid() -> str:
    return "SM" + uuid.uuid4().hex


def test_a_redelivered_message_is_stored_once(log: MessageLog, address: str) -> None:
    sid = _sid()
    first, first_is_new = log.record_inbound("twilio", address, provider_id=sid, kind="text", text="hola")
    again, again_is_new = log.record_inbound("twilio", address, provider_id=sid, kind="text", text="hola")
    assert (first_is_new, again_is_new) == (True, False)
    assert again.id == first.id
    assert [m.text for m in log.transcript("twilio", address)] == ["hola"]


def test_concurrent_redeliveries_store_one_row(log: MessageLog, address: str) -> None:
    sid = _sid()
    outcomes: list[bool] = []
    barrier = threading.Barrier(6)

    def deliver() -> None:
        barrier.wait()
        outcomes.append(log.record_inbound("twilio", address, provider_id=sid, kind="text", text="hi")[1])

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False] * 5 + [True]
    assert len(log.transcript("twilio", address)) == 1


def test_the_same_provider_id_on_another_channel_is_another_message(log: MessageLog, address: str) -> None:
    update_id = str(uuid.uuid4().int % 10**9)
    log.record_inbound("telegram", address, provider_id=update_id, kind="text", text="a")
    _, is_new = log.record_inbound("twilio", address, provider_id=update_id, kind="text", text="b")
    assert is_new


def test_inbound_is_handed_out_oldest_first_and_finished_once(log: MessageLog, address: str) -> None:
    for text in ("one", "two"):
        log.record_inbound("twilio", address, provider_id=_sid(), kind="text", text=text)
    assert ("twilio", address) in log.people_with_waiting_inbound()
    first = log.next_inbound("twilio", address)
    assert first.text == "one" and first.status == "received"  # as found, before this claim
    log.finish_inbound(first.id)
    second = log.next_inbound("twilio", address)
    assert second.text == "two"
    log.finish_inbound(second.id)
    assert log.next_inbound("twilio", address) is None
    assert ("twilio", address) not in log.people_with_waiting_inbound()


def test_a_message_left_processing_by_a_crash_is_handed_out_again(log: MessageLog, address: str) -> None:
    log.record_inbound("twilio", address, provider_id=_sid(), kind="text", text="lost?")
    claimed = log.next_inbound("twilio", address)
    # The process dies here; at start the message is still waiting.
    assert ("twilio", address) in log.people_with_waiting_inbound()
    again = log.next_inbound("twilio", address)
    assert again.id == claimed.id
    assert again.status == "processing"  # tells the caller an earlier attempt started it


def test_throttled_messages_are_kept_but_never_handed_out(log: MessageLog, address: str) -> None:
    log.record_inbound("twilio", address, provider_id=_sid(), kind="text", text="spam", status="throttled")
    assert log.next_inbound("twilio", address) is None
    assert [m.status for m in log.transcript("twilio", address)] == ["throttled"]


def _claims_for(log: MessageLog, address: str, now=None):
    # The database is shared by the module's tests: claim every person's due text, so other tests'
    # queued texts cannot fill a pass before this one's (the default pass takes 50 people).
    return [claim for claim in log.claim_due(now, limit=100_000) if claim.message.address == address]


def test_outbound_goes_one_at_a_time_per_person_in_order(log: MessageLog, address: str) -> None:
    first = log.enqueue("twilio", address, "first")
    second = log.enqueue("twilio", address, "second")
    claims = _claims_for(log, address)
    assert [claim.message.id for claim in claims] == [first.id]
    assert _claims_for(log, address) == []  # the first is in flight
    log.mark_sent(first.id, _sid())
    assert [claim.message.id for claim in _claims_for(log, address)] == [second.id]


def test_a_message_waiting_for_its_retry_holds_back_the_next(log: MessageLog, address: str) -> None:
    first = log.enqueue("twilio", address, "first")
    log.enqueue("twilio", address, "second")
    _claims_for(log, address)
    now = utc_now()
    log.mark_retry(first.id, "500", now + timedelta(seconds=30))
    assert _claims_for(log, address, now) == []
    retried = _claims_for(log, address, now + timedelta(seconds=31))
    assert [claim.message.id for claim in retried] == [first.id]
    assert retried[0].message.attempts == 2


def test_claims_report_an_opted_out_recipient(log: MessageLog, engine, address: str) -> None:
    IntakeStore(engine).record_opt_out("twilio", address, "STOP")
    log.enqueue("twilio", address, "anything")
    (claim,) = _claims_for(log, address)
    assert claim.recipient_opted_out


def test_a_crash_while_sending_leaves_the_message_uncertain_never_resent(log: MessageLog, address: str) -> None:
    message = log.enqueue("twilio", address, "maybe sent")
    _claims_for(log, address)
    assert log.recover_after_crash() >= 1
    assert log.get(message.id).status == "uncertain"
    assert _claims_for(log, address) == []


@pytest.mark.parametrize(
    "reports, final",
    [
        (["sent", "delivered"], "delivered"),
        (["delivered", "sent"], "delivered"),  # out of order: never back to an earlier stage
        (["sent", "undelivered"], "undelivered"),
        (["failed", "sent"], "failed"),
        (["sent", "receiving"], "sent"),  # a status we do not track changes nothing
    ],
)
def test_delivery_reports_only_move_forward(log: MessageLog, address: str, reports, final) -> None:
    message = log.enqueue("twilio", address, "hello")
    _claims_for(log, address)
    sid = _sid()
    log.mark_sent(message.id, sid)
    for report in reports:
        log.record_delivery("twilio", sid, report)
    assert log.get(message.id).status == final


def test_a_delivery_report_returns_the_message_as_changed_and_keeps_its_error_code(log: MessageLog, address: str) -> None:
    message = log.enqueue("twilio", address, "hello")
    _claims_for(log, address)
    sid = _sid()
    log.mark_sent(message.id, sid)
    reported = log.record_delivery("twilio", sid, "undelivered", "30003")
    assert (reported.id, reported.address, reported.status, reported.error_code) == (message.id, address, "undelivered", "30003")
    # A late report that moves nothing back still records the code it brings; none keeps the last.
    log.record_delivery("twilio", sid, "sent", "30005")
    log.record_delivery("twilio", sid, "sent")
    stored = log.get(message.id)
    assert (stored.status, stored.error_code) == ("undelivered", "30005")


def test_a_delivery_report_for_an_unknown_message_is_ignored(log: MessageLog) -> None:
    assert log.record_delivery("twilio", _sid(), "delivered") is None


def test_buttons_and_details_round_trip(log: MessageLog, address: str) -> None:
    buttons = [{"title": "Sí", "payload": "1"}, {"title": "No", "payload": "2"}]
    log.enqueue("telegram", address, "¿Listo?", buttons=buttons, language="es")
    latest = log.latest_outbound("telegram", address)
    assert latest.buttons == buttons and latest.language == "es"
    log.record_inbound(
        "twilio", address, provider_id=_sid(), kind="media", text="", details={"media": [{"url": "https://x/1"}]}
    )
    assert log.latest_inbound("twilio", address).details == {"media": [{"url": "https://x/1"}]}


# --- the one-statement paths of a turn (issue 14) ---------------------------------------------


def _seeker_id(log: MessageLog, address: str) -> int:
    record, _ = log.record_inbound("twilio", address, provider_id=_sid(), kind="text", text="hi")
    log.finish_inbound(record.id)
    return record.seeker_id


def test_a_first_message_creates_its_seeker_and_takes_the_seekers_language(log: MessageLog, engine, address: str) -> None:
    first, is_new = log.record_inbound("twilio", address, provider_id=_sid(), kind="text", text="hola")
    assert is_new and first.language is None and first.address == address
    IntakeStore(engine).set_language("twilio", address, "es")
    second, _ = log.record_inbound("twilio", address, provider_id=_sid(), kind="text", text="otra")
    assert second.seeker_id == first.seeker_id and second.language == "es"


def test_a_redelivery_earlier_in_the_same_batch_is_reported_as_one(log: MessageLog, address: str) -> None:
    from bot.store import InboundToRecord

    sid = _sid()
    message = InboundToRecord("twilio", address, sid, "text", "twice")
    (first, first_new), (again, again_new) = log.record_inbound_many([message, message])
    assert (first_new, again_new) == (True, False) and again.id == first.id


def test_a_claim_says_whether_more_messages_wait_behind_it(log: MessageLog, address: str) -> None:
    for text in ("one", "two"):
        log.record_inbound("twilio", address, provider_id=_sid(), kind="text", text=text)
    first = log.claim_next_inbound("twilio", address)
    assert first.message.text == "one" and first.more_waiting
    log.finish_inbound(first.message.id)
    second = log.claim_next_inbound("twilio", address)
    assert second.message.text == "two" and not second.more_waiting


def test_a_claim_of_a_message_claimed_before_says_so_every_time(log: MessageLog, address: str) -> None:
    log.record_inbound("twilio", address, provider_id=_sid(), kind="text", text="lost twice?")
    statuses = [log.next_inbound("twilio", address).status for _ in range(3)]
    assert statuses == ["received", "processing", "processing"]


def test_the_replies_of_a_turn_are_queued_with_the_processed_mark(log: MessageLog, engine, address: str) -> None:
    from bot.store import OutboundToQueue

    IntakeStore(engine).set_language("twilio", address, "es")
    inbound, _ = log.record_inbound("twilio", address, provider_id=_sid(), kind="text", text="hola")
    replies = [
        OutboundToQueue("twilio", address, "uno", buttons=[{"title": "Sí", "payload": "/affirm"}], in_reply_to=inbound.id),
        OutboundToQueue("twilio", address, "two", language="en", details={"To": "+13125550000"}, consent_exempt=True),
    ]
    log.finish_inbound(inbound.id, replies=replies)
    rows = log.transcript("twilio", address)
    assert [(m.direction, m.status) for m in rows] == [("in", "processed"), ("out", "queued"), ("out", "queued")]
    first, second = rows[1:]
    assert (first.language, first.buttons, first.in_reply_to, first.consent_exempt) == (
        "es", [{"title": "Sí", "payload": "/affirm"}], inbound.id, False
    )
    assert (second.language, second.details, second.consent_exempt) == ("en", {"To": "+13125550000"}, True)


def test_a_reply_to_someone_with_no_seeker_row_creates_it(log: MessageLog, engine, address: str) -> None:
    from bot.store import OutboundToQueue

    other = address + "9"
    inbound, _ = log.record_inbound("twilio", address, provider_id=_sid(), kind="text", text="hi")
    log.finish_inbound(inbound.id, replies=[OutboundToQueue("twilio", other, "to a stranger")])
    assert [m.text for m in log.transcript("twilio", other)] == ["to a stranger"]


def test_one_persons_replies_are_claimed_one_at_a_time_in_order(log: MessageLog, address: str) -> None:
    seeker_id = _seeker_id(log, address)
    first = log.enqueue("twilio", address, "first")
    second = log.enqueue("twilio", address, "second")
    claim = log.claim_next_of(seeker_id)
    assert claim.message.id == first.id and claim.message.status == "sending" and claim.message.attempts == 1
    assert claim.message.address == address and not claim.recipient_opted_out
    assert log.claim_next_of(seeker_id) is None  # the first is in flight
    assert _claims_for(log, address) == []  # and no look over the queue takes the second either
    log.mark_sent(first.id, _sid())
    assert log.claim_next_of(seeker_id).message.id == second.id
    log.mark_sent(second.id, _sid())
    assert log.claim_next_of(seeker_id) is None  # nothing left


def test_a_reply_waiting_for_its_retry_is_not_claimed_before_its_time(log: MessageLog, address: str) -> None:
    seeker_id = _seeker_id(log, address)
    first = log.enqueue("twilio", address, "first")
    log.enqueue("twilio", address, "second")
    now = utc_now()
    log.claim_next_of(seeker_id, now)
    log.mark_retry(first.id, "500", now + timedelta(seconds=30))
    assert log.claim_next_of(seeker_id, now) is None  # nor is the second sent before it
    retried = log.claim_next_of(seeker_id, now + timedelta(seconds=31))
    assert retried.message.id == first.id and retried.message.attempts == 2


def test_a_claim_for_one_person_reports_an_opt_out(log: MessageLog, engine, address: str) -> None:
    seeker_id = _seeker_id(log, address)
    IntakeStore(engine).record_opt_out("twilio", address, "STOP")
    log.enqueue("twilio", address, "anything")
    assert log.claim_next_of(seeker_id).recipient_opted_out


def test_a_look_over_the_queue_notes_whom_it_held_back(log: MessageLog, address: str) -> None:
    seeker_id = _seeker_id(log, address)
    log.enqueue("twilio", address, "first")
    log.enqueue("twilio", address, "second")
    log.claim_next_of(seeker_id)
    due = log.claim_due_noting_held_back(limit=100_000)
    assert seeker_id in due.held_back and all(c.message.seeker_id != seeker_id for c in due.claims)


def test_concurrent_claims_of_one_persons_replies_hand_each_out_once(log: MessageLog, address: str) -> None:
    seeker_id = _seeker_id(log, address)
    queued = [log.enqueue("twilio", address, f"reply {n}").id for n in range(3)]
    claimed: list[int] = []
    barrier = threading.Barrier(6)

    def claim() -> None:
        barrier.wait()
        found = log.claim_next_of(seeker_id)
        if found is not None:
            claimed.append(found.message.id)

    threads = [threading.Thread(target=claim) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert claimed == [queued[0]]  # one in flight per person, whoever asked


@pytest.mark.parametrize("claiming", ["one person's", "a look over the queue"])
def test_a_claim_that_lost_the_race_for_a_reply_takes_nothing(backend, log: MessageLog, engine, address, claiming):
    """No lock around the claims: a claim that aimed at a reply another sender claimed meanwhile
    (PostgreSQL re-checks the row once that sender commits) takes neither it nor the next one."""
    if backend != "postgresql":
        pytest.skip("one SQLite writer at a time: claims never overlap")
    seeker_id = _seeker_id(log, address)
    first = log.enqueue("twilio", address, "first")
    log.enqueue("twilio", address, "second")
    result: list[list[int]] = []

    def claim() -> None:
        if claiming == "one person's":
            found = log.claim_next_of(seeker_id)
            result.append([found.message.id] if found is not None else [])
        else:
            result.append([c.message.id for c in log.claim_due(limit=100_000) if c.message.seeker_id == seeker_id])

    with engine.connect() as connection:
        other_sender = connection.begin()
        connection.execute(
            sql("UPDATE messages SET status = 'sending', attempts = 1 WHERE id = :id"), {"id": first.id}
        )
        claiming_thread = threading.Thread(target=claim)
        claiming_thread.start()
        wait_until_a_statement_waits_for_a_lock(engine, "%UPDATE messages SET status%")
        other_sender.commit()
        claiming_thread.join()
    assert result == [[]]
    assert log.get(first.id).attempts == 1
