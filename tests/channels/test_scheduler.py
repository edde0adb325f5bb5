"""The scheduler with a controllable clock, in-process against a real SQLite database: reminders
wait through quiet hours or are skipped, never sent late at night, never twice, not lost across a
restart; the next-day nudge; opted-out people get nothing."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.channels.outbox import Outbox
from bot.channels.scheduler import Scheduler
from bot.hiring_events.model import Event
from bot.hiring_events.schedule import reminder_plan
from bot.scheduling.quiet_hours import QuietHours
from bot.store import IntakeStore, MessageLog, make_engine, migrate
from tests.hiring_event_stores import HiringEventStores

CHICAGO = ZoneInfo("America/Chicago")
QUIET = QuietHours(time(21, 0), time(8, 0))


def chicago(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHICAGO)


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now.astimezone(timezone.utc)


@dataclass
class Triggered:
    """Stands in for the dialogue: records each turn the scheduler starts."""

    turns: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list)

    async def __call__(self, channel: str, address: str, text: str, metadata: dict[str, Any]) -> None:
        self.turns.append((channel, address, text, metadata))


@dataclass
class World:
    events: HiringEventStores
    store: IntakeStore
    log: MessageLog
    clock: Clock
    triggered: Triggered

    def scheduler(self) -> Scheduler:
        """A fresh scheduler over the same database: what a restarted process builds."""
        return Scheduler(self.events.registrations, self.events.scheduled, self.store, Outbox(self.log), self.triggered, QUIET, clock=self.clock)

    def run(self, scheduler: Scheduler | None = None) -> int:
        return asyncio.run((scheduler or self.scheduler()).run_due())


@pytest.fixture
def world(tmp_path) -> World:
    url = f"sqlite:///{tmp_path}/scheduler.db"
    migrate(url)
    engine = make_engine(url)
    # One clock for the scheduler and every store, as the running process wires them.
    clock = Clock(chicago("2026-12-01 12:00"))
    return World(
        HiringEventStores.on(engine, clock=clock), IntakeStore(engine, clock=clock), MessageLog(engine, clock=clock), clock, Triggered()
    )


def _event(world: World, starts: str, hours: int = 4) -> Event:
    start = chicago(starts)
    event = Event(
        code=f"E{abs(hash(starts)) % 10_000}",
        name={"en": "Hiring Day", "es": "Feria"},
        sectors=("hospitality",),
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        venue="Hall",
        address="1 Example St",
        capacity=10,
    )
    world.events.catalog.upsert_event(event)
    return event


def _register(world: World, event: Event, address: str = "+13125550101") -> int:
    outcome = world.events.registrations.register(event.code, "twilio", address, {}, world.clock())
    registration = outcome.registration
    for planned in reminder_plan(event, world.clock()):
        world.events.scheduled.schedule(planned.kind, "twilio", address, planned.due_at, planned.deadline, registration.id)
    return registration.id


def _statuses(world: World, registration_id: int) -> dict[str, str]:
    return {row.kind: row.status for row in world.events.scheduled.scheduled_for_registration(registration_id)}


def test_each_reminder_goes_out_once_when_due_and_not_before(world):
    event = _event(world, "2026-12-10 10:00")
    registration_id = _register(world, event)
    world.clock.now = chicago("2026-12-08 09:59")
    world.run()
    assert world.triggered.turns == []
    world.clock.now = chicago("2026-12-08 10:00")  # two days before
    world.run()
    world.run()  # a second pass sends nothing again
    assert [turn[2] for turn in world.triggered.turns] == ["/event_reminder"]
    assert world.triggered.turns[0][3] == {"registration_id": registration_id, "scheduled": "reminder_2d"}
    assert _statuses(world, registration_id)["reminder_2d"] == "sent"


@pytest.mark.parametrize(
    "starts, run_at, expected",
    [
        # The 2-hours-before reminder of a 9am event falls at 7am, in quiet hours: it waits
        # until 8am, still before the start.
        ("2026-12-10 09:00", "2026-12-10 07:00", "waits until 08:00"),
        # A 7:30am event's reminder would only be allowed at 8, after the start: skipped.
        ("2026-12-10 07:30", "2026-12-10 05:30", "skipped: quiet_until_deadline"),
        # Due at 9:30pm for a 11:30pm event: quiet until 8am, after the start: skipped.
        ("2026-12-10 23:30", "2026-12-10 21:30", "skipped: quiet_until_deadline"),
    ],
)
def test_quiet_hours_delay_a_reminder_or_skip_it_but_never_send_it_at_night(world, starts, run_at, expected):
    event = _event(world, starts)
    world.clock.now = chicago(run_at) - timedelta(days=3)
    registration_id = _register(world, event)
    world.clock.now = chicago(run_at)
    world.run()
    sent_at_night = [turn for turn in world.triggered.turns if turn[3]["scheduled"] == "reminder_2h"]
    assert sent_at_night == []
    (row,) = [r for r in world.events.scheduled.scheduled_for_registration(registration_id) if r.kind == "reminder_2h"]
    if expected.startswith("waits"):
        assert row.status == "pending"
        assert row.due_at.astimezone(CHICAGO).strftime("%H:%M") == "08:00"
        world.clock.now = row.due_at
        world.run()
        assert [t[3]["scheduled"] for t in world.triggered.turns].count("reminder_2h") == 1
    else:
        assert (row.status, row.skip_reason) == ("skipped", expected.split(": ")[1])


def test_a_restart_loses_no_reminder_and_sends_none_twice(world):
    event = _event(world, "2026-12-10 10:00")
    registration_id = _register(world, event)
    # The process dies after claiming the 2-day reminder, before sending it.
    world.clock.now = chicago("2026-12-08 10:00")
    claims = world.events.scheduled.claim_due(world.clock())
    assert [claim.message.kind for claim in claims] == ["reminder_2d"]
    restarted = world.scheduler()
    asyncio.run(restarted.recover())
    world.run(restarted)
    assert world.triggered.turns == []  # the half-sent one is skipped, not sent a second time
    assert _statuses(world, registration_id)["reminder_2d"] == "skipped"
    # The next reminder, still pending in the database, goes out after the restart.
    world.clock.now = chicago("2026-12-10 08:00")
    world.run(restarted)
    assert [turn[3]["scheduled"] for turn in world.triggered.turns] == ["reminder_2h"]


def test_an_opted_out_person_gets_no_reminder(world):
    event = _event(world, "2026-12-10 10:00")
    registration_id = _register(world, event)
    world.store.record_opt_out("twilio", "+13125550101", "STOP")
    world.clock.now = chicago("2026-12-08 10:00")
    world.run()
    assert world.triggered.turns == []
    assert _statuses(world, registration_id)["reminder_2d"] == "skipped"


def test_a_cancelled_registration_gets_no_reminder(world):
    event = _event(world, "2026-12-10 10:00")
    registration_id = _register(world, event)
    world.events.registrations.cancel(registration_id, world.clock())
    world.clock.now = chicago("2026-12-10 09:00")
    world.run()
    assert world.triggered.turns == []


def test_the_follow_up_goes_out_the_morning_after(world):
    event = _event(world, "2026-12-10 10:00")
    registration_id = _register(world, event)
    world.clock.now = chicago("2026-12-11 10:00")
    world.run()
    kinds = [turn[3]["scheduled"] for turn in world.triggered.turns]
    assert "followup" in kinds
    assert world.triggered.turns[-1][2] == "/event_followup"
    assert _statuses(world, registration_id)["followup"] == "sent"


def _start_screening(world: World, address: str) -> None:
    world.store.record_consent_notice("twilio", address, "es")
    world.store.save_answers("twilio", address, {"first_name": "Ana"})


def test_a_seeker_who_stopped_halfway_gets_one_nudge_the_next_day(world):
    address = "+13125550155"
    _start_screening(world, address)
    world.events.scheduled.schedule("nudge", "twilio", address, world.clock() + timedelta(hours=24), world.clock() + timedelta(hours=48))
    world.clock.now = world.clock.now + timedelta(hours=25)
    world.run()
    world.run()
    (nudge,) = [m for m in world.log.transcript("twilio", address) if m.direction == "out"]
    assert "Responde para seguir" in nudge.text  # in the seeker's language
    assert world.events.scheduled.schedule("nudge", "twilio", address, world.clock(), world.clock() + timedelta(hours=1)).status == "sent"


def test_no_nudge_for_a_finished_screening(world):
    address = "+13125550156"
    _start_screening(world, address)
    world.store.complete_screening("twilio", address, {"first_name": "Ana"}, {}, "test")
    world.events.scheduled.schedule("nudge", "twilio", address, world.clock() + timedelta(hours=24), world.clock() + timedelta(hours=48))
    world.clock.now = world.clock.now + timedelta(hours=25)
    world.run()
    assert [m for m in world.log.transcript("twilio", address) if m.direction == "out"] == []


def test_a_reminder_whose_turn_failed_is_tried_again_later_and_sent_once(world):
    """The action server failed during the reminder's turn (bot/turn_recording.py): not marked
    sent, not skipped, but tried again a minute later."""
    from bot.channels.scheduler import TURN_RETRY_DELAY
    from bot.turn_recording import TurnNotRecorded

    event = _event(world, "2026-12-10 10:00")
    registration_id = _register(world, event)
    failing = {"left": 1}
    original = world.triggered.__call__

    async def trigger(channel, address, text, metadata):
        if failing["left"]:
            failing["left"] -= 1
            raise TurnNotRecorded("action server: answered 500")
        await original(channel, address, text, metadata)

    scheduler = Scheduler(
        world.events.registrations, world.events.scheduled, world.store, Outbox(world.log), trigger, QUIET, clock=world.clock
    )
    world.clock.now = chicago("2026-12-08 10:00")
    world.run(scheduler)
    assert world.triggered.turns == []
    assert _statuses(world, registration_id)["reminder_2d"] == "pending"
    world.run(scheduler)  # not due again yet
    assert world.triggered.turns == []
    world.clock.now += TURN_RETRY_DELAY
    world.run(scheduler)
    world.run(scheduler)
    assert [turn[2] for turn in world.triggered.turns] == ["/event_reminder"]
    assert _statuses(world, registration_id)["reminder_2d"] == "sent"
