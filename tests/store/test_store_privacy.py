"""Logs name a seeker by a short keyed hash, never by phone number, chat id or answers."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot import answers as answer
from bot.store import IntakeStore, address_digest
from bot.store.models import Seeker
from bot.store.timestamps import utc_now


def test_digest_is_short_stable_and_hides_the_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORE_LOG_KEY", raising=False)
    digest = address_digest("twilio", "+13125550100")
    assert len(digest) == 10
    assert "3125550100" not in digest
    assert digest == address_digest("twilio", "+13125550100")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("twilio", "+13125550100"), ("twilio", "+13125550101")),
        (("twilio", "+13125550100"), ("telegram", "+13125550100")),
    ],
)
def test_different_seekers_get_different_digests(
    first: tuple[str, str], second: tuple[str, str]
) -> None:
    assert address_digest(*first) != address_digest(*second)


def test_digest_key_can_be_set_so_restarts_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORE_LOG_KEY", "one key")
    with_one = address_digest("twilio", "+13125550100")
    monkeypatch.setenv("STORE_LOG_KEY", "another key")
    assert address_digest("twilio", "+13125550100") != with_one


def test_store_logs_carry_no_personal_data(
    store: IntakeStore, address: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store.record_consent_notice("twilio", address, "es")
    store.save_answers(
        "twilio", address, {answer.FIRST_NAME: "Guadalupe", answer.ZIP_CODE: "60623"}
    )
    store.record_opt_out("twilio", address, "BAJA")
    store.record_opt_in("twilio", address, "ALTA")

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert address_digest("twilio", address) in logged  # the store does log these events
    for secret in (address, address[2:], "Guadalupe", "60623", "BAJA"):
        assert secret not in logged


def test_sql_errors_do_not_show_bound_parameters(engine: Engine, address: str) -> None:
    now = utc_now()
    with pytest.raises(IntegrityError) as raised:
        with engine.begin() as connection:
            connection.execute(
                insert(Seeker).values(
                    channel="twilio",
                    address=address,
                    language="xx",  # refused by the language check
                    consent_status="pending",
                    created_at=now,
                    updated_at=now,
                )
            )
    assert "parameters hidden" in str(raised.value)
