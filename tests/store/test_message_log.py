"""The message log as a queue both ways, on SQLite and PostgreSQL."""
from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest

from bot.store import IntakeStore, MessageLog
from bot.store.timestamps import utc_now


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
