"""A local server that speaks the part of Telegram's Bot API the bot uses, plus update builders.

Pointing python-telegram-bot 22.8 at it: `telegram.Bot(token, base_url=f"{fake.base_url}/bot")`;
PTB appends the token and the method name, so requests arrive at /bot{token}/{method}.

How PTB 22.8 sends: every method is a POST through httpx with `data=` a dict of strings and no
files, i.e. application/x-www-form-urlencoded. Strings go as they are; anything else is JSON
encoded (`RequestParameter.json_value`): chat_id=123 arrives as "123", reply_markup and
allowed_updates as JSON text, booleans as "true". The fake decodes those the way the real
server does, per parameter, and also accepts JSON bodies and query strings (Telegram does).

Served methods: getMe, sendMessage, sendChatAction, editMessageReplyMarkup, answerCallbackQuery,
setWebhook, deleteWebhook, getWebhookInfo. Method names are case-insensitive, as on Telegram.
"""
from __future__ import annotations

import itertools
import json
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from tests.fakes import IncomingRequest, JsonReply, LocalApiServer

_METHOD_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)$")
# Parameters whose value is a JSON-serialised object or array when sent as a form field.
_JSON_PARAMETERS = frozenset(
    {"reply_markup", "allowed_updates", "entities", "caption_entities", "link_preview_options",
     "reply_parameters"}
)
_INTEGER_PARAMETERS = frozenset(
    {"chat_id", "message_id", "message_thread_id", "max_connections", "cache_time"}
)
_BOOLEAN_PARAMETERS = frozenset(
    {"drop_pending_updates", "show_alert", "disable_notification", "protect_content"}
)


@dataclass(frozen=True)
class TelegramCall:
    """One Bot API request: the method, its decoded parameters and the HTTP status answered."""

    method: str
    params: Mapping[str, Any]
    status: int
    content_type: str  # how the client encoded the parameters
    received_at: float  # time.time()

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass(frozen=True)
class WebhookState:
    url: str = ""
    secret_token: str | None = None
    allowed_updates: tuple[str, ...] | None = None
    max_connections: int = 40


def _ok(result: Any, description: str | None = None) -> JsonReply:
    payload: dict[str, Any] = {"ok": True, "result": result}
    if description:
        payload["description"] = description
    return JsonReply(200, payload)


def telegram_error(status: int, description: str, retry_after: int | None = None) -> JsonReply:
    payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        payload["parameters"] = {"retry_after": retry_after}
    return JsonReply(status, payload)


