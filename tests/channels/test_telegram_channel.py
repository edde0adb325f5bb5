"""The Telegram channel over HTTP, against the running assistant: what Telegram posts to
`/webhooks/telegram/webhook`, what the bot sends back through the (local, fake) Bot API, and what
ends up in the database (the `messages` transcript, the seeker's consent and screening).

Every test talks as a new Telegram user, so no two tests share a conversation. Expected texts are
read from the flows' domain files and data/channel_replies.yml, not retyped.
"""
from __future__ import annotations

import itertools
import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import answers as a
from bot import channel_replies as replies
from bot.cli.harness import Assistant
from bot.store import MessageRecord
from tests.channels.people import TELEGRAM_PATH, TelegramSeeker, wait_until_settled
from tests.channels.settings import TELEGRAM_SECRET
from tests.fakes import telegram_api as updates
from tests.fakes.telegram_api import DEFAULT_BOT_USER, FakeTelegramApi

FLOWS = Path(__file__).resolve().parents[2] / "flows"
CHANNEL = "telegram"
# The first retry comes about 2 s after a failure; six tries must never be needed here.
RETRY_TIMEOUT_SECONDS = 15.0
# How long a test that expects things to go wrong waits before calling it stuck.
STUCK_AFTER_SECONDS = 5.0


# ---- expected texts, from the product's own files ----------------------------------------------
@lru_cache(maxsize=None)
def _responses() -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for domain_file in sorted(FLOWS.glob("*/domain.yml")):
        domain = yaml.safe_load(domain_file.read_text(encoding="utf-8")) or {}
        found.update(domain.get("responses") or {})
    return found


def _variation(name: str, language: str) -> dict[str, Any]:
    """The response's variation the bot uses for `language` (Spanish is conditioned on the slot)."""
    variations = _responses()[name]
    spanish = [v for v in variations if any(c.get("value") == "es" for c in v.get("condition") or [])]
    plain = [v for v in variations if not v.get("condition")]
    return (spanish if language == "es" else plain)[0]


def utterance(name: str, language: str = "en") -> str:
    return str(_variation(name, language)["text"])


def button_payloads(name: str, language: str = "en") -> list[str]:
    return [str(button["payload"]) for button in _variation(name, language).get("buttons") or []]


def texts(sent: list[Mapping[str, Any]]) -> list[str]:
    return [message["text"] for message in sent]


