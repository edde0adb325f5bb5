"""While staff have a conversation (an open handoff) the bot is paused for that person: the
processor keeps their messages from the dialogue (only STOP, START and HELP get through) and the
scheduler holds back reminders and nudges. In-process, against a real SQLite database."""
from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage

from bot.channels import inbound as kinds
from bot.understanding.dialogue_input import HELP, OPT_IN, OPT_OUT, REQUEST_HUMAN
from bot.channels.outbox import Outbox
from bot.channels.processing import InboundProcessor
from bot.channels.scheduler import PAUSED_RECHECK, Scheduler
from bot.store import IntakeStore, MessageLog, make_engine, migrate
from bot.store.handoff_store import HandoffRecord, HandoffStore
from bot.store.staff_store import StaffStore
from tests.hiring_event_stores import HiringEventStores

CHANNEL = "twilio"
PERSON = "+13125550142"
_provider_ids = itertools.count(1)


@dataclass
class Dialogue:
    """Stands in for Rasa: records the text of every turn it is given."""

    turns: list[str] = field(default_factory=list)

    async def __call__(self, message: UserMessage) -> None:
        self.turns.append(message.text)


@dataclass
class World:
    log: MessageLog
    store: IntakeStore
    handoffs: HandoffStore
    events: HiringEventStores
    staff: StaffStore
    dialogue: Dialogue

    in_event_dialogue: bool = False

    def processor(self, *, paused_by_handoffs: bool = True) -> InboundProcessor:
        async def in_event_dialogue(sender_id: str) -> bool:
            return self.in_event_dialogue

        return InboundProcessor(
            self.log,
            self.store,
            Outbox(self.log),
            self.dialogue,
            handoffs=self.handoffs if paused_by_handoffs else None,
            in_event_dialogue=in_event_dialogue,
        )

    def receive(self, text: str, processor: InboundProcessor | None = None, **details: Any) -> Any:
        """Stores one inbound message, processes it, and returns the stored row afterwards."""
        record, _ = self.log.record_inbound(
            CHANNEL, PERSON, provider_id=f"SM{next(_provider_ids)}", kind=kinds.TEXT, text=text, details=details or None
        )
        processor = processor or self.processor()

        async def process() -> None:
            processor.wake(CHANNEL, PERSON)
            await processor.idle()

        asyncio.run(process())
        return self.log.get(record.id)

    def hand_off(self, reason: str = "asked") -> HandoffRecord:
        handoff, _ = self.handoffs.open_handoff(
            CHANNEL, PERSON, reason=reason, language="en", sectors=[], team="general", priority=0, summary={}
        )
        return handoff


@pytest.fixture
def world(tmp_path) -> World:
    url = f"sqlite:///{tmp_path}/pause.db"
    migrate(url)
    engine = make_engine(url)
    return World(
        MessageLog(engine), IntakeStore(engine), HandoffStore(engine), HiringEventStores.on(engine), StaffStore(engine), Dialogue()
    )


@pytest.mark.parametrize(
    "text, reaches_the_dialogue_as",
    [
        ("hello?", None),
        ("60623", None),
        # Asking for a person again before anyone has the conversation: the dialogue tells them
        # they are in line and the wait (the words of it are in tests/conversation/test_handoff.py).
        ("agent", REQUEST_HUMAN),
        ("AGENTE", REQUEST_HUMAN),
        ("agnet", REQUEST_HUMAN),
        ("una persona", REQUEST_HUMAN),
        ("0", REQUEST_HUMAN),
        ("agent please call me at 3", None),  # a message for staff that names them
        ("START", None),  # not opted out: just a word, and words are for staff now
        ("STOP", OPT_OUT),
        ("alto", OPT_OUT),
        ("HELP", HELP),
        ("ayuda", HELP),
        # What the bot still does while the seeker waits: events and their registrations.
        ("EVENTS", "EVENTS"),
        ("any job fairs coming up?", "any job fairs coming up?"),
        ("my events", "my events"),
        ("mis eventos", "mis eventos"),
    ],
)
def test_while_paused_only_carrier_keywords_and_event_requests_reach_the_dialogue(world, text, reaches_the_dialogue_as):
    handoff = world.hand_off()
    stored = world.receive(text)
    assert stored.status == "processed"
    assert stored.details["handoff_id"] == handoff.id  # the staff console shows it either way
    if reaches_the_dialogue_as is None:
        assert world.dialogue.turns == []
        assert "answered_by_bot" not in stored.details
    else:
        assert world.dialogue.turns == [reaches_the_dialogue_as]
        assert stored.details["answered_by_bot"] is True


def test_while_paused_the_replies_of_an_event_dialogue_reach_it(world):
    world.hand_off()
    world.in_event_dialogue = True  # the seeker texted EVENTS meanwhile and is picking one
    world.receive("2")
    world.receive("yes")
    world.in_event_dialogue = False
    world.receive("thanks!")
    assert world.dialogue.turns == ["2", "yes"]


