"""A turn Rasa cannot record fails, and its message is run again later, whole, instead of being
answered and forgotten: Rasa's FailSafeTrackerStore is told to raise, a turn whose action server
call failed is not saved, and the inbound processor leaves such a message unprocessed with none
of its replies queued."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from aiohttp import web
from rasa.core.agent import Agent
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import create_engine, text

from bot import channel_replies as replies
from bot import turn_recording
from bot.channels.outbox import Outbox
from bot.channels.processing import InboundProcessor
from bot.cli.harness import free_port, new_test_phone_number
from bot.cli.settings import tracker_store_config
from bot.store import IntakeStore, MessageLog, make_engine, migrate
from bot.store.vocabulary import INBOUND_PROCESSED, INBOUND_PROCESSING
from bot.tracker_store import IntakeTrackerStore
from bot.turn_recording import TurnNotRecorded, begin_turn


@pytest.fixture(scope="module", autouse=True)
def rasa_patched_as_in_the_rasa_server() -> None:
    turn_recording.install()


def _tracker_store(tmp_path, cache_trackers: bool) -> IntakeTrackerStore:
    config = tracker_store_config(f"sqlite:///{tmp_path / 'tracker.db'}", cache_trackers=cache_trackers)
    config.pop("type")
    return IntakeTrackerStore(Domain.empty(), **config)


def _tracker(sender: str, *texts: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [UserUttered(t, message_id=str(i)) for i, t in enumerate(texts)])


@pytest.mark.parametrize("cache_trackers", [False, True])
def test_a_failed_save_raises_instead_of_falling_back_to_memory(tmp_path, cache_trackers):
    store = Agent._create_tracker_store(_tracker_store(tmp_path, cache_trackers), Domain.empty())
    asyncio.run(store.save(_tracker("seeker", "hi")))
    # The database loses its table under the store: a real failure of the real store.
    with create_engine(f"sqlite:///{tmp_path / 'tracker.db'}").begin() as connection:
        connection.execute(text("DROP TABLE events"))

    with pytest.raises(TurnNotRecorded):
        asyncio.run(store.save(_tracker("seeker", "hi", "Rosa")))
    with pytest.raises(TurnNotRecorded):
        asyncio.run(store.retrieve("someone else"))  # not a fresh conversation from nothing


def _closed_port() -> int:
    return free_port()


def test_a_turn_whose_action_server_cannot_be_reached_is_not_saved(tmp_path, monkeypatch):
    monkeypatch.setattr(turn_recording, "ACTION_SERVER_WAIT_SECONDS", 0.6)
    store = Agent._create_tracker_store(_tracker_store(tmp_path, cache_trackers=True), Domain.empty())
    actions = EndpointConfig(f"http://127.0.0.1:{_closed_port()}/webhook")

    async def turn() -> None:
        begin_turn()
        started = time.monotonic()
        with pytest.raises(Exception):  # what Rasa's RemoteAction sees, and turns into no events
            await actions.request(json={"next_action": "action_ask_zip_code"}, method="post")
        assert time.monotonic() - started >= 0.2  # it tried again (after 0.25 s) before giving up
        await store.save(_tracker("seeker", "hi"))

    with pytest.raises(TurnNotRecorded, match="action server"):
        asyncio.run(turn())
    assert asyncio.run(store.retrieve("seeker")) is None  # nothing of the turn was kept

    async def next_turn() -> None:
        begin_turn()  # the next turn starts clean
        await store.save(_tracker("seeker", "hi"))

    asyncio.run(next_turn())
    assert [e.text for e in asyncio.run(store.retrieve("seeker")).events if isinstance(e, UserUttered)] == ["hi"]


def test_an_action_server_that_comes_back_within_the_wait_answers_the_turn():
    port = _closed_port()

    async def scenario() -> dict:
        async def webhook(request: web.Request) -> web.Response:
            return web.json_response({"events": [], "responses": []})

        async def start_later() -> web.AppRunner:
            await asyncio.sleep(0.8)  # restarting
            app = web.Application()
            app.router.add_post("/webhook", webhook)
            runner = web.AppRunner(app)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            return runner

        health = begin_turn()
        starting = asyncio.create_task(start_later())
        answer = await EndpointConfig(f"http://127.0.0.1:{port}/webhook").request(json={}, method="post")
        await (await starting).cleanup()
        assert health.action_server_lost is None
        return answer

    assert asyncio.run(scenario()) == {"events": [], "responses": []}


def _action_server_answering(statuses: list[int], port: int):
    """An HTTP server on `port` answering the action server's path with `statuses` in turn (the
    last one for good), as nginx (502 with no action server behind it) or an action that raised
    (500) would; 200 answers an empty action result."""
    calls: list[int] = []

    async def webhook(request: web.Request) -> web.Response:
        status = statuses[min(len(calls), len(statuses) - 1)]
        calls.append(status)
        if status == 200:
            return web.json_response({"events": [], "responses": []})
        return web.Response(status=status, text="<html>Bad Gateway</html>" if status == 502 else "error")

    async def start() -> web.AppRunner:
        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner

    return start, calls


@pytest.mark.parametrize(
    "statuses, lost, calls_made",
    [
        ([500], "answered 500", 1),  # the action raised: no point waiting, the turn runs again later
        ([503, 500], "answered 500", 2),
        ([502, 502, 200], None, 3),  # nginx found no action server, then one came back
        ([504, 200], None, 2),
        ([502], "answered 502", None),  # never came back within the wait
        ([404], None, 1),  # Rasa's to handle (an unknown action), not the turn's loss
    ],
)
def test_an_action_server_5xx_loses_the_turn_unless_a_proxy_finds_one_within_the_wait(monkeypatch, statuses, lost, calls_made):
    from rasa.utils.endpoints import ClientResponseError

    monkeypatch.setattr(turn_recording, "ACTION_SERVER_WAIT_SECONDS", 1.0)
    port = _closed_port()
    start, calls = _action_server_answering(statuses, port)

    async def scenario() -> turn_recording.TurnHealth:
        runner = await start()
        health = begin_turn()
        try:
            await EndpointConfig(f"http://127.0.0.1:{port}/webhook").request(json={}, method="post")
        except ClientResponseError as error:
            assert error.status == statuses[-1] or lost
        finally:
            await runner.cleanup()
        return health

    health = asyncio.run(scenario())
    assert health.action_server_lost == lost
    if calls_made is not None:
        assert len(calls) == calls_made
    else:
        assert len(calls) >= 2  # it did wait and try again


def test_once_lost_a_turn_makes_no_further_action_calls_and_stops():
    port = _closed_port()
    start, calls = _action_server_answering([500, 200], port)

    async def scenario() -> None:
        runner = await start()
        begin_turn()
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        try:
            with pytest.raises(Exception):
                await endpoint.request(json={}, method="post")
            with pytest.raises(TurnNotRecorded):
                await endpoint.request(json={}, method="post")  # not sent: the turn is over
            with pytest.raises(TurnNotRecorded):
                turn_recording.stop_a_lost_turn()
        finally:
            await runner.cleanup()

    asyncio.run(scenario())
    assert calls == [500]


class FlakyDialogue:
    """Stands in for Rasa: replies through the output channel, then fails to record the turn
    the first `failures` times, as a tracker store that lost its database would."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.turns = 0

    async def __call__(self, message) -> None:
        self.turns += 1
        await message.output_channel.send_response(message.sender_id, {"text": f"Thanks for '{message.text}'"})
        if self.turns <= self.failures:
            raise TurnNotRecorded("tracker store: OperationalError")