# ---- talking to the webhook --------------------------------------------------------------------
def post_raw(assistant: Assistant, body: bytes, secret: str | None = TELEGRAM_SECRET) -> tuple[int, str]:
    """POSTs any bytes to the webhook (the update builders only make valid JSON)."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(assistant.webhook_url + TELEGRAM_PATH, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _fresh_seeker(assistant: Assistant, telegram_api: FakeTelegramApi, language_code: str | None) -> TelegramSeeker:
    seeker = TelegramSeeker(assistant, telegram_api)
    seeker.person = replace(seeker.person, language_code=language_code)
    return seeker


@pytest.fixture
def new_seeker(assistant: Assistant, telegram_api: FakeTelegramApi) -> Callable[..., TelegramSeeker]:
    """Makes a Telegram user nobody has heard from; `language_code` is what their phone reports."""

    def make(language_code: str | None = "en") -> TelegramSeeker:
        seeker = _fresh_seeker(assistant, telegram_api, language_code)
        return seeker

    return make


@pytest.fixture
def seeker(new_seeker: Callable[..., TelegramSeeker]) -> TelegramSeeker:
    return new_seeker()


def delivered(seeker: TelegramSeeker, sent: Mapping[str, Any]) -> dict[str, Any]:
    """The Message Telegram returned for one sendMessage: what a later button press points at.
    Its message_id is the provider id the transcript kept for that reply."""
    rows = [m for m in seeker.messages() if m.direction == "out" and m.status == "sent" and m.text == sent["text"]]
    assert rows, f"no sent row for {sent['text']!r}"
    message: dict[str, Any] = {
        "message_id": int(rows[-1].provider_id.rsplit(":", 1)[1]),  # "chat:message"
        "from": dict(DEFAULT_BOT_USER),
        "chat": seeker.person.private_chat(),
        "date": int(rows[-1].created_at.timestamp()),
        "text": sent["text"],
    }
    if sent.get("reply_markup"):
        message["reply_markup"] = sent["reply_markup"]
    return message


def keyboard_payloads(sent: Mapping[str, Any]) -> list[str]:
    markup = sent.get("reply_markup") or {}
    return [button["callback_data"] for row in markup.get("inline_keyboard", []) for button in row]


def inbound(seeker: TelegramSeeker) -> list[MessageRecord]:
    return [m for m in seeker.messages() if m.direction == "in"]


def outbound(seeker: TelegramSeeker) -> list[MessageRecord]:
    return [m for m in seeker.messages() if m.direction == "out"]


def answers(seeker: TelegramSeeker) -> dict[str, Any]:
    screening = seeker.assistant.store.latest_screening(CHANNEL, seeker.chat_id)
    return screening.answers if screening is not None else {}


def consent_status(seeker: TelegramSeeker) -> str | None:
    found = seeker.assistant.store.find_seeker(CHANNEL, seeker.chat_id)
    return found.consent_status if found is not None else None


def last_consent_event(seeker: TelegramSeeker) -> tuple[str, str | None]:
    event = seeker.assistant.store.consent_history(CHANNEL, seeker.chat_id)[-1]
    return event.event, event.keyword


def tracker_of(assistant: Assistant, sender: str) -> dict[str, Any]:
    with urllib.request.urlopen(assistant.api_url(f"/conversations/{sender}/tracker"), timeout=30) as response:
        return json.loads(response.read())


# Update ids for hand-made updates, far from the builders' own counter.
_spare_update_ids = itertools.count(990_000_001)


def new_group_id() -> int:
    # Telegram's group ids are negative; each test gets its own group.
    return -4_000_000_000 - secrets.randbelow(1_000_000_000)


# The first reply: the consent notice, carrying the first question (the name).
CONSENT_WITH_THE_NAME_QUESTION = ("utter_consent_notice_ask_first_name",)
PRESS, TYPE = "press", "type"


# ---- 1. the secret token and the body ----------------------------------------------------------
def test_the_right_secret_is_answered_and_processed(seeker: TelegramSeeker) -> None:
    status, _ = seeker.post(updates.text_message_update("hi", person=seeker.person))
    assert status == 200
    wait_until_settled(seeker.assistant, CHANNEL, seeker.chat_id)
    assert texts(seeker.telegram_api.messages_to(seeker.chat_id)) == [utterance(n) for n in CONSENT_WITH_THE_NAME_QUESTION]
    assert [(m.kind, m.text, m.status) for m in inbound(seeker)] == [("text", "hi", "processed")]


@pytest.mark.parametrize(
    "secret",
    [
        pytest.param("not-the-secret", id="wrong"),
        pytest.param(TELEGRAM_SECRET.upper(), id="other-case"),
        pytest.param(TELEGRAM_SECRET[:-1], id="one-character-short"),
        pytest.param(TELEGRAM_SECRET + "x", id="one-character-long"),
        pytest.param("", id="empty-header"),
        pytest.param(None, id="missing-header"),
    ],
)
def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_stored(seeker: TelegramSeeker, secret: str | None) -> None:
    status, _ = seeker.post(updates.text_message_update("refused", person=seeker.person), secret=secret)
    assert status == 403
    assert seeker.messages() == ()
    assert seeker.assistant.store.find_seeker(CHANNEL, seeker.chat_id) is None
    # Messages are processed in order: once a genuine update is answered, a refused one that had
    # slipped in would be in the transcript before it.
    seeker.text("hi")
    assert [m.text for m in inbound(seeker)] == ["hi"]
    assert texts(seeker.telegram_api.messages_to(seeker.chat_id)) == [utterance(n) for n in CONSENT_WITH_THE_NAME_QUESTION]


def test_the_secret_is_checked_before_the_body_is_read(assistant: Assistant) -> None:
    assert post_raw(assistant, b"not json at all", secret="not-the-secret")[0] == 403


def _without_update_id(person: Any) -> bytes:
    update = updates.text_message_update("hi", person=person)
    del update["update_id"]
    return json.dumps(update).encode()


def _message_without_chat(person: Any) -> dict[str, Any]:
    update = updates.text_message_update("hi", person=person)
    del update["message"]["chat"]
    return update


def _press_on_an_inline_message(person: Any) -> dict[str, Any]:
    # A button under a message sent in inline mode carries no message, so no chat to answer in.
    update = updates.callback_query_update("1", person=person)
    del update["callback_query"]["message"]
    update["callback_query"]["inline_message_id"] = "AAAAAQ"
    return update


def _bot_added_to_a_group(person: Any) -> dict[str, Any]:
    update = updates.my_chat_member_update("member", person=person)
    update["my_chat_member"]["chat"] = {"id": new_group_id(), "title": "Test group", "type": "group"}
    return update


@pytest.mark.parametrize(
    "make_body",
    [
        pytest.param(lambda person: b"not json at all", id="not-json"),
        pytest.param(lambda person: b"", id="empty-body"),
        pytest.param(lambda person: b"null", id="json-null"),
        pytest.param(lambda person: b"[1, 2]", id="json-array"),
        pytest.param(lambda person: b'"hi"', id="json-string"),
        pytest.param(lambda person: b"{}", id="empty-object"),
        pytest.param(_without_update_id, id="message-without-update-id"),
        pytest.param(lambda person: b'{"update_id": 1, "message": "hi"}', id="message-not-an-object"),
        pytest.param(lambda person: b'{"update_id": "x", "callback_query": {"id": "1"}}', id="callback-query-missing-fields"),
    ],
)
def test_a_body_that_is_not_an_update_is_a_bad_request(seeker: TelegramSeeker, make_body: Callable[[Any], bytes]) -> None:
    status, body = post_raw(seeker.assistant, make_body(seeker.person))
    assert (status, body) == (400, "Not a Telegram update")
    assert seeker.messages() == ()
    assert seeker.telegram_api.messages_to(seeker.chat_id) == []


@pytest.mark.parametrize(
    "make_update",
    [
        pytest.param(lambda person: {"update_id": next(_spare_update_ids)}, id="no-known-kind"),
        pytest.param(_message_without_chat, id="message-without-chat"),
        pytest.param(_press_on_an_inline_message, id="inline-button"),
        pytest.param(_bot_added_to_a_group, id="bot-added-to-group"),
    ],
)
def test_an_update_with_nobody_to_answer_is_accepted_and_dropped(
    seeker: TelegramSeeker, make_update: Callable[[Any], dict[str, Any]]
) -> None:
    status, body = seeker.post(make_update(seeker.person))
    assert (status, body) == (200, "")  # Telegram would resend anything else
    seeker.text("hi")  # processed in order: anything stored before it would show up first
    assert [m.text for m in inbound(seeker)] == ["hi"]


# ---- 2. redeliveries ---------------------------------------------------------------------------
def _pressed_on_a_made_up_message(seeker: TelegramSeeker) -> dict[str, Any]:
    return updates.callback_query_update("1", person=seeker.person)


@pytest.mark.parametrize(
    "make_update",
    [
        pytest.param(lambda s: updates.text_message_update("hi", person=s.person), id="text"),
        pytest.param(lambda s: updates.start_command_update(person=s.person), id="start"),
        pytest.param(_pressed_on_a_made_up_message, id="button"),
    ],
)
def test_an_update_delivered_twice_is_stored_and_answered_once(
    seeker: TelegramSeeker, make_update: Callable[[TelegramSeeker], dict[str, Any]]
) -> None:
    update = make_update(seeker)
    assert seeker.post(update)[0] == 200
    assert seeker.post(update)[0] == 200
    wait_until_settled(seeker.assistant, CHANNEL, seeker.chat_id)
    assert [m.provider_id for m in inbound(seeker)] == [str(update["update_id"])]
    sent = texts(seeker.telegram_api.messages_to(seeker.chat_id))
    if "callback_query" in update:
        # A press on a keyboard we never sent answers no question: stored once, ignored once.
        assert sent == [] and [m.status for m in inbound(seeker)] == ["ignored"]
    else:
        assert sent == [utterance(n) for n in CONSENT_WITH_THE_NAME_QUESTION]
    assert [m.text for m in outbound(seeker)] == sent
    if "callback_query" in update:
        query_id = update["callback_query"]["id"]
        seeker.telegram_api.wait_for(
            lambda calls: any(c.method == "answerCallbackQuery" for c in calls
                              if c.params.get("callback_query_id") == query_id)
        )
        answered = [c for c in seeker.telegram_api.calls_of("answerCallbackQuery")
                    if c.params.get("callback_query_id") == query_id]
        assert len(answered) == 1


# ---- 3. every kind of update -------------------------------------------------------------------
def _cannot_read(language: str) -> list[str]:
    return [replies.reply(replies.CANNOT_READ_MEDIA, language)]


FIRST_UPDATES = [
    # (id, phone language, update builder, row kind, row details it must carry, replies)
    ("text", "en", lambda p: updates.text_message_update("hi", person=p), "text", {},
     [utterance(n) for n in CONSENT_WITH_THE_NAME_QUESTION]),
    ("start", "en", lambda p: updates.start_command_update(person=p), "command", {"command": "start"},
     [utterance(n) for n in CONSENT_WITH_THE_NAME_QUESTION]),
    ("start-spanish-phone", "es", lambda p: updates.start_command_update(person=p), "command",
     {"command": "start"}, [utterance(n, "es") for n in CONSENT_WITH_THE_NAME_QUESTION]),
    ("start-deep-link", "en", lambda p: updates.start_command_update("HHC", person=p), "command",
     {"command": "start", "command_payload": "HHC"}, [utterance(n) for n in CONSENT_WITH_THE_NAME_QUESTION]),
    ("help", "en", lambda p: updates.text_message_update("/help", person=p), "command", {"command": "help"},
     [utterance("utter_help")]),
    ("help-spanish-phone", "es", lambda p: updates.text_message_update("/help", person=p), "command",
     {"command": "help"}, [utterance("utter_help", "es")]),
    ("help-addressed-to-the-bot", "en", lambda p: updates.text_message_update("/help@cook_intake_test_bot", person=p),
     "command", {"command": "help"}, [utterance("utter_help")]),
    # /language names no language: it means "the other one", Spanish for someone new.
    ("language-first", "en", lambda p: updates.text_message_update("/language", person=p), "command",
     # Switching language is not an answer: the notice alone, then the form's first question.
     {"command": "language"}, [utterance("utter_consent_notice", "es"), utterance("utter_ask_first_name", "es")]),
    ("photo", "en", lambda p: updates.photo_update(person=p), "media", {"media": [{"type": "photo"}]},
     _cannot_read("en")),
    ("sticker", "en", lambda p: updates.sticker_update(person=p), "media", {"media": [{"type": "sticker"}]},
     _cannot_read("en")),
    ("voice", "en", lambda p: updates.voice_update(person=p), "media", {"media": [{"type": "voice"}]},
     _cannot_read("en")),
    ("photo-spanish-phone", "es", lambda p: updates.photo_update(person=p), "media",
     {"media": [{"type": "photo"}]}, _cannot_read("es")),
    ("sticker-spanish-phone", "es", lambda p: updates.sticker_update(person=p), "media",
     {"media": [{"type": "sticker"}]}, _cannot_read("es")),
    ("voice-spanish-phone", "es", lambda p: updates.voice_update(person=p), "media",
     {"media": [{"type": "voice"}]}, _cannot_read("es")),
    ("location", "en", lambda p: updates.location_update(person=p), "location", {},
     [replies.reply(replies.LOCATION_RECEIVED, "en")]),
    ("location-spanish-phone", "es", lambda p: updates.location_update(person=p), "location", {},
     [replies.reply(replies.LOCATION_RECEIVED, "es")]),
    ("contact", "en", lambda p: updates.contact_update(person=p), "contact", {},
     [replies.reply(replies.CONTACT_RECEIVED, "en")]),
    ("contact-spanish-phone", "es", lambda p: updates.contact_update(person=p), "contact", {},
     [replies.reply(replies.CONTACT_RECEIVED, "es")]),
]


@pytest.mark.parametrize(
    "language, make_update, kind, details, expected",
    [pytest.param(*case[1:], id=case[0]) for case in FIRST_UPDATES],
)
def test_a_first_update_of_each_kind_is_answered_and_recorded(
    new_seeker: Callable[..., TelegramSeeker],
    language: str,
    make_update: Callable[[Any], dict[str, Any]],
    kind: str,
    details: dict[str, Any],
    expected: list[str],
) -> None:
    seeker = new_seeker(language)
    sent = seeker.send(make_update(seeker.person))
    assert texts(sent) == expected
    assert all("reply_markup" not in message for message in sent)
    (row,) = inbound(seeker)
    assert (row.kind, row.status) == (kind, "processed")
    assert {key: (row.details or {}).get(key) for key in details} == details
    assert (row.details or {}).get("language_hint") == language
    # The transcript holds every reply, sent, in answer to that message.
    assert [(m.text, m.status, m.in_reply_to) for m in outbound(seeker)] == [(t, "sent", row.id) for t in expected]


def test_a_deep_link_payload_reaches_the_dialogue(seeker: TelegramSeeker) -> None:
    seeker.send(updates.start_command_update("HHC", person=seeker.person))
    metadata = tracker_of(seeker.assistant, seeker.chat_id)["latest_message"]["metadata"]
    assert (metadata["deep_link"], metadata["keyword"]) == ("HHC", "/start")


def test_a_shared_contact_number_is_not_kept(seeker: TelegramSeeker) -> None:
    number = "13125550177"
    seeker.send(updates.contact_update(person=seeker.person, phone_number=number))
    (row,) = inbound(seeker)
    assert number not in json.dumps([row.text, row.details])


def test_a_photo_caption_is_read_as_an_answer(seeker: TelegramSeeker) -> None:
    seeker.text("hi")
    sent = seeker.send(updates.photo_update(person=seeker.person, caption="Marcus"))
    assert texts(sent) == _cannot_read("en") + [utterance("utter_ask_zip_code")]
    assert answers(seeker)[a.FIRST_NAME] == "Marcus"
    row = inbound(seeker)[-1]
    assert (row.kind, row.text, row.status) == ("media", "Marcus", "processed")


def test_an_edited_message_is_read_as_a_new_answer(seeker: TelegramSeeker) -> None:
    first = updates.text_message_update("hi", person=seeker.person)
    seeker.send(first)
    edit = updates.edited_message_update("Luis", message_id=first["message"]["message_id"], person=seeker.person)
    assert texts(seeker.send(edit)) == [utterance("utter_ask_zip_code")]
    assert answers(seeker)[a.FIRST_NAME] == "Luis"
    row = inbound(seeker)[-1]
    assert (row.kind, row.text, row.status, row.details["edited"]) == ("text", "Luis", "processed", True)


@pytest.mark.parametrize("language", ["en", "es"])
def test_stop_opts_out_once_silences_everything_and_start_brings_them_back(
    new_seeker: Callable[..., TelegramSeeker], language: str
) -> None:
    seeker = new_seeker(language)
    seeker.send(updates.start_command_update(person=seeker.person))
    stop = updates.text_message_update("/stop", person=seeker.person)
    assert texts(seeker.send(stop)) == [utterance("utter_opted_out", language)]
    assert consent_status(seeker) == "opted_out"
    assert last_consent_event(seeker) == ("opt_out", "/stop")

    sent_before = len(outbound(seeker))
    assert seeker.text("Ana") == []
    assert seeker.text("60623") == []
    assert seeker.send(updates.text_message_update("/stop", person=seeker.person)) == []  # confirmed once
    press = updates.callback_query_update("1", person=seeker.person)
    assert seeker.send(press) == []
    query_id = press["callback_query"]["id"]
    seeker.telegram_api.wait_for(  # the button still stops spinning
        lambda calls: any(c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id
                          for c in calls)
    )
    assert len(outbound(seeker)) == sent_before  # nothing queued either, not even refused
    # The press was on a keyboard we never sent: ignored rather than read as an answer.
    assert all(m.status in ("processed", "ignored") for m in inbound(seeker))

    back = seeker.send(updates.start_command_update(person=seeker.person))
    assert texts(back) == [utterance("utter_opted_in", language)]
    assert consent_status(seeker) == "granted"
    assert last_consent_event(seeker) == ("opt_in", "/start")


def test_blocking_the_bot_opts_out_silently_and_start_after_unblocking_opts_back_in(seeker: TelegramSeeker) -> None:
    seeker.text("hi")
    sent_before = len(seeker.telegram_api.messages_to(seeker.chat_id))
    assert seeker.send(updates.my_chat_member_update("kicked", person=seeker.person)) == []
    assert consent_status(seeker) == "opted_out"
    assert last_consent_event(seeker) == ("opt_out", "blocked")
    # Unblocking alone is not consent to texts: the /start that follows it is.
    assert seeker.send(updates.my_chat_member_update("member", person=seeker.person)) == []
    assert consent_status(seeker) == "opted_out"
    assert len(seeker.telegram_api.messages_to(seeker.chat_id)) == sent_before
    assert [(m.kind, m.status) for m in inbound(seeker)][-2:] == [("blocked", "processed"), ("unblocked", "processed")]
    # Back where they were: the confirmation, then the pending question.
    assert texts(seeker.send(updates.start_command_update(person=seeker.person)))[0] == utterance("utter_opted_in")
    assert consent_status(seeker) == "granted"
    assert last_consent_event(seeker) == ("opt_in", "/start")


def test_coming_back_after_stop_block_and_unblock_gets_an_answer(seeker: TelegramSeeker) -> None:
    seeker.text("hi")
    seeker.send(updates.text_message_update("/stop", person=seeker.person))
    seeker.send(updates.my_chat_member_update("kicked", person=seeker.person))
    seeker.send(updates.my_chat_member_update("member", person=seeker.person))
    # Unblocking in Telegram shows a Restart button, which sends /start.
    assert seeker.send(updates.start_command_update(person=seeker.person)) != []


def test_help_during_the_intake_answers_and_asks_the_question_again(seeker: TelegramSeeker) -> None:
    seeker.text("hi")
    sent = seeker.send(updates.text_message_update("/help", person=seeker.person))
    assert texts(sent) == [utterance("utter_help"), utterance("utter_ask_first_name")]


@pytest.mark.parametrize(
    "phone_language, first_words, command, switched_to",
    [
        pytest.param("en", "hi", "/idioma", "es", id="idioma-in-english"),
        pytest.param("es", "hola", "/language", "en", id="language-in-spanish"),
    ],
)
def test_the_language_command_switches_the_language(
    new_seeker: Callable[..., TelegramSeeker], phone_language: str, first_words: str, command: str, switched_to: str
) -> None:
    seeker = new_seeker(phone_language)
    seeker.text(first_words)
    sent = seeker.send(updates.text_message_update(command, person=seeker.person))
    assert texts(sent) == [utterance("utter_language_switched", switched_to), utterance("utter_ask_first_name", switched_to)]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_group_is_refused_politely_once(new_seeker: Callable[..., TelegramSeeker], language: str) -> None:
    seeker = new_seeker(language)
    group = new_group_id()
    api, assistant = seeker.telegram_api, seeker.assistant
    for text in ("hi bot", "hello again", "/start"):
        status, _ = seeker.post(updates.group_message_update(text, person=seeker.person, group_id=group))
        assert status == 200
        wait_until_settled(assistant, CHANNEL, str(group))
    assert texts(api.messages_to(group)) == [replies.reply(replies.GROUP_REFUSED, language)]
    rows = assistant.messages.transcript(CHANNEL, str(group))
    assert [(m.direction, m.kind, m.status) for m in rows] == [
        ("in", "group", "ignored"), ("out", "text", "sent"), ("in", "group", "ignored"), ("in", "group", "ignored"),
    ]
    # Nothing reached the dialogue or the person's own chat.
    assert api.messages_to(seeker.chat_id) == []
    assert assistant.store.find_seeker(CHANNEL, seeker.chat_id) is None
    assert assistant.store.latest_screening(CHANNEL, str(group)) is None


@pytest.mark.parametrize("how", ["pressed", "typed"])
def test_a_button_press_is_acknowledged_and_read_like_a_typed_answer(seeker: TelegramSeeker, how: str) -> None:
    seeker.text("hi")
    seeker.text("Ana")
    (question,) = seeker.text("60623")
    assert question["text"] == utterance("utter_ask_sectors")
    assert keyboard_payloads(question) == button_payloads("utter_ask_sectors")
    if how == "typed":
        sent = seeker.text("1")
    else:
        message = delivered(seeker, question)
        press = updates.callback_query_update("1", person=seeker.person, message=message)
        sent = seeker.send(press)
        query_id = press["callback_query"]["id"]
        api = seeker.telegram_api
        # Message ids count per chat: other tests' chats have a message 4 too.
        def this_keyboard(params) -> bool:
            return params.get("message_id") == message["message_id"] and str(params.get("chat_id")) == seeker.chat_id

        api.wait_for(lambda calls: any(c.ok and c.method == "editMessageReplyMarkup" and this_keyboard(c.params) for c in calls))
        assert [c.params for c in api.calls_of("answerCallbackQuery")
                if c.params.get("callback_query_id") == query_id] == [{"callback_query_id": query_id}]
        edits = [c.params for c in api.calls_of("editMessageReplyMarkup") if this_keyboard(c.params)]
        assert edits == [{"chat_id": int(seeker.chat_id), "message_id": message["message_id"]}]  # keyboard removed
        row = inbound(seeker)[-1]
        assert (row.kind, row.text, row.details["callback_query_id"]) == ("button", "1", query_id)
    assert texts(sent) == [utterance("utter_ask_age_and_work_authorized")]
    assert answers(seeker)[a.SECTORS] == ["healthcare"]


def test_a_second_press_on_an_answered_keyboard_does_not_answer_the_next_question(seeker: TelegramSeeker) -> None:
    steps = [("hi", TYPE), ("Ana", TYPE), ("60623", TYPE), ("1", PRESS), ("30", TYPE), ("yes", TYPE),
             ("1", PRESS), ("no", TYPE)]
    sent: list[Mapping[str, Any]] = []
    for answer, how in steps:
        sent = seeker.press(delivered(seeker, sent[-1]), answer) if how == PRESS else seeker.text(answer)
    education = sent[-1]
    assert education["text"] == utterance("utter_ask_education")
    assert texts(seeker.press(delivered(seeker, education), "3")) == [utterance("utter_ask_military")]
    seeker.press(delivered(seeker, education), "1")  # the same keyboard, tapped again
    assert answers(seeker)[a.EDUCATION] == "diploma"
    assert a.VETERAN not in answers(seeker)


# ---- 4. a whole intake -------------------------------------------------------------------------
# (question the bot asks, how the person answers: a button payload to press or words to type)
INTAKE = [
    ("utter_consent_notice_ask_first_name", TYPE, "Marcus"),
    ("utter_ask_zip_code", TYPE, "60644"),
    ("utter_ask_sectors", PRESS, "3"),
    ("utter_ask_age_and_work_authorized", TYPE, "41, yes"),  # both answers in one reply
    ("utter_ask_employment_status", PRESS, "3"),
    ("utter_ask_layoff_employer", TYPE, "amazon"),
    ("utter_ask_layoff_date", TYPE, "2 weeks ago"),
    ("utter_ask_ui_status", PRESS, "1"),
    # 41: past Youth age, school is not asked.
    ("utter_ask_education", PRESS, "3"),
    ("utter_ask_military", PRESS, "3"),
    ("utter_ask_public_assistance", PRESS, "5"),
    # No aid named: barriers can still settle the priority group.
    ("utter_ask_barriers", PRESS, "7"),
    # Nothing has settled his priority group: the family's size and income can.
    ("utter_ask_family_income", TYPE, "4, 52000"),
    ("utter_ask_selective_service", PRESS, "1"),
]


def test_a_whole_intake_by_telegram_with_buttons(seeker: TelegramSeeker) -> None:
    sent = seeker.send(updates.start_command_update(person=seeker.person))
    assert texts(sent) == [utterance(n) for n in CONSENT_WITH_THE_NAME_QUESTION]
    for question, how, answer in INTAKE:
        asked = sent[-1]
        assert asked["text"] == utterance(question), texts(sent)
        if how == PRESS:
            assert keyboard_payloads(asked) == button_payloads(question)
            sent = seeker.press(delivered(seeker, asked), answer)
        else:
            assert "reply_markup" not in asked
            sent = seeker.text(answer)
    summary = "\n".join(texts(sent))
    assert "Thanks, Marcus!" in summary
    assert "Transportation" in summary
    assert "WIOA Dislocated Worker: likely a fit" in summary
    assert "Next step: American Job Center, City of Chicago" in summary

    screening = seeker.assistant.store.latest_screening(CHANNEL, seeker.chat_id)
    assert screening.status == "complete"
    expected = {
        a.FIRST_NAME: "Marcus", a.ZIP_CODE: "60644", a.SECTORS: ["transportation"], a.AGE: 41,
        a.WORK_AUTHORIZED: True, a.EMPLOYMENT_STATUS: "laid_off", a.UI_STATUS: "receiving",
        a.EDUCATION: "diploma", a.VETERAN: False, a.MILITARY_SPOUSE: False,
        a.PUBLIC_ASSISTANCE: [], a.BARRIERS: [], a.SELECTIVE_SERVICE: "registered",
    }
    assert {key: screening.answers.get(key) for key in expected} == expected
    assert screening.results["programs"]["wioa_dislocated_worker"]["determination"] == "likely"
    assert seeker.assistant.store.find_seeker(CHANNEL, seeker.chat_id).consent_status != "opted_out"

    # The transcript: every update in, every reply out, in order, all done.
    rows = seeker.messages()
    presses = sum(1 for _, how, _ in INTAKE if how == PRESS)
    assert [m.kind for m in rows if m.direction == "in"] == ["command"] + [
        "button" if how == PRESS else "text" for _, how, _ in INTAKE
    ]
    assert sum(1 for m in rows if m.kind == "button") == presses
    assert {m.status for m in rows if m.direction == "in"} == {"processed"}
    assert {m.status for m in rows if m.direction == "out"} == {"sent"}
    delivered_texts = texts(seeker.telegram_api.messages_to(seeker.chat_id))
    assert [m.text for m in rows if m.direction == "out"] == delivered_texts
    # Every reply answers the message just before it.
    last_inbound = None
    for row in rows:
        if row.direction == "in":
            last_inbound = row.id
        else:
            assert row.in_reply_to == last_inbound


# ---- 5. when sending fails ---------------------------------------------------------------------
def test_a_person_who_blocked_the_bot_is_recorded_opted_out_and_not_retried(seeker: TelegramSeeker) -> None:
    api = seeker.telegram_api
    seeker.text("hi")
    api.block(seeker.chat_id)
    try:
        assert seeker.text("Ana") == []
        assert seeker.text("60623") == []
    finally:
        api.unblock(seeker.chat_id)
    refusals = [c for c in api.calls if c.method == "sendMessage" and str(c.params.get("chat_id")) == seeker.chat_id
                and c.status == 403]
    assert len(refusals) == 1  # the first failure opts them out; nothing is tried again
    assert consent_status(seeker) == "opted_out"
    assert last_consent_event(seeker) == ("opt_out", "blocked")
    after_block = [(m.text, m.status, m.error_code) for m in outbound(seeker)][len(CONSENT_WITH_THE_NAME_QUESTION):]
    assert after_block[0] == (utterance("utter_ask_zip_code"), "failed", "blocked")
    assert all(status == "refused" for _, status, _ in after_block[1:])


@pytest.mark.parametrize("status", [500, 502, 429])
def test_a_reply_the_api_fails_for_a_moment_is_retried_and_delivered_once(seeker: TelegramSeeker, status: int) -> None:
    api = seeker.telegram_api
    api.fail_next(1, status)
    # A first message with the name: two replies, the notice and the next question.
    status_code, _ = seeker.post(updates.text_message_update("hi my name is Ana", person=seeker.person))
    assert status_code == 200
    wait_until_settled(seeker.assistant, CHANNEL, seeker.chat_id, timeout=RETRY_TIMEOUT_SECONDS)
    expected = [utterance("utter_consent_notice"), utterance("utter_ask_zip_code")]
    calls = [(c.params["text"], c.status) for c in api.calls
             if c.method == "sendMessage" and str(c.params.get("chat_id")) == seeker.chat_id]
    assert calls == [(expected[0], status), (expected[0], 200), (expected[1], 200)]
    rows = outbound(seeker)
    assert [(m.text, m.status, m.attempts) for m in rows] == [(expected[0], "sent", 2), (expected[1], "sent", 1)]


def test_a_reply_the_api_rejects_is_not_retried_and_the_next_one_still_goes(seeker: TelegramSeeker) -> None:
    seeker.telegram_api.fail_next(1, 400)
    sent = seeker.text("hi my name is Ana")  # two replies: the notice, then the ZIP question
    assert texts(sent) == [utterance("utter_ask_zip_code")]
    assert [(m.status, m.error_code, m.attempts) for m in outbound(seeker)] == [
        ("failed", "bad_request", 1), ("sent", None, 1),
    ]


# ---- bugs that block the channel ---------------------------------------------------------------
def test_two_new_people_each_get_their_replies(assistant: Assistant, telegram_api: FakeTelegramApi) -> None:
    # Chats numbered from 1, as Telegram numbers a new chat's messages.
    people = [_fresh_seeker(assistant, telegram_api, "en") for _ in range(2)]
    for person in people:
        assert person.post(updates.text_message_update("hi", person=person.person))[0] == 200
    for person in people:
        try:
            wait_until_settled(assistant, CHANNEL, person.chat_id, timeout=STUCK_AFTER_SECONDS)
        except TimeoutError:
            pass  # the statuses say what is stuck
    first_replies = ["sent"] * len(CONSENT_WITH_THE_NAME_QUESTION)
    assert [[m.status for m in outbound(person)] for person in people] == [first_replies] * 2


