"""Every timestamp the store returns is timezone-aware UTC, on every backend."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select
from sqlalchemy.engine import Engine

from bot import answers as answer
from bot.store import IntakeStore, make_engine
from bot.store.timestamps import UTCDateTime, utc_now


def _assert_utc(value: datetime | None) -> None:
    assert value is not None
    assert value.tzinfo is not None and value.utcoffset() == timedelta(0)


def test_every_returned_timestamp_is_aware_utc(store: IntakeStore, address: str) -> None:
    before = utc_now()
    store.record_consent_notice("twilio", address, "en")
    store.complete_screening("twilio", address, {answer.AGE: 30}, {"ok": True}, "v1")
    after = utc_now()

    # Read back through fresh sessions, so the values come from the database, not memory.
    seeker = store.find_seeker("twilio", address)
    screening = store.latest_screening("twilio", address)
    events = store.consent_history("twilio", address)
    assert seeker is not None and screening is not None

    stamps = [
        seeker.created_at,
        seeker.updated_at,
        seeker.consent_notice_at,
        screening.started_at,
        screening.updated_at,
        screening.completed_at,
        *(event.created_at for event in events),
    ]
    for stamp in stamps:
        _assert_utc(stamp)
        assert before <= stamp <= after  # type: ignore[operator]


@pytest.mark.parametrize(
    "given",
    [
        datetime(2025, 11, 25, 8, 30, tzinfo=timezone(timedelta(hours=-6))),  # Chicago, CST
        datetime(2025, 7, 4, 9, 0, tzinfo=timezone(timedelta(hours=-5))),  # Chicago, CDT
        datetime(2025, 1, 1, 0, 0, tzinfo=timezone.utc),
        datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    ],
)
def test_utc_column_round_trips_the_instant(db_url: str, given: datetime) -> None:
    table = Table(
        "timestamp_probe",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("at", UTCDateTime()),
    )
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            table.create(connection)
            connection.execute(insert(table).values(id=1, at=given))
            stored = connection.execute(select(table.c.at)).scalar_one()
            table.drop(connection)
    finally:
        engine.dispose()
    _assert_utc(stored)
    assert stored == given  # same instant, now expressed in UTC


def test_naive_datetimes_are_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2025, 1, 1), engine.dialect)