@pytest.fixture
def message_log(tmp_path) -> Iterator[MessageLog]:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    migrate(url)
    engine = make_engine(url)
    yield MessageLog(engine)
    engine.dispose()


def test_a_message_whose_turn_was_not_recorded_is_run_again_and_answered_once(message_log):
    number = new_test_phone_number()
    dialogue = FlakyDialogue(failures=2)
    processor = InboundProcessor(message_log, IntakeStore(message_log._engine), Outbox(message_log), dialogue)
    record, _ = message_log.record_inbound("twilio", number, provider_id="SM" + "1" * 32, kind="text", text="hola")

    async def scenario() -> None:
        processor.wake("twilio", number)
        await processor.idle()
        # Failed: still waiting, and the reply its turn made was never queued.
        rows = message_log.transcript("twilio", number)
        assert [(row.direction, row.status) for row in rows] == [("in", INBOUND_PROCESSING)]
        poller = asyncio.create_task(processor.keep_polling(0.05))
        deadline = time.monotonic() + 5
        while message_log.get(record.id).status != INBOUND_PROCESSED and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        poller.cancel()
        await processor.idle()

    asyncio.run(scenario())
    assert dialogue.turns == 3
    rows = message_log.transcript("twilio", number)
    assert [(row.direction, row.text) for row in rows] == [("in", "hola"), ("out", "Thanks for 'hola'")]
    assert rows[0].status == INBOUND_PROCESSED and rows[1].in_reply_to == record.id


