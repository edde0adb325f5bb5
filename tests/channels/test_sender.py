"""The outbound sender, driven pass by pass against the local Twilio and Telegram servers.

Real providers (the twilio and python-telegram-bot clients over HTTP), a real migrated database
(SQLite and PostgreSQL) and a clock the test moves by hand, so a retry is proven to wait for its
backoff without the test waiting at all. Each test runs `send_due()` itself instead of `start()`.
"""
from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.cli.harness import free_port, new_test_phone_number
from bot.channels.providers import TELEGRAM_CALLBACK_DATA_MAX_BYTES, Delivered, Provider, TelegramProvider, TwilioProvider
from bot.channels.sender import (
    FIRST_RETRY_SECONDS,
    LONGEST_RETRY_SECONDS,
    MAX_ATTEMPTS,
    SWEEP_INTERVAL,
    UNCERTAIN_QUIET,
    OutboundSender,
    retry_delay,
)
from bot.channels.settings import channel_settings
from bot.store import IntakeStore, MessageLog, MessageRecord, make_engine, migrate
from bot.store.timestamps import utc_now
from tests.channels.settings import (
    MESSAGING_SERVICE_SID,
    OUR_NUMBER,
    PUBLIC_BASE_URL,
    TELEGRAM_TOKEN,
    TEST_CHANNEL_ENV,
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
)
from tests.fakes import JsonReply
from tests.fakes.telegram_api import FakeTelegramApi, telegram_error
from tests.fakes.twilio_api import FakeTwilioApi
from tests.postgres import throwaway_postgres_database

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
STATUS_CALLBACK = PUBLIC_BASE_URL + "/webhooks/twilio/status"
# The jitter keeps every retry within +-20% of its base delay (see retry_delay).
EARLIEST_SHARE, LATEST_SHARE = 0.8, 1.2
# Longer than any backoff the sender can choose, so "advance past it" is always enough.
PAST_ANY_BACKOFF = LONGEST_RETRY_SECONDS * LATEST_SHARE + 1
# A Telegram throttle long enough that the exponential backoff alone would retry before it ends.
TELEGRAM_RETRY_AFTER = 30
OTHER_NUMBER = "+13125550177"  # a second number of ours, for the reply-route cases


def new_number() -> str:
    return new_test_phone_number()


def new_chat_id() -> str:
    return str(700_000_000 + uuid.uuid4().int % 100_000_000)


