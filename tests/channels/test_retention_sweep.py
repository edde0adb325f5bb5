"""The scheduler's daily retention sweep (RETENTION_DAYS), with a controllable clock: it erases
the data of people inactive for the period, once a day, and nobody else's."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select, update

from bot.channels.outbox import Outbox
from bot.channels.scheduler import RETENTION_SWEEP_INTERVAL, Scheduler
from bot.store import IntakeStore, MessageLog, make_engine, migrate
from bot.store.erasure import SeekerEraser
from bot.store.models import Message, Seeker
from bot.store.registration_store import RegistrationStore
from bot.store.scheduled_message_store import ScheduledMessageStore
from tests.channels.test_scheduler import QUIET, Clock, Triggered, chicago

PERIOD = timedelta(days=30)


def test_the_sweep_erases_inactive_people_once_a_day(tmp_path):
    url = f"sqlite:///{tmp_path}/retention.db"
    migrate(url)
    engine = make_engine(url)
    store, log = IntakeStore(engine), MessageLog(engine)
    clock = Clock(chicago("2026-12-01 12:00"))
    for address in ("+13125550111", "+13125550112"):
        log.record_inbound("twilio", address, provider_id=f"SM{address}", kind="text", text="hi", status="processed")
    with engine.begin() as connection:
        old = select(Seeker.id).where(Seeker.address == "+13125550111").scalar_subquery()
        connection.execute(update(Message).where(Message.seeker_id == old).values(created_at=clock() - PERIOD - timedelta(days=1)))
        recent = select(Seeker.id).where(Seeker.address == "+13125550112").scalar_subquery()
        connection.execute(update(Message).where(Message.seeker_id == recent).values(created_at=clock() - timedelta(days=2)))
    sweeps: list = []
    eraser = SeekerEraser(engine)

    def retention(cutoff):
        sweeps.append(cutoff)
        return eraser.apply_retention(cutoff)

    scheduler = Scheduler(
        RegistrationStore(engine), ScheduledMessageStore(engine), store, Outbox(log), Triggered(), QUIET, clock=clock, retention=retention, retention_period=PERIOD
    )
    asyncio.run(scheduler.run_due())
    assert log.transcript("twilio", "+13125550111") == ()
    assert log.transcript("twilio", "+13125550112")
    assert sweeps == [clock() - PERIOD]

    clock.now += RETENTION_SWEEP_INTERVAL - timedelta(minutes=1)
    asyncio.run(scheduler.run_due())
    assert len(sweeps) == 1  # not again the same day
    clock.now += timedelta(minutes=2)
    asyncio.run(scheduler.run_due())
    assert len(sweeps) == 2
    engine.dispose()


def test_without_a_period_nothing_is_swept(tmp_path):
    url = f"sqlite:///{tmp_path}/no-retention.db"
    migrate(url)
    engine = make_engine(url)
    called: list = []
    scheduler = Scheduler(
        RegistrationStore(engine), ScheduledMessageStore(engine), IntakeStore(engine), Outbox(MessageLog(engine)), Triggered(), QUIET,
        clock=Clock(chicago("2026-12-01 12:00")), retention=called.append,
    )
    asyncio.run(scheduler.run_due())
    assert called == []
    engine.dispose()
