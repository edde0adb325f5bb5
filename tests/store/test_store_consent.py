"""The consent ledger: every notice, opt-out and opt-in appended, never changed."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.store import IntakeStore


def test_ledger_keeps_every_event_in_order(store: IntakeStore, address: str) -> None:
    store.record_consent_notice("twilio", address, "es")
    store.record_opt_out("twilio", address, "BAJA")
    store.record_opt_in("twilio", address, "START")
    store.record_opt_out("twilio", address, "stop")

    history = store.consent_history("twilio", address)

    assert [(event.event, event.keyword) for event in history] == [
        ("notice_shown", None),
        ("opt_out", "BAJA"),
        ("opt_in", "START"),
        ("opt_out", "stop"),
    ]
    assert all(event.channel == "twilio" for event in history)
    assert [event.created_at for event in history] == sorted(e.created_at for e in history)


@pytest.mark.parametrize(
    ("steps", "status"),
    [
        (["notice"], "pending"),
        (["notice", "opt_out"], "opted_out"),
        (["notice", "opt_in"], "granted"),
        (["notice", "opt_out", "opt_in"], "granted"),
        # A notice shown again later must not quietly undo an opt-out.
        (["notice", "opt_out", "notice"], "opted_out"),
        (["opt_out"], "opted_out"),  # STOP as the very first message
    ],
)
def test_consent_status_follows_the_last_decision(
    store: IntakeStore, address: str, steps: list[str], status: str
) -> None:
    actions = {
        "notice": lambda: store.record_consent_notice("twilio", address, "en"),
        "opt_out": lambda: store.record_opt_out("twilio", address, "STOP"),
        "opt_in": lambda: store.record_opt_in("twilio", address, "START"),
    }
    records = [actions[step]() for step in steps]
    assert records[-1].consent_status == status
    seeker = store.find_seeker("twilio", address)
    assert seeker is not None and seeker.consent_status == status
    assert len(store.consent_history("twilio", address)) == len(steps)


@pytest.mark.parametrize(
    ("keyword", "stored"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("  STOP \n", "STOP"),
        ("ya no   quiero", "ya no quiero"),
        ("x" * 200, "x" * 40),  # the ledger keeps the trigger word, not whole messages
    ],
)
def test_keyword_is_tidied_and_cut(
    store: IntakeStore, address: str, keyword: str | None, stored: str | None
) -> None:
    store.record_opt_out("telegram", address, keyword)
    assert store.consent_history("telegram", address)[-1].keyword == stored


def test_unknown_seeker_has_empty_history(store: IntakeStore, address: str) -> None:
    assert store.consent_history("twilio", address) == ()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE consent_events SET event = 'opt_in' WHERE seeker_id = :seeker_id",
        "UPDATE consent_events SET keyword = NULL WHERE seeker_id = :seeker_id",
        "DELETE FROM consent_events WHERE seeker_id = :seeker_id",
    ],
)
def test_database_refuses_to_change_the_ledger(
    store: IntakeStore, engine: Engine, address: str, statement: str
) -> None:
    seeker = store.record_opt_out("twilio", address, "STOP")
    with pytest.raises(IntegrityError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text(statement), {"seeker_id": seeker.id})
    assert [e.event for e in store.consent_history("twilio", address)] == ["opt_out"]


def test_database_refuses_to_empty_the_ledger(
    backend: str, store: IntakeStore, engine: Engine, address: str
) -> None:
    store.record_opt_out("twilio", address, "STOP")
    # TRUNCATE skips row triggers on PostgreSQL; SQLite's unfiltered DELETE is its truncate.
    statement = (
        "TRUNCATE consent_events CASCADE"
        if backend == "postgresql"
        else "DELETE FROM consent_events"
    )
    with pytest.raises(IntegrityError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text(statement))
    assert len(store.consent_history("twilio", address)) == 1