@pytest.mark.parametrize(
    "reason, claimed, paused",
    [
        ("asked", False, True),
        ("asked", True, True),
        # Handoffs the seeker did not ask for wait in the queue while the bot goes on helping,
        # until a staff member claims the conversation.
        ("upset", False, False),
        ("needs_review", False, False),
        ("not_understood", False, False),
        ("needs_review", True, True),
    ],
)
def test_only_a_handoff_the_seeker_asked_for_or_staff_claimed_pauses_the_bot(world, reason, claimed, paused):
    handoff = world.hand_off(reason)
    if claimed:
        staff = world.staff.create_account("lupe", "Lupe", "not-a-real-hash", "staff", ["en"], [])
        assert world.handoffs.claim(handoff.id, staff.id) is not None
    stored = world.receive("hello?")
    assert world.dialogue.turns == ([] if paused else ["hello?"])
    assert stored.details["handoff_id"] == handoff.id


@pytest.mark.parametrize("text", ["agent", "0"])
def test_once_staff_claimed_the_conversation_asking_for_a_person_is_for_them(world, text):
    handoff = world.hand_off()
    staff = world.staff.create_account("lupe", "Lupe", "not-a-real-hash", "staff", ["en"], [])
    assert world.handoffs.claim(handoff.id, staff.id) is not None
    stored = world.receive(text)
    assert world.dialogue.turns == []
    assert stored.details["handoff_id"] == handoff.id


def test_an_opted_out_person_with_staff_can_still_opt_back_in(world):
    world.hand_off()
    world.store.record_opt_out(CHANNEL, PERSON, "STOP")
    world.receive("START")
    assert world.dialogue.turns == [OPT_IN]


def test_a_telegram_start_while_paused_goes_to_staff(world):
    handoff = world.hand_off()
    stored = world.receive("/start", command="start")
    assert world.dialogue.turns == []
    assert stored.details["handoff_id"] == handoff.id


def test_after_staff_close_the_handoff_the_bot_answers_again(world):
    handoff = world.hand_off()
    world.receive("are you there?")
    staff = world.staff.create_account("rosa", "Rosa", "not-a-real-hash", "staff", ["en"], [])
    assert world.handoffs.close(handoff.id, staff.id) is not None
    stored = world.receive("60623")
    assert world.dialogue.turns == ["60623"]
    assert "handoff_id" not in (stored.details or {})


@pytest.mark.parametrize("paused_by_handoffs, turns", [(True, []), (False, ["hello?"])])
def test_the_pause_comes_from_the_handoff_store(world, paused_by_handoffs, turns):
    world.hand_off()
    world.receive("hello?", world.processor(paused_by_handoffs=paused_by_handoffs))
    assert world.dialogue.turns == turns


def test_other_people_are_not_paused(world):
    world.hand_off()
    record, _ = world.log.record_inbound(CHANNEL, "+13125550199", provider_id="SMother", kind=kinds.TEXT, text="hi")
    processor = world.processor()

    async def process() -> None:
        processor.wake(CHANNEL, "+13125550199")
        await processor.idle()

    asyncio.run(process())
    assert world.dialogue.turns == ["hi"]


# --- the scheduler -------------------------------------------------------------------------


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Triggered:
    turns: list[str] = field(default_factory=list)

    async def __call__(self, channel: str, address: str, text: str, metadata: dict[str, Any]) -> None:
        self.turns.append(text)


NOON = datetime(2026, 12, 1, 18, 0, tzinfo=timezone.utc)  # noon in Chicago: no quiet hours


def _scheduler(world: World, clock: Clock, triggered: Triggered) -> Scheduler:
    return Scheduler(world.events.registrations, world.events.scheduled, world.store, Outbox(world.log), triggered, None, clock=clock, handoffs=world.handoffs)


def _planned_nudge(world: World, deadline: timedelta) -> int:
    """A next-day nudge for a screening left unfinished (the seeker was last active a day ago)."""
    world.store.record_consent_notice(CHANNEL, PERSON, "en")
    world.store.save_answers(CHANNEL, PERSON, {"first_name": "Ana"})
    planned = world.events.scheduled.schedule("nudge", CHANNEL, PERSON, NOON, NOON + deadline)
    return planned.id


def _status(world: World, scheduled_id: int) -> tuple[str, datetime]:
    row = world.events.scheduled.get_scheduled(scheduled_id)
    return row.status, row.due_at


@pytest.mark.parametrize(
    "minutes_after_due, deadline, expected_status, due_in",
    [
        (0, timedelta(hours=6), "pending", PAUSED_RECHECK),  # waits, looked at again soon
        (0, timedelta(minutes=2), "pending", timedelta(minutes=2)),  # never past its deadline
        (10, timedelta(minutes=10), "skipped", None),  # the deadline came while paused
    ],
)
def test_nothing_automatic_goes_to_a_person_staff_are_texting(world, minutes_after_due, deadline, expected_status, due_in):
    scheduled_id = _planned_nudge(world, deadline)
    world.hand_off()
    clock = Clock(NOON + timedelta(minutes=minutes_after_due))
    triggered = Triggered()
    asyncio.run(_scheduler(world, clock, triggered).run_due())
    status, due_at = _status(world, scheduled_id)
    assert status == expected_status
    if due_in is not None:
        assert due_at == clock.now + due_in
    assert world.log.latest_outbound(CHANNEL, PERSON) is None