def test_a_turn_that_is_never_recorded_is_given_up_after_a_bound_so_later_messages_go_on(message_log, monkeypatch):
    import bot.channels.processing as processing

    monkeypatch.setattr(processing, "MAX_TURN_ATTEMPTS", 3)
    number = new_test_phone_number()
    dialogue = FlakyDialogue(failures=3)
    processor = InboundProcessor(message_log, IntakeStore(message_log._engine), Outbox(message_log), dialogue)
    message_log.record_inbound("twilio", number, provider_id="SM" + "2" * 32, kind="text", text="first")
    message_log.record_inbound("twilio", number, provider_id="SM" + "3" * 32, kind="text", text="second")

    async def scenario() -> None:
        poller = asyncio.create_task(processor.keep_polling(0.05))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(
            row.status != INBOUND_PROCESSED for row in message_log.transcript("twilio", number) if row.direction == "in"
        ):
            await asyncio.sleep(0.02)
        poller.cancel()
        await processor.idle()

    asyncio.run(scenario())
    rows = message_log.transcript("twilio", number)
    assert [row.status for row in rows if row.direction == "in"] == [INBOUND_PROCESSED] * 2
    # The first was given up with an apology (none of its failed turns' replies); the second was
    # answered.
    apology = replies.reply(replies.TURN_UNANSWERED, None)
    assert [row.text for row in rows if row.direction == "out"] == [apology, "Thanks for 'second'"]


def test_the_replies_of_a_recorded_turn_are_read_back_from_its_events():
    from rasa.shared.core.events import ActionExecuted, BotUttered

    from bot.channels.runtime import replies_recorded_for

    events = [
        UserUttered("hi", message_id="1"),
        BotUttered("Welcome!", {"buttons": [{"title": "Yes", "payload": "/affirm"}]}, {"utter_action": "utter_consent"}),
        ActionExecuted("action_listen"),
        UserUttered("Rosa", message_id="2"),
        BotUttered("Thanks, Rosa.", metadata={"utter_action": "utter_thanks"}),
        BotUttered("What is your ZIP code?"),
        UserUttered("60623", message_id="3"),
    ]
    assert replies_recorded_for(events, "4") is None  # never recorded: run the turn
    assert replies_recorded_for(events, "3") == []  # recorded, said nothing
    assert [reply["text"] for reply in replies_recorded_for(events, "2")] == ["Thanks, Rosa.", "What is your ZIP code?"]
    (welcome,) = replies_recorded_for(events, "1")
    assert (welcome["utter_action"], welcome["buttons"][0]["title"]) == ("utter_consent", "Yes")


