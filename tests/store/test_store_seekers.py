"""Seekers are found or created by (channel, address); bad input is refused before SQL."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.store import IntakeStore
from bot.store.models import Seeker


def _seeker_rows(engine: Engine, channel: str, address: str) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count())
            .select_from(Seeker)
            .where(Seeker.channel == channel, Seeker.address == address)
        ).scalar_one()


def test_unknown_seeker_is_none(store: IntakeStore, address: str) -> None:
    assert store.find_seeker("twilio", address) is None


def test_consent_notice_creates_then_reuses_the_seeker(
    store: IntakeStore, engine: Engine, address: str
) -> None:
    first = store.record_consent_notice("twilio", address, "en")
    second = store.record_consent_notice("twilio", address, "es")

    assert second.id == first.id
    assert second.language == "es"
    assert second.consent_status == "pending"
    assert second.created_at == first.created_at
    assert first.consent_notice_at is not None and second.consent_notice_at is not None
    assert second.consent_notice_at >= first.consent_notice_at
    assert _seeker_rows(engine, "twilio", address) == 1
    assert store.find_seeker("twilio", address) == second


def test_same_address_on_two_channels_is_two_seekers(store: IntakeStore, address: str) -> None:
    by_sms = store.set_language("twilio", address, "en")
    by_web = store.set_language("rest", address, "es")
    assert by_sms.id != by_web.id
    assert store.find_seeker("twilio", address).language == "en"  # type: ignore[union-attr]


def test_set_language_creates_and_updates(store: IntakeStore, address: str) -> None:
    created = store.set_language("telegram", address, "es")
    assert created.language == "es" and created.consent_status == "pending"
    unchanged = store.set_language("telegram", address, "es")
    assert unchanged.updated_at == created.updated_at
    changed = store.set_language("telegram", address, "en")
    assert changed.language == "en" and changed.updated_at > created.updated_at


def test_seeker_created_by_answers_has_no_language_yet(store: IntakeStore, address: str) -> None:
    store.save_answers("twilio", address, {"zip_code": "60623"})
    seeker = store.find_seeker("twilio", address)
    assert seeker is not None and seeker.language is None


@pytest.mark.parametrize(
    ("given", "stored"),
    [("Twilio", "twilio"), (" telegram ", "telegram"), ("REST", "rest"), ("web-chat", "web-chat")],
)
def test_channel_is_normalized(store: IntakeStore, address: str, given: str, stored: str) -> None:
    assert store.set_language(given, address, "en").channel == stored
    assert store.find_seeker(stored, address) is not None


def test_telegram_chat_id_may_be_an_integer(store: IntakeStore) -> None:
    chat_id = -(uuid.uuid4().int % 10**12)  # group chats have negative ids
    seeker = store.set_language("telegram", chat_id, "es")  # type: ignore[arg-type]
    assert seeker.address == str(chat_id)
    assert store.find_seeker("telegram", str(chat_id)) == seeker


def test_address_is_kept_as_given_except_outer_spaces(store: IntakeStore, address: str) -> None:
    assert store.set_language("twilio", f"  {address}\n", "en").address == address


@pytest.mark.parametrize(
    ("channel", "address", "language"),
    [
        ("twilio", "+15550000000", "fr"),  # only English and Spanish
        ("twilio", "+15550000000", "ES"),
        ("twilio", "+15550000000", ""),
        ("", "+15550000000", "en"),
        ("tw ilio", "+15550000000", "en"),
        ("x" * 33, "+15550000000", "en"),
        ("twilio", "", "en"),
        ("twilio", "   ", "en"),
        ("twilio", "9" * 65, "en"),
        ("twilio", None, "en"),
    ],
)
def test_bad_input_is_refused(
    store: IntakeStore, channel: str, address: str, language: str
) -> None:
    with pytest.raises(ValueError):
        store.record_consent_notice(channel, address, language)


def test_error_messages_never_echo_the_address(store: IntakeStore) -> None:
    secret = "+1" + "7" * 70
    with pytest.raises(ValueError) as raised:
        store.set_language("twilio", secret, "en")
    assert "7777" not in str(raised.value)


def test_records_are_frozen(store: IntakeStore, address: str) -> None:
    seeker = store.set_language("twilio", address, "en")
    with pytest.raises(AttributeError):
        seeker.language = "es"  # type: ignore[misc]
