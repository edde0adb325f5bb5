"""The fakes speak the real APIs: driven here by the real twilio 8.2.2 and python-telegram-bot 22.8
clients, including the failures they inject, and every update builder parses in PTB."""
from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Iterator

import pytest
import telegram.error
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, TelegramObject, Update
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.fakes import IncomingRequest, JsonReply, LocalApiServer
from tests.fakes.telegram_api import (
    FakeTelegramApi,
    TelegramPerson,
    callback_query_update,
    contact_update,
    edited_message_update,
    group_message_update,
    location_update,
    my_chat_member_update,
    photo_update,
    post_update,
    start_command_update,
    sticker_update,
    text_message_update,
    voice_update,
)
from tests.fakes.twilio_api import (
    FakeTwilioApi,
    InboundMedia,
    signed_twilio_post,
    twilio_inbound_params,
    unsigned_twilio_post,
)

ACCOUNT_SID = "AC" + "3f" * 16
AUTH_TOKEN = "9c" * 16
OTHER_ACCOUNT_SID = "AC" + "70" * 16
SEEKER_NUMBER = "+13125550100"
OUR_NUMBER = "+13125550199"
SERVICE_SID = "MG" + "ab" * 16
SID_PATTERN = re.compile(r"^SM[0-9a-f]{32}$")

BOT_TOKEN = "6012345678:AAH-fake-token-for-tests_0123456789"
BOT_ID = 6012345678
CHAT_ID = 5550001
YES_NO = InlineKeyboardMarkup(
    [[
        InlineKeyboardButton("Yes", callback_data="yes"),
        InlineKeyboardButton("No", callback_data="no"),
    ]]
)


@pytest.fixture
def twilio_fake() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi(ACCOUNT_SID, AUTH_TOKEN) as fake:
        yield fake


@pytest.fixture
def telegram_fake() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi(BOT_TOKEN) as fake:
        yield fake


def sync_client(
    fake: FakeTwilioApi, password: str = AUTH_TOKEN, account: str = ACCOUNT_SID
) -> Client:
    client = Client(ACCOUNT_SID, password, account_sid=account)
    client.api.base_url = fake.base_url
    return client


async def send_async(fake: FakeTwilioApi, **create_args: Any) -> Any:
    client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=AsyncTwilioHttpClient())
    client.api.base_url = fake.base_url
    try:
        return await client.messages.create_async(**create_args)
    finally:
        await client.http_client.close()


def run_bot(fake: FakeTelegramApi, steps: Callable[[Bot], Any], token: str = BOT_TOKEN) -> Any:
    """Run `steps(bot)` with a real, initialised PTB Bot pointed at the fake."""

    async def main() -> Any:
        async with Bot(token, base_url=f"{fake.base_url}/bot") as bot:
            return await steps(bot)

    return asyncio.run(main())


def raw_post(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=b"", method="POST")) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class RecordingWebhook(LocalApiServer[IncomingRequest]):
    """Stands in for our bot's webhook endpoint, to see what the client helpers send."""

    def __init__(self) -> None:
        self.received: list[IncomingRequest] = []
        super().__init__(thread_name="recording-webhook")

    def handle(self, request: IncomingRequest) -> JsonReply:
        with self._lock:
            self.received.append(request)
            self._record_changed()
        return JsonReply(202, {"seen": len(self.received)})

    def _waitable_records(self) -> list[IncomingRequest]:
        return list(self.received)


# ---- Twilio ----------------------------------------------------------------------------------
def test_async_client_creates_a_message_the_fake_records(twilio_fake: FakeTwilioApi) -> None:
    created = asyncio.run(
        send_async(
            twilio_fake, to=SEEKER_NUMBER, from_=OUR_NUMBER, body="Hola Ana",
            status_callback="https://bot.example.org/twilio/status",
        )
    )
    assert SID_PATTERN.match(created.sid)
    assert (created.status, created.to, created.from_) == ("queued", SEEKER_NUMBER, OUR_NUMBER)
    assert created.account_sid == ACCOUNT_SID
    assert created.uri == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{created.sid}.json"
    assert created.date_created is not None
    [recorded] = twilio_fake.messages_to(SEEKER_NUMBER)
    assert recorded.sid == created.sid
    assert recorded.body == "Hola Ana"
    assert recorded.status_callback == "https://bot.example.org/twilio/status"
    assert recorded.fields["From"] == OUR_NUMBER
    assert abs(recorded.received_at - time.time()) < 60