class HandClock:
    """The sender's clock; only the test moves it."""

    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class ThrottlingTelegramApi(FakeTelegramApi):
    """The Telegram fake, throttling the next `throttle` sendMessage calls for longer than the
    fake's fixed one second, so the test can tell the throttle's wait from the backoff's."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.throttle = 0

    def _injected_failure(self, method: str, params: dict[str, Any]) -> JsonReply | None:
        if method == "sendMessage" and self.throttle > 0:
            self.throttle -= 1
            return telegram_error(429, f"Too Many Requests: retry after {TELEGRAM_RETRY_AFTER}", TELEGRAM_RETRY_AFTER)
        return super()._injected_failure(method, params)


class WatchedProvider:
    """A real provider behind a turnstile: counts deliveries in flight, per person and overall.

    Each delivery waits (up to `gate_seconds`) until `expected_together` are in flight, so a
    sender that delivers concurrently shows it deterministically, and one that serialises
    deliveries shows a maximum of 1 instead of hanging the test.
    """

    def __init__(self, inner: Provider, expected_together: int, gate_seconds: float = 2.0) -> None:
        self._inner = inner
        self._expected_together = expected_together
        self._gate_seconds = gate_seconds
        self._in_flight: Counter[str] = Counter()
        self.most_at_once = 0
        self.most_at_once_per_person: Counter[str] = Counter()

    async def deliver(self, message: MessageRecord, route: dict[str, Any]) -> Delivered:
        self._in_flight[message.address] += 1
        self.most_at_once_per_person[message.address] = max(
            self.most_at_once_per_person[message.address], self._in_flight[message.address]
        )
        self.most_at_once = max(self.most_at_once, sum(self._in_flight.values()))
        try:
            deadline = asyncio.get_running_loop().time() + self._gate_seconds
            while sum(self._in_flight.values()) < self._expected_together and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.01)
            return await self._inner.deliver(message, route)
        finally:
            self._in_flight[message.address] -= 1


@dataclass
class Rig:
    """Everything one test needs: the database, the two fakes and the hand-moved clock."""

    log: MessageLog
    store: IntakeStore
    twilio: FakeTwilioApi
    telegram: ThrottlingTelegramApi
    clock: HandClock = field(default_factory=HandClock)

    def environment(self, **overrides: str | None) -> dict[str, str]:
        env = {
            **TEST_CHANNEL_ENV,
            "TWILIO_API_BASE_URL": self.twilio.base_url,
            "TELEGRAM_API_BASE_URL": self.telegram.base_url,
        }
        for name, value in overrides.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return env

    @asynccontextmanager
    async def sender(
        self,
        env: Mapping[str, str] | None = None,
        channels: Sequence[str] = ("twilio", "telegram"),
        watched: int | None = None,
        gate_seconds: float = 2.0,
        poll_seconds: float = 1.0,
    ) -> AsyncIterator[tuple[OutboundSender, dict[str, Any]]]:
        """A sender with real providers; `watched` wraps them in a WatchedProvider expecting that
        many deliveries at once. Built inside the running loop, as the runtime builds them: the
        HTTP clients belong to the loop they were made in."""
        settings = channel_settings(self.environment() if env is None else env)
        real: dict[str, Any] = {"twilio": TwilioProvider(settings), "telegram": TelegramProvider(settings)}
        providers: dict[str, Any] = {
            name: (WatchedProvider(real[name], watched, gate_seconds) if watched else real[name]) for name in channels
        }
        try:
            yield OutboundSender(self.log, self.store, providers, clock=self.clock, poll_seconds=poll_seconds), providers
        finally:
            # Closed here so no unclosed-session warning outlives the test's event loop.
            await real["twilio"]._client.http_client.close()
            await real["telegram"].bot.shutdown()

    def wrote_in(self, address: str, **details: str) -> MessageRecord:
        """An inbound SMS from `address`, stored as the Twilio webhook stores it."""
        record, _ = self.log.record_inbound(
            "twilio", address, provider_id="SM" + uuid.uuid4().hex, kind="text", text="hi", details=details
        )
        return record

    def status_of(self, message: MessageRecord) -> tuple[str, str | None, int]:
        current = self.log.get(message.id)
        assert current is not None
        return current.status, current.error_code, current.attempts

    def current(self, message: MessageRecord) -> MessageRecord:
        current = self.log.get(message.id)
        assert current is not None
        return current


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh migrated database per test: the sender claims whatever is due in the whole
    table, so one test's leftovers must never be another test's mail."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/sender.db"
        migrate(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()
        return
    with throwaway_postgres_database() as url:
        migrate(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture()
def rig(engine: Engine) -> Iterator[Rig]:
    with FakeTwilioApi(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) as twilio, ThrottlingTelegramApi(TELEGRAM_TOKEN) as telegram:
        yield Rig(MessageLog(engine), IntakeStore(engine), twilio, telegram)


# --- retry_delay ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attempts, retry_after, jitter, expected",
    [
        (0, None, 0.5, 2.0),  # never below the first delay
        (1, None, 0.5, 2.0),
        (2, None, 0.5, 4.0),
        (3, None, 0.5, 8.0),
        (8, None, 0.5, 256.0),  # the last doubling under the cap
        (9, None, 0.5, 300.0),  # 512 capped
        (40, None, 0.5, 300.0),
        (1, None, 0.0, 1.6),  # jitter: -20%
        (1, None, 1.0, 2.4),  # jitter: +20%
        (9, None, 0.0, 240.0),  # the jitter applies to the capped delay
        (9, None, 1.0, 360.0),
        (1, 30.0, 0.5, 30.0),  # a throttle longer than the backoff wins
        (1, 1.0, 0.5, 2.0),  # a shorter one does not shorten the backoff
        (1, 0.0, 0.5, 2.0),
        (9, 3600.0, 0.5, 3600.0),  # the throttle is obeyed beyond the cap
    ],
)
def test_retry_delay(attempts: int, retry_after: float | None, jitter: float, expected: float) -> None:
    assert retry_delay(attempts, retry_after, jitter=lambda: jitter) == pytest.approx(expected)


@pytest.mark.parametrize("attempts", range(1, MAX_ATTEMPTS + 3))
def test_retry_delay_with_random_jitter_stays_within_twenty_percent(attempts: int) -> None:
    base = min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_RETRY_SECONDS)
    delays = [retry_delay(attempts) for _ in range(200)]
    assert all(EARLIEST_SHARE * base <= delay <= LATEST_SHARE * base for delay in delays)
    assert len(set(delays)) > 1  # jittered, so many senders do not retry in lockstep


# --- SMS: what goes out, from where, once --------------------------------------------------


@pytest.mark.parametrize(
    "text, buttons, language, expected_body",
    [
        ("Are you 18 or older?", None, "en", "Are you 18 or older?"),
        (
            "Are you 18 or older?",
            [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
            "en",
            "Are you 18 or older?\nReply 1 for Yes, 2 for No",
        ),
        (
            "¿Cuál es tu código postal?",  # á and ó are not GSM-7; ¿ is
            None,
            "es",
            "¿Cual es tu codigo postal?",
        ),
        (
            "¿Tienes 18 años o más?",  # ñ is GSM-7 and stays; á goes
            [{"title": "Sí", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
            "es",
            "¿Tienes 18 años o mas?\nResponde 1 para Si, 2 para No",
        ),
        (
            "Which area? “Pick one”",  # curly quotes become plain ones
            [
                {"title": "Healthcare", "payload": "healthcare"},
                {"title": "Hotels and food", "payload": "hospitality"},
                {"title": "Trucks and transit", "payload": "transportation"},
                {"title": "Computers (IT)", "payload": "it"},
            ],
            "en",
            'Which area? "Pick one"\n1 Healthcare\n2 Hotels and food\n3 Trucks and transit\n4 Computers (IT)',
        ),
    ],
)
def test_a_queued_sms_goes_out_once_with_its_choices_in_gsm_characters(
    rig: Rig, text: str, buttons: list[dict[str, str]] | None, language: str, expected_body: str
) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    queued = rig.log.enqueue("twilio", seeker, text, buttons=buttons, language=language)

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            assert await sender.send_due() == 1
            for _ in range(3):  # later passes, even long after, find nothing to send
                rig.clock.advance(PAST_ANY_BACKOFF)
                assert await sender.send_due() == 0

    asyncio.run(scenario())
    [sent] = rig.twilio.messages
    assert (sent.to, sent.body) == (seeker, expected_body)
    assert len(rig.twilio.attempts) == 1
    row = rig.current(queued)
    assert (row.status, row.provider_id, row.attempts) == ("sent", sent.sid, 1)
    assert sent.sid.startswith("SM")
    assert row.text == expected_body  # the transcript shows what the person saw


@pytest.mark.parametrize(
    "inbound_details, env_overrides, expected_from, expected_service",
    [
        # The number the person texted: a second number of ours answers from itself.
        ([{"To": OTHER_NUMBER}], {}, OTHER_NUMBER, None),
        # The Messaging Service the inbound came through wins over its number.
        ([{"To": OTHER_NUMBER, "MessagingServiceSid": MESSAGING_SERVICE_SID}], {}, None, MESSAGING_SERVICE_SID),
        # Only the latest inbound counts.
        ([{"To": OUR_NUMBER}, {"To": OTHER_NUMBER}], {}, OTHER_NUMBER, None),
        ([{"To": OUR_NUMBER, "MessagingServiceSid": MESSAGING_SERVICE_SID}, {"To": OTHER_NUMBER}], {}, OTHER_NUMBER, None),
        # Nobody wrote in (a reminder, the staff console): the configured sender.
        ([], {"TWILIO_FROM_NUMBER": OUR_NUMBER}, OUR_NUMBER, None),
        ([], {"TWILIO_MESSAGING_SERVICE_SID": MESSAGING_SERVICE_SID}, None, MESSAGING_SERVICE_SID),
    ],
)
def test_the_reply_comes_from_where_the_person_wrote_to(
    rig: Rig,
    inbound_details: list[dict[str, str]],
    env_overrides: dict[str, str],
    expected_from: str | None,
    expected_service: str | None,
) -> None:
    seeker = new_number()
    for details in inbound_details:
        rig.wrote_in(seeker, **details)
    queued = rig.log.enqueue("twilio", seeker, "Thanks!")

    async def scenario() -> None:
        async with rig.sender(rig.environment(**env_overrides)) as (sender, _):
            await sender.send_due()

    asyncio.run(scenario())
    [sent] = rig.twilio.messages
    assert (sent.from_, sent.messaging_service_sid) == (expected_from, expected_service)
    assert rig.status_of(queued)[0] == "sent"


def test_with_no_route_and_no_configured_sender_the_message_fails_without_a_request(rig: Rig) -> None:
    seeker = new_number()
    queued = rig.log.enqueue("twilio", seeker, "Thanks!")

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            await sender.send_due()
            rig.clock.advance(PAST_ANY_BACKOFF)
            await sender.send_due()

    asyncio.run(scenario())
    assert rig.status_of(queued) == ("failed", "no_sender", 1)
    assert rig.twilio.attempts == []


def test_outbound_details_that_are_not_a_route_keep_the_inbound_route(rig: Rig) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OTHER_NUMBER)
    # Outbox.send accepts details for any purpose; these say nothing about routing.
    rig.log.enqueue("twilio", seeker, "Your event is tomorrow", details={"reminder": "event"})

    async def scenario() -> None:
        async with rig.sender(rig.environment(TWILIO_FROM_NUMBER=OUR_NUMBER)) as (sender, _):
            await sender.send_due()

    asyncio.run(scenario())
    [sent] = rig.twilio.messages
    assert sent.from_ == OTHER_NUMBER


@pytest.mark.parametrize(
    "public_base_url, expected_callback",
    [
        (PUBLIC_BASE_URL, STATUS_CALLBACK),
        (PUBLIC_BASE_URL + "/", STATUS_CALLBACK),
        (None, None),  # nowhere to report to: no callback requested
    ],
)
def test_the_status_callback_is_the_public_status_webhook(
    rig: Rig, public_base_url: str | None, expected_callback: str | None
) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    rig.log.enqueue("twilio", seeker, "Thanks!")

    async def scenario() -> None:
        async with rig.sender(rig.environment(PUBLIC_BASE_URL=public_base_url)) as (sender, _):
            await sender.send_due()

    asyncio.run(scenario())
    [sent] = rig.twilio.messages
    assert sent.status_callback == expected_callback
    assert ("StatusCallback" in sent.fields) == (expected_callback is not None)


# --- order and concurrency -----------------------------------------------------------------


def test_one_persons_messages_go_in_queue_order_one_at_a_time(rig: Rig) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    texts = [f"message {n}" for n in range(1, 5)]
    queued = [rig.log.enqueue("twilio", seeker, text) for text in texts]
    handled_per_pass: list[int] = []

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            for _ in range(len(texts) + 2):
                handled_per_pass.append(await sender.send_due())

    asyncio.run(scenario())
    assert [message.body for message in rig.twilio.messages] == texts
    assert handled_per_pass == [1] * len(texts) + [0, 0]
    assert [rig.status_of(message)[0] for message in queued] == ["sent"] * len(texts)


@pytest.mark.parametrize(
    "engine",
    [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[pytest.mark.postgres],
        ),
    ],
    indirect=True,
)
def test_two_senders_at_once_never_send_a_message_twice_nor_two_of_one_persons(rig: Rig) -> None:
    """Two Rasa processes on one database each run a sender; their passes overlap."""
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    texts = [f"message {n}" for n in range(1, 5)]
    for text in texts:
        rig.log.enqueue("twilio", seeker, text)

    async def scenario() -> None:
        async with rig.sender(watched=2, gate_seconds=0.2) as (first_process, providers):
            second_process = OutboundSender(rig.log, rig.store, providers, clock=rig.clock)
            for _ in range(2 * len(texts)):
                await asyncio.gather(first_process.send_due(), second_process.send_due())
            assert providers["twilio"].most_at_once_per_person[seeker] == 1

    asyncio.run(scenario())
    assert [message.body for message in rig.twilio.messages] == texts


def test_different_people_are_sent_to_in_parallel(rig: Rig) -> None:
    people = [new_number() for _ in range(3)]
    for person in people:
        rig.wrote_in(person, To=OUR_NUMBER)
        rig.log.enqueue("twilio", person, f"hello {person[-4:]}")
    telegram_chat = new_chat_id()
    rig.log.enqueue("telegram", telegram_chat, "hello on telegram")

    async def scenario() -> None:
        async with rig.sender(watched=4) as (sender, providers):
            assert await sender.send_due() == 4
            together = sum(provider.most_at_once for provider in providers.values())
            assert together == 4

    asyncio.run(scenario())
    assert sorted(message.to for message in rig.twilio.messages) == sorted(people)
    assert len(rig.telegram.messages_to(telegram_chat)) == 1


def test_a_person_waiting_for_a_retry_does_not_hold_up_anyone_else(rig: Rig) -> None:
    slow, other = new_number(), new_number()
    for person in (slow, other):
        rig.wrote_in(person, To=OUR_NUMBER)
    first = rig.log.enqueue("twilio", slow, "first")
    second = rig.log.enqueue("twilio", slow, "second")
    rig.twilio.fail_next(1, 500)

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            await sender.send_due()  # the slow person's first message alone meets the failure
            rig.log.enqueue("twilio", other, "for someone else")
            assert await sender.send_due() == 1  # the other person; the slow one waits
            assert rig.status_of(second)[0] == "queued"  # behind the first, in order
            rig.clock.advance(PAST_ANY_BACKOFF)
            await sender.send_due()
            await sender.send_due()

    asyncio.run(scenario())
    assert [message.body for message in rig.twilio.messages] == ["for someone else", "first", "second"]
    assert rig.status_of(first)[0] == rig.status_of(second)[0] == "sent"


# --- retries -------------------------------------------------------------------------------


@pytest.mark.parametrize("status, expected_code", [(500, "20500"), (503, "20500"), (429, "20429")])
def test_a_transient_twilio_error_is_retried_after_the_backoff_not_before(
    rig: Rig, status: int, expected_code: str
) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    queued = rig.log.enqueue("twilio", seeker, "Thanks!")
    rig.twilio.fail_next(1, status)

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            await sender.send_due()
            assert rig.status_of(queued) == ("queued", expected_code, 1)
            rig.clock.advance(EARLIEST_SHARE * FIRST_RETRY_SECONDS - 0.05)
            assert await sender.send_due() == 0
            assert len(rig.twilio.attempts) == 1
            rig.clock.advance((LATEST_SHARE - EARLIEST_SHARE) * FIRST_RETRY_SECONDS + 0.1)
            assert await sender.send_due() == 1

    asyncio.run(scenario())
    assert [attempt.status for attempt in rig.twilio.attempts] == [status, 201]
    assert len(rig.twilio.messages) == 1
    assert rig.status_of(queued)[0::2] == ("sent", 2)


@pytest.mark.parametrize(
    "failures, expected_status, expected_requests",
    [
        (MAX_ATTEMPTS - 1, "sent", MAX_ATTEMPTS),  # the last allowed attempt still goes
        (MAX_ATTEMPTS, "failed", MAX_ATTEMPTS),
        (MAX_ATTEMPTS + 3, "failed", MAX_ATTEMPTS),  # gives up; never tries a 7th time
    ],
)
def test_retries_stop_after_max_attempts(
    rig: Rig, failures: int, expected_status: str, expected_requests: int
) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    queued = rig.log.enqueue("twilio", seeker, "Thanks!")
    rig.twilio.fail_next(failures, 500)

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            for attempt in range(1, MAX_ATTEMPTS + 3):
                requests_before = len(rig.twilio.attempts)
                await sender.send_due()
                status, _, attempts = rig.status_of(queued)
                if status != "queued":
                    break
                assert attempts == attempt == len(rig.twilio.attempts)
                # Not before the backoff of this attempt...
                base = min(FIRST_RETRY_SECONDS * 2 ** (attempt - 1), LONGEST_RETRY_SECONDS)
                rig.clock.advance(EARLIEST_SHARE * base - 0.05)
                assert await sender.send_due() == 0
                assert len(rig.twilio.attempts) == requests_before + 1
                # ...but as soon as it has passed.
                rig.clock.advance((LATEST_SHARE - EARLIEST_SHARE) * base + 0.1)
            for _ in range(3):
                rig.clock.advance(PAST_ANY_BACKOFF)
                assert await sender.send_due() == 0

    asyncio.run(scenario())
    status, code, attempts = rig.status_of(queued)
    assert (status, attempts) == (expected_status, expected_requests)
    assert len(rig.twilio.attempts) == expected_requests
    if expected_status == "failed":
        assert code == "20500"
        assert rig.twilio.messages == []


def test_a_permanent_twilio_error_is_not_retried(rig: Rig) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    queued = rig.log.enqueue("twilio", seeker, "Thanks!")
    rig.twilio.fail_next(1, 400)

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            await sender.send_due()
            rig.clock.advance(PAST_ANY_BACKOFF)
            assert await sender.send_due() == 0

    asyncio.run(scenario())
    assert rig.status_of(queued)[0] == "failed"
    assert len(rig.twilio.attempts) == 1
    assert rig.store.find_seeker("twilio", seeker).consent_status != "opted_out"


def test_a_send_that_times_out_is_logged_uncertain_and_never_sent_again(rig: Rig) -> None:
    """Twilio got the request but answered after our timeout: the text may be on the phone, so
    it is not sent a second time; the row says so."""
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    queued = rig.log.enqueue("twilio", seeker, "Thanks!")
    rig.twilio.answer_slowly(2.0)

    async def scenario() -> None:
        async with rig.sender(env=rig.environment(SEND_TIMEOUT_SECONDS="0.5")) as (sender, _):
            await sender.send_due()
            rig.clock.advance(PAST_ANY_BACKOFF)
            assert await sender.send_due() == 0

    asyncio.run(scenario())
    assert rig.status_of(queued)[:2] == ("uncertain", "TimeoutError")
    rig.twilio.wait_for(1, timeout=5)
    assert len(rig.twilio.messages_to(seeker)) == 1  # it did arrive, once


def test_a_send_left_uncertain_is_settled_half_a_minute_later_not_at_the_next_sweep(rig: Rig) -> None:
    """The running sender asks Twilio about a send that failed mid-request once it is quiet
    (UNCERTAIN_QUIET), not a minute or more later: the reply is recorded sent in seconds."""
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    queued = rig.log.enqueue("twilio", seeker, "Thanks!")
    rig.twilio.answer_slowly(2.0)

    async def scenario() -> None:
        async with rig.sender(env=rig.environment(SEND_TIMEOUT_SECONDS="0.5")) as (sender, _):
            await sender.settle_unfinished()  # the start's sweep: the next is a minute away
            await sender.send_due()
            assert rig.status_of(queued)[0] == "uncertain"
            rig.twilio.wait_for(1, timeout=5)
            rig.clock.advance((UNCERTAIN_QUIET + timedelta(seconds=2)).total_seconds())
            await sender.settle_unfinished()

    asyncio.run(scenario())
    (arrived,) = rig.twilio.messages_to(seeker)
    assert (rig.current(queued).status, rig.current(queued).provider_id) == ("sent", arrived.sid)
    assert UNCERTAIN_QUIET < SWEEP_INTERVAL


def test_a_twilio_that_cannot_be_reached_is_retried(rig: Rig) -> None:
    """Nothing listening: the request never left, so trying again is safe."""
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    queued = rig.log.enqueue("twilio", seeker, "Thanks!")
    closed_port = f"http://127.0.0.1:{free_port()}"

    async def scenario() -> None:
        async with rig.sender(env=rig.environment(TWILIO_API_BASE_URL=closed_port)) as (sender, _):
            await sender.send_due()

    asyncio.run(scenario())
    status, code, attempts = rig.status_of(queued)
    assert (status, code, attempts) == ("queued", "connect", 1)


# --- consent -------------------------------------------------------------------------------


def test_a_carrier_opt_out_21610_is_recorded_and_never_retried(rig: Rig) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    queued = rig.log.enqueue("twilio", seeker, "Thanks!")
    rig.twilio.unsubscribe(seeker)

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            await sender.send_due()
            rig.clock.advance(PAST_ANY_BACKOFF)
            assert await sender.send_due() == 0
            rig.log.enqueue("twilio", seeker, "Anything else?")
            await sender.send_due()  # the next one is refused here, not tried at Twilio

    asyncio.run(scenario())
    assert rig.status_of(queued) == ("failed", "21610", 1)
    assert len(rig.twilio.attempts) == 1
    assert rig.store.find_seeker("twilio", seeker).consent_status == "opted_out"
    last_event = rig.store.consent_history("twilio", seeker)[-1]
    assert (last_event.event, last_event.keyword, last_event.channel) == ("opt_out", "21610", "twilio")
    assert rig.log.latest_outbound("twilio", seeker).status == "refused"


@pytest.mark.parametrize("opted_out_after_queueing", [False, True])
@pytest.mark.parametrize(
    "consent_exempt, expected_status", [(False, "refused"), (True, "sent")]
)
def test_an_opted_out_person_gets_only_consent_exempt_messages(
    rig: Rig, opted_out_after_queueing: bool, consent_exempt: bool, expected_status: str
) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    if not opted_out_after_queueing:
        rig.store.record_opt_out("twilio", seeker, "STOP")
    queued = rig.log.enqueue("twilio", seeker, "You will get no more texts.", consent_exempt=consent_exempt)
    if opted_out_after_queueing:  # the opt-out lands while the reply waits: checked at sending
        rig.store.record_opt_out("twilio", seeker, "STOP")

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            await sender.send_due()
            rig.clock.advance(PAST_ANY_BACKOFF)
            assert await sender.send_due() == 0

    asyncio.run(scenario())
    status, code, _ = rig.status_of(queued)
    assert status == expected_status
    if expected_status == "refused":
        assert code == "opted_out"
        assert rig.twilio.attempts == []
    else:
        assert [message.body for message in rig.twilio.messages] == ["You will get no more texts."]


def test_a_person_who_opted_back_in_is_sent_to_again(rig: Rig) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    rig.store.record_opt_out("twilio", seeker, "STOP")
    rig.store.record_opt_in("twilio", seeker, "START")
    queued = rig.log.enqueue("twilio", seeker, "Welcome back")

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            await sender.send_due()

    asyncio.run(scenario())
    assert rig.status_of(queued)[0] == "sent"
    assert len(rig.twilio.messages) == 1


# --- Telegram ------------------------------------------------------------------------------


def test_telegram_buttons_become_an_inline_keyboard_and_the_text_is_kept_as_written(rig: Rig) -> None:
    chat = new_chat_id()
    buttons = [{"title": "Sí", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    queued = rig.log.enqueue("telegram", chat, "¿Tienes 18 años o más?", buttons=buttons, language="es")

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            assert await sender.send_due() == 1
            rig.clock.advance(PAST_ANY_BACKOFF)
            assert await sender.send_due() == 0

    asyncio.run(scenario())
    [sent] = rig.telegram.messages_to(chat)
    assert sent["text"] == "¿Tienes 18 años o más?"  # no numbered choices, no GSM folding
    assert sent["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Sí", "callback_data": "/affirm"}],
            [{"text": "No", "callback_data": "/deny"}],
        ]
    }
    row = rig.current(queued)
    assert row.status == "sent"
    assert row.provider_id is not None


@pytest.mark.parametrize(
    "payload, expected",
    [
        ("a" * TELEGRAM_CALLBACK_DATA_MAX_BYTES, "a" * TELEGRAM_CALLBACK_DATA_MAX_BYTES),
        ("a" * (TELEGRAM_CALLBACK_DATA_MAX_BYTES + 1), "a" * TELEGRAM_CALLBACK_DATA_MAX_BYTES),
        # A two-byte character across the limit is dropped whole, never cut in half.
        ("a" * (TELEGRAM_CALLBACK_DATA_MAX_BYTES - 1) + "é", "a" * (TELEGRAM_CALLBACK_DATA_MAX_BYTES - 1)),
        ("a" * (TELEGRAM_CALLBACK_DATA_MAX_BYTES - 2) + "é", "a" * (TELEGRAM_CALLBACK_DATA_MAX_BYTES - 2) + "é"),
    ],
)
def test_telegram_callback_data_fits_the_64_byte_limit(rig: Rig, payload: str, expected: str) -> None:
    chat = new_chat_id()
    rig.log.enqueue("telegram", chat, "Pick one", buttons=[{"title": "Only", "payload": payload}])

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            await sender.send_due()

    asyncio.run(scenario())
    [sent] = rig.telegram.messages_to(chat)
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == expected


def test_two_telegram_chats_can_each_receive_their_first_message(rig: Rig) -> None:
    """Telegram numbers messages per chat, so both chats' first message is message 1; the
    message log must still tell the two sends apart."""
    chats = [new_chat_id(), new_chat_id()]
    queued = [rig.log.enqueue("telegram", chat, "Hello") for chat in chats]

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            for _ in range(2):
                await sender.send_due()

    asyncio.run(scenario())
    assert [len(rig.telegram.messages_to(chat)) for chat in chats] == [1, 1]
    assert [rig.status_of(message)[0] for message in queued] == ["sent", "sent"]
    assert rig.current(queued[0]).provider_id != rig.current(queued[1]).provider_id


def test_a_blocked_telegram_bot_is_recorded_as_an_opt_out(rig: Rig) -> None:
    chat = new_chat_id()
    queued = rig.log.enqueue("telegram", chat, "Are you there?")
    rig.telegram.block(chat)

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            await sender.send_due()
            rig.clock.advance(PAST_ANY_BACKOFF)
            assert await sender.send_due() == 0

    asyncio.run(scenario())
    assert rig.status_of(queued) == ("failed", "blocked", 1)
    assert len([call for call in rig.telegram.calls if call.method == "sendMessage"]) == 1
    assert rig.store.find_seeker("telegram", chat).consent_status == "opted_out"
    last_event = rig.store.consent_history("telegram", chat)[-1]
    assert (last_event.event, last_event.keyword) == ("opt_out", "blocked")


def test_telegram_retry_after_is_waited_out(rig: Rig) -> None:
    chat = new_chat_id()
    queued = rig.log.enqueue("telegram", chat, "Hello")
    rig.telegram.throttle = 1
    # The backoff after one attempt is at most this; the throttle asks for far longer.
    assert LATEST_SHARE * FIRST_RETRY_SECONDS < TELEGRAM_RETRY_AFTER

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            await sender.send_due()
            assert rig.status_of(queued) == ("queued", "429", 1)
            rig.clock.advance(TELEGRAM_RETRY_AFTER - 0.5)
            assert await sender.send_due() == 0
            rig.clock.advance(1.0)
            assert await sender.send_due() == 1

    asyncio.run(scenario())
    assert len(rig.telegram.messages_to(chat)) == 1
    assert rig.status_of(queued)[0::2] == ("sent", 2)


@pytest.mark.parametrize("status", [500, 502])
def test_a_telegram_server_error_is_retried_after_the_backoff(rig: Rig, status: int) -> None:
    chat = new_chat_id()
    queued = rig.log.enqueue("telegram", chat, "Hello")
    rig.telegram.fail_next(1, status)

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            await sender.send_due()
            assert rig.status_of(queued)[0::2] == ("queued", 1)
            rig.clock.advance(EARLIEST_SHARE * FIRST_RETRY_SECONDS - 0.05)
            assert await sender.send_due() == 0
            rig.clock.advance(PAST_ANY_BACKOFF)
            assert await sender.send_due() == 1

    asyncio.run(scenario())
    assert len(rig.telegram.messages_to(chat)) == 1
    assert rig.status_of(queued)[0::2] == ("sent", 2)


# --- what cannot be sent, and crashes ------------------------------------------------------


@pytest.mark.parametrize(
    "channel, address, configured",
    [
        ("whatsapp", "+13125550123", ("twilio", "telegram")),  # a channel we have no provider for
        ("telegram", "700000001", ("twilio",)),  # Telegram not configured in this process
    ],
)
def test_a_message_on_a_channel_without_a_provider_fails_no_channel(
    rig: Rig, channel: str, address: str, configured: tuple[str, ...]
) -> None:
    queued = rig.log.enqueue(channel, address, "Hello")

    async def scenario() -> None:
        async with rig.sender(channels=configured) as (sender, _):
            assert await sender.send_due() == 1
            rig.clock.advance(PAST_ANY_BACKOFF)
            assert await sender.send_due() == 0

    asyncio.run(scenario())
    assert rig.status_of(queued) == ("failed", "no_channel", 1)
    assert rig.twilio.attempts == []
    assert rig.telegram.calls == []


def test_a_message_left_sending_by_a_crash_is_never_sent(rig: Rig) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    in_flight = rig.log.enqueue("twilio", seeker, "maybe sent")
    after = rig.log.enqueue("twilio", seeker, "after the crash")
    # A sender claims the row and dies before it records the outcome.
    [claim] = rig.log.claim_due(rig.clock())
    assert claim.message.id == in_flight.id
    assert rig.status_of(in_flight)[0] == "sending"

    # The next process starts: recovery first, then the sender.
    assert rig.log.recover_after_crash() == 1
    assert rig.log.recover_after_crash() == 0

    async def scenario() -> None:
        async with rig.sender() as (sender, _):
            for _ in range(3):
                await sender.send_due()
                rig.clock.advance(PAST_ANY_BACKOFF)

    asyncio.run(scenario())
    assert rig.status_of(in_flight)[0] == "uncertain"
    assert [message.body for message in rig.twilio.messages] == ["after the crash"]
    assert rig.status_of(after)[0] == "sent"


def test_a_sender_cancelled_mid_delivery_leaves_the_row_for_recovery(rig: Rig) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    queued = rig.log.enqueue("twilio", seeker, "maybe sent")

    class Hanging:
        """A provider call that never returns, like a request that hangs until the process dies."""

        async def deliver(self, message: MessageRecord, route: dict[str, Any]) -> Delivered:
            await asyncio.Event().wait()
            raise AssertionError("unreachable")

    async def crash() -> None:
        sender = OutboundSender(rig.log, rig.store, {"twilio": Hanging()}, clock=rig.clock)
        task = asyncio.create_task(sender.send_due())
        for _ in range(200):
            if rig.status_of(queued)[0] == "sending":
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(crash())
    assert rig.status_of(queued)[0] == "sending"
    rig.log.recover_after_crash()

    async def restart() -> None:
        async with rig.sender() as (sender, _):
            await sender.send_due()

    asyncio.run(restart())
    assert rig.status_of(queued)[0] == "uncertain"
    assert rig.twilio.attempts == []


def test_an_uncertain_text_twilio_has_is_recorded_sent_and_never_sent_again(rig: Rig) -> None:
    """A timeout left it uncertain; at the next start Twilio's message list shows it arrived."""
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    queued = rig.log.enqueue("twilio", seeker, "Thanks!")
    rig.twilio.answer_slowly(2.0)

    async def timed_out() -> None:
        async with rig.sender(env=rig.environment(SEND_TIMEOUT_SECONDS="0.5")) as (sender, _):
            await sender.send_due()

    asyncio.run(timed_out())
    rig.twilio.wait_for(1, timeout=5)
    assert rig.status_of(queued)[0] == "uncertain"

    async def restart() -> tuple[int, int]:
        async with rig.sender() as (sender, _):
            settled = await sender.reconcile_uncertain()
            rig.clock.advance(PAST_ANY_BACKOFF)
            await sender.send_due()
            return settled

    assert asyncio.run(restart()) == (1, 0)
    (arrived,) = rig.twilio.messages_to(seeker)
    assert (rig.current(queued).status, rig.current(queued).provider_id) == ("sent", arrived.sid)