class FakeTelegramApi(LocalApiServer[TelegramCall]):
    def __init__(self, token: str, bot_username: str = "cook_intake_test_bot") -> None:
        self.token = token
        bot_id = token.partition(":")[0]
        self.bot_user = {
            "id": int(bot_id) if bot_id.isdigit() else 7000000001,
            "is_bot": True,
            "first_name": "Cook Intake",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self._calls: list[TelegramCall] = []
        self._sent: dict[tuple[int | str, int], dict] = {}
        self._next_message_id: dict[int | str, itertools.count] = {}
        self._blocked: set[str] = set()
        self._failures_left = 0
        self._failure_status = 500
        self._failing_method: str | None = None
        self._webhook = WebhookState()
        self._handlers: dict[str, Callable[[dict[str, Any]], JsonReply]] = {
            "getMe": lambda params: _ok(self.bot_user),
            "sendMessage": self._send_message,
            "sendChatAction": lambda params: _ok(True),
            "editMessageReplyMarkup": self._edit_reply_markup,
            "answerCallbackQuery": lambda params: _ok(True),
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._webhook_info,
        }
        super().__init__(thread_name="fake-telegram-api")

    # ---- what tests read -------------------------------------------------------------------
    @property
    def calls(self) -> list[TelegramCall]:
        with self._lock:
            return list(self._calls)

    @property
    def webhook(self) -> WebhookState:
        with self._lock:
            return self._webhook

    def calls_of(self, method: str) -> list[TelegramCall]:
        """Answered-OK calls of one method."""
        return [call for call in self.calls if call.ok and call.method == method]

    def messages_to(self, chat_id: int | str) -> list[Mapping[str, Any]]:
        """Parameters of the sendMessage calls delivered to `chat_id`, oldest first."""
        return [
            call.params
            for call in self.calls_of("sendMessage")
            if str(call.params.get("chat_id")) == str(chat_id)
        ]

    def _waitable_records(self) -> list[TelegramCall]:
        return list(self._calls)

    def wait_for(
        self, condition: int | Callable[[list[TelegramCall]], bool], timeout: float = 5.0
    ) -> list[TelegramCall]:
        """Like LocalApiServer.wait_for, but a count counts delivered sendMessage calls (the bot
        also calls getMe, setWebhook...); a predicate still sees every call. Returns all calls."""
        if isinstance(condition, int):
            wanted = condition

            def enough_sent(calls: list[TelegramCall]) -> bool:
                sent = [call for call in calls if call.ok and call.method == "sendMessage"]
                return len(sent) >= wanted

            return super().wait_for(enough_sent, timeout)
        return super().wait_for(condition, timeout)

    # ---- what tests arrange ----------------------------------------------------------------
    def block(self, chat_id: int | str) -> None:
        """Calls addressed to `chat_id` answer 403, as when the user blocked the bot."""
        with self._lock:
            self._blocked.add(str(chat_id))

    def unblock(self, chat_id: int | str) -> None:
        with self._lock:
            self._blocked.discard(str(chat_id))

    def fail_next(self, count: int, status: int = 500, method: str | None = "sendMessage") -> None:
        """The next `count` calls of `method` (None: of any method) answer `status`."""
        with self._lock:
            self._failures_left = count
            self._failure_status = status
            self._failing_method = method

    def clear(self) -> None:
        """Forget recorded calls, blocks and pending failures (message ids keep increasing)."""
        with self._lock:
            self._calls.clear()
            self._blocked.clear()
            self._failures_left = 0

    # ---- the API ---------------------------------------------------------------------------
    def handle(self, request: IncomingRequest) -> JsonReply:
        match = _METHOD_PATH.match(request.path)
        if not match:
            return telegram_error(404, "Not Found")
        if match["token"] != self.token:
            return telegram_error(401, "Unauthorized")
        by_lowercase = {name.lower(): name for name in self._handlers}
        method = by_lowercase.get(match["method"].lower())
        if method is None:
            return telegram_error(404, "Not Found")
        if request.content_type == "multipart/form-data":
            # PTB only sends multipart when uploading files, which the bot never does.
            return telegram_error(400, "Bad Request: the fake does not accept file uploads")
        params = _decode_params(request)
        with self._lock:
            reply = self._injected_failure(method, params) or self._handlers[method](params)
            call = TelegramCall(method, params, reply.status, request.content_type, time.time())
            self._calls.append(call)
            self._record_changed()
        return reply

    def _injected_failure(self, method: str, params: dict[str, Any]) -> JsonReply | None:
        if str(params.get("chat_id")) in self._blocked:
            return telegram_error(403, "Forbidden: bot was blocked by the user")
        if self._failures_left > 0 and self._failing_method in (None, method):
            self._failures_left -= 1
            if self._failure_status == 429:
                return telegram_error(429, "Too Many Requests: retry after 1", retry_after=1)
            return telegram_error(self._failure_status, "Internal Server Error")
        return None

    def _send_message(self, params: dict[str, Any]) -> JsonReply:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            return telegram_error(400, "Bad Request: chat_id is empty")
        if not params.get("text"):
            return telegram_error(400, "Bad Request: message text is empty")
        counter = self._next_message_id.setdefault(chat_id, itertools.count(1))
        message: dict[str, Any] = {
            "message_id": next(counter),
            "from": self.bot_user,
            "chat": _chat(chat_id),
            "date": int(time.time()),
            "text": params["text"],
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._sent[(chat_id, message["message_id"])] = message
        return _ok(message)

    def _edit_reply_markup(self, params: dict[str, Any]) -> JsonReply:
        if params.get("inline_message_id"):
            return _ok(True)
        message = self._sent.get((params.get("chat_id"), params.get("message_id")))
        if message is None:
            return telegram_error(400, "Bad Request: message to edit not found")
        edited = {key: value for key, value in message.items() if key != "reply_markup"}
        edited["edit_date"] = int(time.time())
        if params.get("reply_markup"):
            edited["reply_markup"] = params["reply_markup"]
        self._sent[(params["chat_id"], params["message_id"])] = edited
        return _ok(edited)

    def _set_webhook(self, params: dict[str, Any]) -> JsonReply:
        allowed = params.get("allowed_updates")
        self._webhook = WebhookState(
            url=params.get("url", ""),
            secret_token=params.get("secret_token"),
            allowed_updates=tuple(allowed) if allowed is not None else None,
            max_connections=params.get("max_connections", 40),
        )
        return _ok(True, "Webhook was set")

    def _delete_webhook(self, params: dict[str, Any]) -> JsonReply:
        had_webhook = bool(self._webhook.url)
        self._webhook = WebhookState()
        return _ok(True, "Webhook was deleted" if had_webhook else "Webhook is already deleted")

    def _webhook_info(self, params: dict[str, Any]) -> JsonReply:
        info: dict[str, Any] = {
            "url": self._webhook.url,
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }
        if self._webhook.url:
            info["max_connections"] = self._webhook.max_connections
            if self._webhook.allowed_updates is not None:
                info["allowed_updates"] = list(self._webhook.allowed_updates)
        return _ok(info)


def _chat(chat_id: int | str) -> dict[str, Any]:
    # Telegram's group and channel ids are negative; users' are positive.
    if isinstance(chat_id, int) and chat_id < 0:
        return {"id": chat_id, "type": "group", "title": "Test group"}
    return {"id": chat_id, "type": "private"}


def _decode_params(request: IncomingRequest) -> dict[str, Any]:
    params: dict[str, Any] = dict(urllib.parse.parse_qsl(request.query, keep_blank_values=True))
    if request.content_type == "application/json" and request.body:
        params.update(json.loads(request.body))
        return params
    form = urllib.parse.parse_qsl(request.body.decode("utf-8"), keep_blank_values=True)
    for name, value in form:
        params[name] = _decode_form_value(name, value)
    return params


def _decode_form_value(name: str, value: str) -> Any:
    if name in _JSON_PARAMETERS:
        return json.loads(value)
    if name in _INTEGER_PARAMETERS and re.fullmatch(r"-?\d+", value):
        return int(value)
    if name in _BOOLEAN_PARAMETERS:
        return value.lower() == "true"
    return value


# ---- the other direction: Telegram calling our webhook ---------------------------------------
def post_update(
    url: str, update: Mapping[str, Any], secret_token: str | None = None
) -> tuple[int, str]:
    """POST one update as Telegram delivers it to a webhook; returns (status, body)."""
    headers = {"Content-Type": "application/json"}
    if secret_token is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
    request = urllib.request.Request(
        url, data=json.dumps(update).encode("utf-8"), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


# ---- updates as Telegram delivers them (https://core.telegram.org/bots/api#update) -----------
_update_ids = itertools.count(800000001)
_incoming_message_ids = itertools.count(5001)
DEFAULT_BOT_USER: Mapping[str, Any] = {
    "id": 7000000001, "is_bot": True, "first_name": "Cook Intake",
    "username": "cook_intake_test_bot",
}


@dataclass(frozen=True)
class TelegramPerson:
    """The human on the other end; in a private chat the chat id is the user id."""

    user_id: int = 5550001
    first_name: str = "Ana"
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"

    def user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        optional = {"last_name": self.last_name, "username": self.username,
                    "language_code": self.language_code}
        user.update({key: value for key, value in optional.items() if value is not None})
        return user

    def private_chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.user_id, "first_name": self.first_name,
                                "type": "private"}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat


ANA = TelegramPerson()


def _file_ids() -> dict[str, str]:
    return {
        "file_id": "AgAC" + secrets.token_urlsafe(48),
        "file_unique_id": secrets.token_urlsafe(12),
    }


def _message_update(
    person: TelegramPerson,
    content: Mapping[str, Any],
    chat: Mapping[str, Any] | None = None,
    message_id: int | None = None,
    kind: str = "message",
) -> dict[str, Any]:
    message = {
        "message_id": message_id if message_id is not None else next(_incoming_message_ids),
        "from": person.user(),
        "chat": dict(chat or person.private_chat()),
        "date": int(time.time()),
        **content,
    }
    return {"update_id": next(_update_ids), kind: message}


def text_message_update(
    text: str, person: TelegramPerson = ANA, message_id: int | None = None
) -> dict[str, Any]:
    return _message_update(person, {"text": text}, message_id=message_id)


def start_command_update(
    payload: str | None = None, person: TelegramPerson = ANA
) -> dict[str, Any]:
    """`/start` or a deep link's `/start PAYLOAD`, with the bot_command entity Telegram adds."""
    text = f"/start {payload}" if payload else "/start"
    entities = [{"offset": 0, "length": len("/start"), "type": "bot_command"}]
    return _message_update(person, {"text": text, "entities": entities})


def edited_message_update(
    text: str, message_id: int, person: TelegramPerson = ANA
) -> dict[str, Any]:
    update = _message_update(person, {"text": text}, message_id=message_id, kind="edited_message")
    update["edited_message"]["edit_date"] = update["edited_message"]["date"] + 30
    update["edited_message"]["date"] -= 60
    return update


def group_message_update(
    text: str, person: TelegramPerson = ANA, group_id: int = -4123456789, title: str = "Test group"
) -> dict[str, Any]:
    group = {"id": group_id, "title": title, "type": "group"}
    return _message_update(person, {"text": text}, chat=group)


def photo_update(person: TelegramPerson = ANA, caption: str | None = None) -> dict[str, Any]:
    # Telegram sends every size it made, smallest first.
    sizes = [{**_file_ids(), "width": width, "height": height, "file_size": width * height // 10}
             for width, height in ((90, 68), (320, 240), (800, 600))]
    content: dict[str, Any] = {"photo": sizes}
    if caption:
        content["caption"] = caption
    return _message_update(person, content)


def sticker_update(person: TelegramPerson = ANA, emoji: str = "👍") -> dict[str, Any]:
    sticker = {
        **_file_ids(), "type": "regular", "width": 512, "height": 512, "is_animated": False,
        "is_video": False, "emoji": emoji, "set_name": "TestStickers", "file_size": 23000,
    }
    return _message_update(person, {"sticker": sticker})


def voice_update(person: TelegramPerson = ANA, duration: int = 4) -> dict[str, Any]:
    voice = {**_file_ids(), "duration": duration, "mime_type": "audio/ogg", "file_size": 9000}
    return _message_update(person, {"voice": voice})


def location_update(
    person: TelegramPerson = ANA, latitude: float = 41.8781, longitude: float = -87.6298
) -> dict[str, Any]:
    return _message_update(person, {"location": {"latitude": latitude, "longitude": longitude}})


def contact_update(
    person: TelegramPerson = ANA, phone_number: str = "13125550123"
) -> dict[str, Any]:
    """The person sharing their own contact (Telegram sends the number without '+')."""
    contact = {
        "phone_number": phone_number, "first_name": person.first_name, "user_id": person.user_id,
    }
    return _message_update(person, {"contact": contact})


def callback_query_update(
    data: str,
    person: TelegramPerson = ANA,
    message: Mapping[str, Any] | None = None,
    bot_user: Mapping[str, Any] = DEFAULT_BOT_USER,
) -> dict[str, Any]:
    """A tap on an inline button. `message` is the bot's message the keyboard was attached to
    (e.g. the `result` FakeTelegramApi answered to sendMessage); by default one is made up."""
    if message is None:
        message = {
            "message_id": next(_incoming_message_ids), "from": dict(bot_user),
            "chat": person.private_chat(), "date": int(time.time()) - 10, "text": "Choose one",
            "reply_markup": {"inline_keyboard": [[{"text": data, "callback_data": data}]]},
        }
    query = {
        "id": str(secrets.randbits(63)),
        "from": person.user(),
        "message": dict(message),
        "chat_instance": str(-secrets.randbits(62)),
        "data": data,
    }
    return {"update_id": next(_update_ids), "callback_query": query}


def my_chat_member_update(
    new_status: str, person: TelegramPerson = ANA, bot_user: Mapping[str, Any] = DEFAULT_BOT_USER
) -> dict[str, Any]:
    """The person blocked ("kicked") or unblocked/started ("member") the bot in their chat."""
    old_status = "member" if new_status == "kicked" else "kicked"

    def member(status: str) -> dict[str, Any]:
        entry: dict[str, Any] = {"user": dict(bot_user), "status": status}
        if status == "kicked":
            entry["until_date"] = 0
        return entry

    change = {
        "chat": person.private_chat(), "from": person.user(), "date": int(time.time()),
        "old_chat_member": member(old_status), "new_chat_member": member(new_status),
    }
    return {"update_id": next(_update_ids), "my_chat_member": change}