@pytest.mark.parametrize(
    "sender, expected_status, expected_from",
    [
        ({"from_": OUR_NUMBER}, "queued", OUR_NUMBER),
        ({"messaging_service_sid": SERVICE_SID}, "accepted", None),
    ],
)
def test_sync_client_sender_decides_the_initial_status(
    twilio_fake: FakeTwilioApi, sender: dict, expected_status: str, expected_from: str | None
) -> None:
    created = sync_client(twilio_fake).messages.create(to=SEEKER_NUMBER, body="Hi", **sender)
    assert (created.status, created.from_) == (expected_status, expected_from)
    [recorded] = twilio_fake.messages
    assert recorded.messaging_service_sid == sender.get("messaging_service_sid")


@pytest.mark.parametrize(
    "body, segments",
    [("a" * 160, "1"), ("a" * 161, "2"), ("á" * 70, "1"), ("á" * 71, "2")],
)
def test_num_segments_follows_the_encoding(
    twilio_fake: FakeTwilioApi, body: str, segments: str
) -> None:
    client = sync_client(twilio_fake)
    created = client.messages.create(to=SEEKER_NUMBER, from_=OUR_NUMBER, body=body)
    assert created.num_segments == segments


def test_a_created_message_can_be_fetched(twilio_fake: FakeTwilioApi) -> None:
    client = sync_client(twilio_fake)
    created = client.messages.create(to=SEEKER_NUMBER, from_=OUR_NUMBER, body="Hi")
    assert client.messages(created.sid).fetch().body == "Hi"
    with pytest.raises(TwilioRestException) as missing:
        client.messages("SM" + "0" * 32).fetch()
    assert (missing.value.status, missing.value.code) == (404, 20404)


@pytest.mark.parametrize(
    "create_args, status, code",
    [
        ({"to": "", "from_": OUR_NUMBER, "body": "Hi"}, 400, 21604),
        ({"to": SEEKER_NUMBER, "body": "Hi"}, 400, 21603),
        ({"to": SEEKER_NUMBER, "from_": OUR_NUMBER}, 400, 21602),
    ],
)
def test_invalid_creations_get_twilio_errors_and_create_nothing(
    twilio_fake: FakeTwilioApi, create_args: dict, status: int, code: int
) -> None:
    with pytest.raises(TwilioRestException) as raised:
        sync_client(twilio_fake).messages.create(**create_args)
    assert (raised.value.status, raised.value.code) == (status, code)
    assert twilio_fake.messages == []
    [attempt] = twilio_fake.attempts
    assert (attempt.status, attempt.error_code) == (status, code)


@pytest.mark.parametrize(
    "password, account, status, code",
    [("wrong-token", ACCOUNT_SID, 401, 20003), (AUTH_TOKEN, OTHER_ACCOUNT_SID, 404, 20404)],
)
def test_credentials_and_account_are_checked(
    twilio_fake: FakeTwilioApi, password: str, account: str, status: int, code: int
) -> None:
    client = sync_client(twilio_fake, password=password, account=account)
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to=SEEKER_NUMBER, from_=OUR_NUMBER, body="Hi")
    assert (raised.value.status, raised.value.code) == (status, code)
    assert twilio_fake.messages == []


def test_error_body_has_twilios_shape(twilio_fake: FakeTwilioApi) -> None:
    messages_url = f"{twilio_fake.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    status, body = raw_post(messages_url)
    assert (status, set(body)) == (401, {"code", "message", "more_info", "status"})
    assert body["more_info"].endswith("/20003")


def test_unsubscribed_recipient_raises_21610_in_the_async_client(
    twilio_fake: FakeTwilioApi,
) -> None:
    twilio_fake.unsubscribe(SEEKER_NUMBER)
    with pytest.raises(TwilioRestException) as raised:
        asyncio.run(send_async(twilio_fake, to=SEEKER_NUMBER, from_=OUR_NUMBER, body="Hi"))
    assert (raised.value.status, raised.value.code) == (400, 21610)
    other = asyncio.run(send_async(twilio_fake, to="+13125550101", from_=OUR_NUMBER, body="Hi"))
    assert [message.sid for message in twilio_fake.messages] == [other.sid]