def test_an_uncertain_text_twilio_never_got_is_sent_once_after_a_crash(rig: Rig) -> None:
    seeker = new_number()
    rig.wrote_in(seeker, To=OUR_NUMBER)
    in_flight = rig.log.enqueue("twilio", seeker, "maybe sent")
    rig.log.claim_due(rig.clock())  # a sender claims it and dies before the request leaves
    rig.log.recover_after_crash()

    async def restart() -> tuple[int, int]:
        async with rig.sender() as (sender, _):
            settled = await sender.reconcile_uncertain()
            await sender.send_due()
            again = await sender.reconcile_uncertain()  # a second start finds nothing to settle
            assert again == (0, 0)
            return settled

    assert asyncio.run(restart()) == (0, 1)
    assert [message.body for message in rig.twilio.messages_to(seeker)] == ["maybe sent"]
    assert rig.status_of(in_flight)[0] == "sent"


def test_telegram_cannot_be_asked_so_its_uncertain_texts_stay_uncertain(rig: Rig) -> None:
    chat = new_chat_id()
    rig.log.record_inbound("telegram", chat, provider_id=str(uuid.uuid4().int % 10**9), kind="text", text="hi")
    in_flight = rig.log.enqueue("telegram", chat, "maybe sent")
    rig.log.claim_due(rig.clock())
    rig.log.recover_after_crash()

    async def restart() -> tuple[int, int]:
        async with rig.sender() as (sender, _):
            return await sender.reconcile_uncertain()

    assert asyncio.run(restart()) == (0, 0)
    assert rig.status_of(in_flight)[0] == "uncertain"