def test_a_message_recorded_by_rasa_but_not_marked_processed_gets_its_replies_once_without_a_second_turn(message_log):
    """The database went between Rasa saving the turn and the processed mark (with its replies):
    the next attempt finds the turn recorded and queues what it said, once."""
    number = new_test_phone_number()
    dialogue = FlakyDialogue(failures=0)
    recorded = [{"text": "Thanks, Rosa.", "utter_action": "utter_thanks"}, {"text": "What is your ZIP code?"}]

    async def replies_if_handled(sender: str, message_id: str):
        return recorded if (sender, message_id) == (number, str(record.id)) else None

    processor = InboundProcessor(
        message_log, IntakeStore(message_log._engine), Outbox(message_log), dialogue, replies_if_handled
    )
    record, _ = message_log.record_inbound("twilio", number, provider_id="SM" + "4" * 32, kind="text", text="Rosa")
    assert message_log.next_inbound("twilio", number).id == record.id  # the attempt that lost its mark

    async def scenario() -> None:
        processor.wake("twilio", number)
        await processor.idle()

    asyncio.run(scenario())
    assert dialogue.turns == 0
    rows = message_log.transcript("twilio", number)
    assert [(row.direction, row.text, row.in_reply_to) for row in rows] == [
        ("in", "Rosa", None), ("out", "Thanks, Rosa.", record.id), ("out", "What is your ZIP code?", record.id)
    ]
    assert rows[0].status == INBOUND_PROCESSED


@pytest.mark.parametrize("trouble", ["redis", "lock", "database"])
def test_a_turn_that_fails_for_want_of_redis_the_lock_or_the_database_is_run_again(message_log, trouble):
    """Production's lock store is Redis: a turn that cannot take the conversation's lock is not
    the message's fault, and must not be marked processed unanswered."""
    from rasa.core.lock_store import LockError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from sqlalchemy.exc import OperationalError

    failure = {
        "redis": RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
        "lock": LockError("Could not acquire lock for conversation"),
        "database": OperationalError("SELECT 1", {}, Exception("server closed the connection")),
    }[trouble]
    number = new_test_phone_number()
    calls = []

    async def dialogue(message) -> None:
        calls.append(message.text)
        if len(calls) == 1:
            raise failure
        await message.output_channel.send_response(message.sender_id, {"text": "Hello!"})

    processor = InboundProcessor(message_log, IntakeStore(message_log._engine), Outbox(message_log), dialogue)
    message_log.record_inbound("twilio", number, provider_id="SM" + uuid_hex(), kind="text", text="hi")

    async def scenario() -> None:
        poller = asyncio.create_task(processor.keep_polling(0.05))
        deadline = time.monotonic() + 5
        while len(calls) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.1)
        poller.cancel()
        await processor.idle()

    asyncio.run(scenario())
    assert calls == ["hi", "hi"]
    rows = message_log.transcript("twilio", number)
    assert [(row.direction, row.text, row.status) for row in rows] == [("in", "hi", "processed"), ("out", "Hello!", "queued")]


def uuid_hex() -> str:
    import uuid

    return uuid.uuid4().hex


@pytest.mark.parametrize("interrupted", [True, False], ids=["its own lost turn", "a later message"])
def test_a_handoff_opened_by_a_turn_that_was_never_recorded_does_not_silence_that_message(message_log, interrupted):
    """The action server opened the handoff, then the Rasa server died before saving the turn:
    run again, the message is answered (opening the handoff again finds it open). A message
    stored after the handoff opened is kept for staff, as always."""
    from bot.store.handoff_store import HandoffStore

    number = new_test_phone_number()
    handoffs = HandoffStore(message_log._engine)
    dialogue = FlakyDialogue(failures=0)
    processor = InboundProcessor(
        message_log, IntakeStore(message_log._engine), Outbox(message_log), dialogue, handoffs=handoffs
    )
    asking, _ = message_log.record_inbound(
        "twilio", number, provider_id="SM" + uuid_hex(), kind="text", text="can i talk to a person"
    )
    if interrupted:
        message_log.next_inbound("twilio", number)  # the turn that opened the handoff, then died
    handoffs.open_handoff(
        "twilio", number, reason="asked", language="en", sectors=[], team="general", priority=0, summary={}
    )
    if not interrupted:
        message_log.finish_inbound(asking.id)
        message_log.record_inbound("twilio", number, provider_id="SM" + uuid_hex(), kind="text", text="hello?")

    async def scenario() -> None:
        processor.wake("twilio", number)
        await processor.idle()

    asyncio.run(scenario())
    assert dialogue.turns == (1 if interrupted else 0)
    answered = [row.text for row in message_log.transcript("twilio", number) if row.direction == "out"]
    assert answered == (["Thanks for 'can i talk to a person'"] if interrupted else [])