@pytest.mark.parametrize("status, code", [(500, 20500), (429, 20429)])
def test_fail_next_fails_exactly_that_many_creations(
    twilio_fake: FakeTwilioApi, status: int, code: int
) -> None:
    twilio_fake.fail_next(2, status=status)
    client = sync_client(twilio_fake)
    for _ in range(2):
        with pytest.raises(TwilioRestException) as raised:
            client.messages.create(to=SEEKER_NUMBER, from_=OUR_NUMBER, body="Hi")
        assert (raised.value.status, raised.value.code) == (status, code)
    created = client.messages.create(to=SEEKER_NUMBER, from_=OUR_NUMBER, body="Hi")
    assert [message.sid for message in twilio_fake.messages] == [created.sid]
    assert [attempt.status for attempt in twilio_fake.attempts] == [status, status, 201]


def test_wait_for_sees_messages_sent_from_another_thread(twilio_fake: FakeTwilioApi) -> None:
    def send_later() -> None:
        time.sleep(0.2)
        for body in ("one", "two"):
            sync_client(twilio_fake).messages.create(to=SEEKER_NUMBER, from_=OUR_NUMBER, body=body)

    sender = threading.Thread(target=send_later)
    sender.start()
    assert [message.body for message in twilio_fake.wait_for(2, timeout=10)] == ["one", "two"]
    sender.join()
    found = twilio_fake.wait_for(lambda messages: messages[-1].body == "two", timeout=1)
    assert len(found) == 2
    with pytest.raises(TimeoutError):
        twilio_fake.wait_for(3, timeout=0.2)


def test_clear_forgets_records_and_injections(twilio_fake: FakeTwilioApi) -> None:
    client = sync_client(twilio_fake)
    client.messages.create(to="+13125550101", from_=OUR_NUMBER, body="before")
    twilio_fake.unsubscribe(SEEKER_NUMBER)
    twilio_fake.fail_next(1)
    twilio_fake.clear()
    client.messages.create(to=SEEKER_NUMBER, from_=OUR_NUMBER, body="after")
    assert [message.body for message in twilio_fake.messages] == ["after"]
    assert [attempt.status for attempt in twilio_fake.attempts] == [201]


@pytest.mark.parametrize("signature_url", [None, "https://bot.example.org/webhooks/twilio"])
def test_signed_post_carries_twilios_signature(signature_url: str | None) -> None:
    params = twilio_inbound_params(SEEKER_NUMBER, OUR_NUMBER, "Hola", ACCOUNT_SID)
    with RecordingWebhook() as webhook:
        url = f"{webhook.base_url}/webhooks/twilio"
        status, body = signed_twilio_post(url, params, AUTH_TOKEN, signature_url=signature_url)
        [request] = webhook.received
    assert (status, json.loads(body)) == (202, {"seen": 1})
    assert request.content_type == "application/x-www-form-urlencoded"
    signature = request.headers["X-Twilio-Signature"]
    validator = RequestValidator(AUTH_TOKEN)
    assert validator.validate(signature_url or url, params, signature)
    assert not RequestValidator("another-token").validate(signature_url or url, params, signature)


def test_unsigned_post_has_no_signature() -> None:
    with RecordingWebhook() as webhook:
        url = f"{webhook.base_url}/sms"
        status, _ = unsigned_twilio_post(url, {"Body": "Hi"}, {"X-Extra": "1"})
        [request] = webhook.received
    assert status == 202
    assert "X-Twilio-Signature" not in request.headers
    assert (request.headers["X-Extra"], request.body) == ("1", b"Body=Hi")


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({}, {"NumMedia": "0"}),
        ({"messaging_service_sid": SERVICE_SID}, {"MessagingServiceSid": SERVICE_SID}),
        ({"opt_out_type": "STOP"}, {"OptOutType": "STOP"}),
        (
            {"media": (InboundMedia("https://api.twilio.com/media/ME1", "image/png"),)},
            {"NumMedia": "1", "MediaUrl0": "https://api.twilio.com/media/ME1",
             "MediaContentType0": "image/png"},
        ),
    ],
)
def test_inbound_params_look_like_twilios_webhook(extra: dict, expected: dict) -> None:
    params = twilio_inbound_params(SEEKER_NUMBER, OUR_NUMBER, "Hola", ACCOUNT_SID, **extra)
    assert re.match(r"^(SM|MM)[0-9a-f]{32}$", params["MessageSid"])
    assert params["MessageSid"] == params["SmsSid"] == params["SmsMessageSid"]
    assert (params["From"], params["To"], params["Body"]) == (SEEKER_NUMBER, OUR_NUMBER, "Hola")
    assert (params["ApiVersion"], params["SmsStatus"], params["NumSegments"]) == (
        "2010-04-01", "received", "1",
    )
    assert {"FromCity", "FromState", "FromZip", "FromCountry"} <= set(params)
    assert {key: params.get(key) for key in expected} == expected
    optional = {"MessagingServiceSid", "OptOutType", "MediaUrl0"} - set(expected)
    assert not optional & set(params)