def test_the_replies_a_turn_queued_go_out_in_order_on_the_processors_word_alone(rig: Rig) -> None:
    """The processor tells the running sender whom it queued replies for (`expect`): they go out,
    in order, from the number the person wrote to, with no look over the queue; a text another
    process queued meanwhile waits for the poll (here far away)."""
    from bot.store import OutboundToQueue

    seeker, someone_else = new_number(), new_number()
    inbound = rig.wrote_in(seeker, To=OTHER_NUMBER)
    texts = ["first reply", "second reply", "third reply"]

    async def scenario() -> None:
        async with rig.sender(poll_seconds=600) as (sender, _):
            sender.start()
            await asyncio.sleep(0.3)  # its first look over the queue finds nothing
            rig.log.enqueue("twilio", someone_else, "queued by the staff console, no wake")
            replies = [OutboundToQueue("twilio", seeker, text, details={"To": OTHER_NUMBER}) for text in texts]
            rig.log.finish_inbound(inbound.id, replies=replies)
            sender.expect(inbound.seeker_id, len(replies))
            for _ in range(300):
                if len(rig.twilio.messages) >= len(texts):
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.2)  # nothing more goes out
            await sender.stop()

    asyncio.run(scenario())
    assert [(m.to, m.body, m.from_) for m in rig.twilio.messages] == [(seeker, text, OTHER_NUMBER) for text in texts]
