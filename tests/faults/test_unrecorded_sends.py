"""A text that went out but could not be recorded as sent, or a row a dead sender left `sending`,
no longer holds that person's queue until a restart: the running sender records it when the
database answers, or settles it against Twilio's message list, and never sends it twice.

Real PostgreSQL reached through a proxy the test cuts, the real Twilio provider against the local
Twilio server, a clock the test moves."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import make_url

from bot.channels.providers import TwilioProvider
from bot.channels.sender import STALE_SENDING, SWEEP_INTERVAL, OutboundSender
from bot.channels.settings import channel_settings
from bot.cli.harness import new_test_phone_number
from bot.store import IntakeStore, MessageLog, MessageRecord, make_engine, migrate
from bot.store.timestamps import utc_now
from tests.channels.settings import OUR_NUMBER, TEST_CHANNEL_ENV, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
from tests.faults.tcp_proxy import CuttableProxy
from tests.fakes.twilio_api import FakeTwilioApi
from tests.postgres import throwaway_postgres_database

PAST_THE_STALE_AGE = (STALE_SENDING + SWEEP_INTERVAL).total_seconds() + 1


class HandClock:
    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Setting:
    """A message log on PostgreSQL through a cuttable proxy, and one read straight from it."""

    def __init__(self, url: str, proxy: CuttableProxy, twilio: FakeTwilioApi) -> None:
        parts = make_url(url)
        through_proxy = parts.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        self.proxy = proxy
        self.twilio = twilio
        self.clock = HandClock()
        self._engine = make_engine(through_proxy)
        self.log = MessageLog(self._engine, clock=self.clock)
        self.store = IntakeStore(self._engine, clock=self.clock)
        self._direct_engine = make_engine(url)
        self.direct = MessageLog(self._direct_engine, clock=self.clock)

    def close(self) -> None:
        self._engine.dispose()
        self._direct_engine.dispose()

    def status(self, message: MessageRecord) -> str:
        return self.direct.get(message.id).status

    def person(self) -> str:
        number = new_test_phone_number()
        self.log.record_inbound("twilio", number, provider_id="SM" + uuid.uuid4().hex, kind="text", text="hi",
                                details={"To": OUR_NUMBER})
        return number

    @asynccontextmanager
    async def sender(self) -> AsyncIterator[OutboundSender]:
        settings = channel_settings({**TEST_CHANNEL_ENV, "TWILIO_API_BASE_URL": self.twilio.base_url})
        provider = TwilioProvider(settings)
        try:
            yield OutboundSender(self.log, self.store, {"twilio": provider}, clock=self.clock)
        finally:
            await provider._client.http_client.close()


@pytest.fixture
def setting() -> Iterator[Setting]:
    with throwaway_postgres_database() as url:
        migrate(url)
        parts = make_url(url)
        with CuttableProxy(parts.host or "127.0.0.1", parts.port or 5432) as proxy, FakeTwilioApi(
            TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
        ) as twilio:
            built = Setting(url, proxy, twilio)
            yield built
            built.close()


async def _until(condition, seconds: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


def test_a_text_sent_while_the_database_was_lost_is_recorded_when_it_returns_and_the_queue_goes_on(setting):
    number = setting.person()
    # The route is on the rows, so between the claim and Twilio's answer nothing reads the
    # database: the cut lands while Twilio holds the text.
    route = {"To": OUR_NUMBER}
    first = setting.log.enqueue("twilio", number, "Thanks, Rosa!", details=route)
    second = setting.log.enqueue("twilio", number, "What is your ZIP code?", details=route)
    setting.twilio.answer_slowly(1.0)  # Twilio takes the text; the database goes while it answers

    async def scenario() -> None:
        async with setting.sender() as sender:
            sending = asyncio.create_task(sender.send_due())
            await _until(lambda: setting.status(first) == "sending")
            setting.proxy.cut()
            await sending
            assert sender.unrecorded == 1
            assert setting.status(first) == "sending"
            await sender.settle_unfinished()  # still cut: nothing changes, nothing raised
            assert sender.unrecorded == 1

            setting.proxy.restore()
            await sender.settle_unfinished()
            assert sender.unrecorded == 0
            assert await sender.send_due() == 1  # the person's next text is no longer held

    asyncio.run(scenario())
    sent = setting.twilio.messages_to(number)
    assert [message.body for message in sent] == ["Thanks, Rosa!", "What is your ZIP code?"]
    assert [setting.direct.get(m.id).provider_id for m in (first, second)] == [message.sid for message in sent]
    assert {setting.status(first), setting.status(second)} == {"sent"}


@pytest.mark.parametrize("twilio_has_it", [True, False], ids=["reached Twilio", "never reached Twilio"])
def test_a_row_a_dead_sender_left_sending_is_settled_while_running_and_sent_once(setting, twilio_has_it):
    number = setting.person()
    orphan = setting.log.enqueue("twilio", number, "Thanks, Rosa!")
    after = setting.log.enqueue("twilio", number, "What is your ZIP code?")
    [claim] = setting.log.claim_due(setting.clock())  # another instance claims it and dies

    async def scenario() -> None:
        async with setting.sender() as sender:
            if twilio_has_it:  # ...after its request reached Twilio
                await sender._providers["twilio"].deliver(claim.message, {"To": OUR_NUMBER})
            await sender.settle_unfinished()
            assert await sender.send_due() == 0  # not stale yet: it may still be in flight
            assert setting.status(orphan) == "sending"

            setting.clock.advance(PAST_THE_STALE_AGE)
            await sender.settle_unfinished()
            assert setting.status(orphan) == ("sent" if twilio_has_it else "queued")
            while await sender.send_due():
                pass

    asyncio.run(scenario())
    assert [message.body for message in setting.twilio.messages_to(number)] == [
        "Thanks, Rosa!", "What is your ZIP code?"
    ]  # each once, in order
    assert {setting.status(orphan), setting.status(after)} == {"sent"}