# ---- Telegram --------------------------------------------------------------------------------
def test_send_message_with_keyboard_round_trips(telegram_fake: FakeTelegramApi) -> None:
    question = "¿Tienes 18?"
    sent = run_bot(
        telegram_fake, lambda bot: bot.send_message(CHAT_ID, question, reply_markup=YES_NO)
    )
    assert (sent.message_id, sent.chat.id, sent.chat.type) == (1, CHAT_ID, "private")
    assert sent.text == question
    assert (sent.from_user.id, sent.from_user.is_bot) == (BOT_ID, True)
    assert sent.reply_markup == YES_NO
    [params] = telegram_fake.messages_to(CHAT_ID)
    assert params == {"chat_id": CHAT_ID, "text": question, "reply_markup": YES_NO.to_dict()}
    # What PTB 22.8 really sends: a url-encoded form, nested values as JSON text.
    [call] = telegram_fake.calls_of("sendMessage")
    assert call.content_type == "application/x-www-form-urlencoded"


def test_message_ids_increase_per_chat(telegram_fake: FakeTelegramApi) -> None:
    async def steps(bot: Bot) -> list[tuple[int, int]]:
        sent = [await bot.send_message(chat, "hi") for chat in (CHAT_ID, CHAT_ID, 777, CHAT_ID)]
        return [(message.chat.id, message.message_id) for message in sent]

    assert run_bot(telegram_fake, steps) == [(CHAT_ID, 1), (CHAT_ID, 2), (777, 1), (CHAT_ID, 3)]


def test_get_me_describes_the_bot(telegram_fake: FakeTelegramApi) -> None:
    me = run_bot(telegram_fake, lambda bot: bot.get_me())
    assert (me.id, me.is_bot, me.username) == (BOT_ID, True, "cook_intake_test_bot")


def test_webhook_set_reflected_and_deleted(telegram_fake: FakeTelegramApi) -> None:
    async def steps(bot: Bot) -> tuple:
        before = await bot.get_webhook_info()
        was_set = await bot.set_webhook(
            "https://bot.example.org/telegram", secret_token="s3cr3t",
            allowed_updates=["message", "edited_message", "callback_query", "my_chat_member"],
        )
        during = await bot.get_webhook_info()
        was_deleted = await bot.delete_webhook()
        after = await bot.get_webhook_info()
        return before, was_set, during, was_deleted, after

    before, was_set, during, was_deleted, after = run_bot(telegram_fake, steps)
    assert (before.url, before.has_custom_certificate) == ("", False)
    assert before.pending_update_count == 0
    assert was_set is was_deleted is True
    assert during.url == "https://bot.example.org/telegram"
    assert during.allowed_updates == (
        "message", "edited_message", "callback_query", "my_chat_member",
    )
    assert after.url == "" and telegram_fake.webhook.url == ""
    [set_call] = telegram_fake.calls_of("setWebhook")
    assert set_call.params["secret_token"] == "s3cr3t"


def test_answer_callback_query_and_edit_reply_markup(telegram_fake: FakeTelegramApi) -> None:
    async def steps(bot: Bot) -> tuple:
        sent = await bot.send_message(CHAT_ID, "Pick", reply_markup=YES_NO)
        answered = await bot.answer_callback_query("4382bfdwdsb323b2d9", text="Got it")
        edited = await bot.edit_message_reply_markup(CHAT_ID, sent.message_id, reply_markup=None)
        return answered, edited

    answered, edited = run_bot(telegram_fake, steps)
    assert answered is True
    assert (edited.message_id, edited.text, edited.reply_markup) == (1, "Pick", None)
    assert edited.edit_date is not None
    [answer] = telegram_fake.calls_of("answerCallbackQuery")
    assert answer.params == {"callback_query_id": "4382bfdwdsb323b2d9", "text": "Got it"}


def test_editing_an_unknown_message_is_a_bad_request(telegram_fake: FakeTelegramApi) -> None:
    with pytest.raises(telegram.error.BadRequest, match="(?i)message to edit not found"):
        run_bot(
            telegram_fake,
            lambda bot: bot.edit_message_reply_markup(CHAT_ID, 99, reply_markup=YES_NO),
        )


def test_wrong_token_is_rejected_by_the_real_bot(telegram_fake: FakeTelegramApi) -> None:
    with pytest.raises(telegram.error.InvalidToken):
        run_bot(telegram_fake, lambda bot: bot.get_me(), token="123:wrong")


@pytest.mark.parametrize(
    "path, status, description",
    [
        (f"/bot{BOT_TOKEN}/getMe", 200, None),
        ("/bot123:wrong/getMe", 401, "Unauthorized"),
        (f"/bot{BOT_TOKEN}/sendTelepathy", 404, "Not Found"),
        ("/favicon.ico", 404, "Not Found"),
    ],
)
def test_raw_answers_have_telegrams_shape(
    telegram_fake: FakeTelegramApi, path: str, status: int, description: str | None
) -> None:
    got_status, body = raw_post(telegram_fake.base_url + path)
    assert got_status == status
    if description is None:
        assert body["ok"] is True
    else:
        assert body == {"ok": False, "error_code": status, "description": description}


def test_blocked_chat_raises_forbidden_and_others_still_work(
    telegram_fake: FakeTelegramApi,
) -> None:
    telegram_fake.block(CHAT_ID)
    with pytest.raises(telegram.error.Forbidden, match="bot was blocked by the user"):
        run_bot(telegram_fake, lambda bot: bot.send_message(CHAT_ID, "hi"))
    run_bot(telegram_fake, lambda bot: bot.send_message(777, "hi"))
    assert telegram_fake.messages_to(CHAT_ID) == []
    assert len(telegram_fake.messages_to(777)) == 1


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter's own
@pytest.mark.parametrize(
    "status, error", [(429, telegram.error.RetryAfter), (500, telegram.error.NetworkError)]
)
def test_fail_next_fails_exactly_that_many_sends(
    telegram_fake: FakeTelegramApi, status: int, error: type[Exception]
) -> None:
    telegram_fake.fail_next(2, status=status)

    async def steps(bot: Bot) -> list[str]:
        outcomes = []
        for _ in range(3):
            try:
                await bot.send_message(CHAT_ID, "hi")
                outcomes.append("sent")
            except error as raised:
                outcomes.append(type(raised).__name__)
        return outcomes

    assert run_bot(telegram_fake, steps) == [error.__name__, error.__name__, "sent"]
    assert [call.status for call in telegram_fake.calls if call.method == "sendMessage"] == [
        status, status, 200,
    ]
    assert len(telegram_fake.messages_to(CHAT_ID)) == 1


def test_retry_after_carries_the_delay(telegram_fake: FakeTelegramApi) -> None:
    telegram_fake.fail_next(1, status=429)
    status, body = raw_post(f"{telegram_fake.base_url}/bot{BOT_TOKEN}/sendMessage?chat_id=1&text=x")
    assert (status, body["error_code"], body["parameters"]) == (429, 429, {"retry_after": 1})


def test_fail_next_for_any_method_hits_get_me(telegram_fake: FakeTelegramApi) -> None:
    telegram_fake.fail_next(1, status=500, method=None)
    with pytest.raises(telegram.error.NetworkError):
        run_bot(telegram_fake, lambda bot: bot.get_me())  # Bot.initialize calls getMe first


def test_wait_for_counts_delivered_messages(telegram_fake: FakeTelegramApi) -> None:
    def send_later() -> None:
        time.sleep(0.2)
        run_bot(telegram_fake, lambda bot: bot.send_message(CHAT_ID, "hi"))

    sender = threading.Thread(target=send_later)
    sender.start()
    calls = telegram_fake.wait_for(1, timeout=10)
    sender.join()
    assert [call.method for call in calls if call.ok] == ["getMe", "sendMessage"]
    assert telegram_fake.wait_for(lambda calls: calls[0].method == "getMe", timeout=1)
    with pytest.raises(TimeoutError):
        telegram_fake.wait_for(2, timeout=0.2)
    telegram_fake.clear()
    assert telegram_fake.calls == []


def unknown_fields(value: Any, path: str = "update") -> list[str]:
    """Paths of fields PTB did not recognise (it parks them in api_kwargs instead of failing)."""
    if isinstance(value, (list, tuple)):
        return [
            found
            for index, item in enumerate(value)
            for found in unknown_fields(item, f"{path}[{index}]")
        ]
    if not isinstance(value, TelegramObject):
        return []
    found = [f"{path}.{name}" for name in value.api_kwargs]
    for cls in type(value).__mro__:
        for name in getattr(cls, "__slots__", ()):
            if not name.startswith("_") and name != "api_kwargs":
                found += unknown_fields(getattr(value, name, None), f"{path}.{name}")
    return found


ANA = TelegramPerson(user_id=CHAT_ID, first_name="Ana", language_code="es")
BOT_MESSAGE = {
    "message_id": 41, "date": 1_700_000_000, "text": "¿Tienes 18?",
    "chat": {"id": CHAT_ID, "type": "private", "first_name": "Ana"},
    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Cook Intake"},
    "reply_markup": YES_NO.to_dict(),
}


@pytest.mark.parametrize(
    "update, check",
    [
        (text_message_update("hola", ANA), lambda u: u.message.text == "hola"),
        (
            start_command_update("ref-cook-42", ANA),
            lambda u: u.message.text == "/start ref-cook-42"
            and u.message.parse_entities(["bot_command"]).popitem()[1] == "/start",
        ),
        (start_command_update(None, ANA), lambda u: u.message.text == "/start"),
        (
            edited_message_update("hola!", 5001, ANA),
            lambda u: u.edited_message.message_id == 5001
            and u.edited_message.edit_date > u.edited_message.date,
        ),
        (
            callback_query_update("yes", ANA, message=BOT_MESSAGE),
            lambda u: u.callback_query.data == "yes" and u.callback_query.message.message_id == 41
            and u.callback_query.message.reply_markup == YES_NO,
        ),
        (
            callback_query_update("no", ANA),
            lambda u: u.callback_query.message.reply_markup.inline_keyboard[0][0].callback_data
            == "no",
        ),
        (
            photo_update(ANA, caption="my ID"),
            lambda u: len(u.message.photo) == 3 and u.message.caption == "my ID",
        ),
        (sticker_update(ANA), lambda u: u.message.sticker.emoji == "👍"),
        # to_dict, not .duration: PTB 22.2+ warns that the attribute will become a timedelta.
        (voice_update(ANA, duration=7), lambda u: u.message.voice.to_dict()["duration"] == 7),
        (location_update(ANA), lambda u: round(u.message.location.latitude, 2) == 41.88),
        (contact_update(ANA), lambda u: u.message.contact.user_id == CHAT_ID),
        (
            my_chat_member_update("kicked", ANA),
            lambda u: (
                u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status
            ) == ("member", "kicked"),
        ),
        (
            my_chat_member_update("member", ANA),
            lambda u: u.my_chat_member.new_chat_member.status == "member",
        ),
        (
            group_message_update("hola grupo", ANA),
            lambda u: u.effective_chat.type == "group" and u.effective_chat.id < 0,
        ),
    ],
)
def test_update_builders_parse_in_ptb(update: dict, check: Callable[[Update], bool]) -> None:
    parsed = Update.de_json(json.loads(json.dumps(update)), bot=None)
    assert parsed.update_id == update["update_id"]
    assert unknown_fields(parsed) == []
    assert check(parsed)
    assert parsed.effective_user.id == CHAT_ID


def test_update_ids_are_unique() -> None:
    ids = [text_message_update("x")["update_id"] for _ in range(3)]
    assert len(set(ids)) == 3 and ids == sorted(ids)


def test_callback_for_a_message_the_fake_sent(telegram_fake: FakeTelegramApi) -> None:
    sent = run_bot(
        telegram_fake, lambda bot: bot.send_message(CHAT_ID, "Pick", reply_markup=YES_NO)
    )
    parsed = Update.de_json(callback_query_update("yes", ANA, message=sent.to_dict()), bot=None)
    assert parsed.callback_query.message.message_id == sent.message_id
    assert unknown_fields(parsed) == []


@pytest.mark.parametrize("secret_token", [None, "s3cr3t"])
def test_post_update_delivers_like_telegram(secret_token: str | None) -> None:
    update = text_message_update("hola", ANA)
    with RecordingWebhook() as webhook:
        status, body = post_update(f"{webhook.base_url}/telegram", update, secret_token)
        [request] = webhook.received
    assert (status, json.loads(body)) == (202, {"seen": 1})
    assert request.content_type == "application/json"
    assert json.loads(request.body) == update
    assert request.headers.get("X-Telegram-Bot-Api-Secret-Token") == secret_token
