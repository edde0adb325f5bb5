"""`make chat`: a terminal conversation with the running assistant.

SMS mode (the default) is what a person's phone gets: each line is stored as an inbound Twilio
text and handed to the running assistant exactly as the webhook ingest process hands one over
(the message log, then a wake datagram), so the same inbound processing applies (consent, STOP and
HELP, numbered replies, the pause while staff have the conversation); each reply is printed as the
Twilio channel renders it (choices as "Reply 1 for ...", folded to GSM-7) with its billed segments.
Only the webhook's signature check is skipped. The conversation is a fictional 555-01xx number:
with real Twilio credentials the replies are queued like any SMS and fail at Twilio.

REST mode (`--rest`) talks to Rasa's REST channel as before: no consent gate, no pause, buttons
shown numbered (typing the number sends that choice).
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlencode
from collections.abc import Callable
from dataclasses import dataclass

SMS_CHANNEL = "twilio"
# Replies to one text: the assistant answers in well under a second; a minute means it is not there.
REPLY_TIMEOUT_SECONDS = 60.0
_POLL_SECONDS = 0.1


def send(rasa_url: str, sender: str, text: str, token: str | None) -> list[dict]:
    """`token`: the Rasa server's API token, which its REST channel wants too."""
    query = f"?{urlencode({'token': token})}" if token else ""
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook{query}",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"[]")


def render(messages: list[dict]) -> list[dict]:
    """Prints the bot's messages; returns the buttons of the last one that had any."""
    buttons: list[dict] = []
    for message in messages:
        if message.get("text"):
            print(f"bot> {message['text']}")
        if message.get("buttons"):
            buttons = message["buttons"]
            for number, button in enumerate(buttons, start=1):
                print(f"       {number}. {button['title']}")
    return buttons


def chat(rasa_url: str, sender: str | None = None, token: str | None = None) -> int:
    sender = sender or f"chat-{uuid.uuid4().hex[:8]}"
    print(f"Talking to {rasa_url} as {sender}. Type a message; Ctrl-D or /quit ends.")
    buttons: list[dict] = []
    while True:
        try:
            text = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not text:
            continue
        if text == "/quit":
            return 0
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        try:
            buttons = render(send(rasa_url, sender, text, token)) or []
        except urllib.error.HTTPError as error:
            if error.code != 401:
                raise
            print("The assistant refused the API token: set RASA_API_TOKEN to the one `make run` uses.")
            return 1
        except urllib.error.URLError as error:
            print(f"Cannot reach the assistant at {rasa_url} ({error.reason}). Is `make run` running?")
            return 1


def fictional_number() -> str:
    """A Chicago number in 555-0100..0199, reserved for fiction: never a real person's phone."""
    return f"+1312555{100 + uuid.uuid4().int % 100:04d}"


@dataclass(frozen=True)
class SmsReply:
    body: str  # as texted: choices numbered, folded to GSM-7
    segments: int
    encoding: str  # "GSM-7" or "UCS-2"


@dataclass(frozen=True)
class SmsTurn:
    replies: tuple[SmsReply, ...]
    handoff_id: int | None  # set while a handoff is open (the text is in the staff console)
    answered: bool  # False: processed, and kept for staff with no answer from the bot


class SmsConversation:
    """One fictional phone texting the running assistant through its inbound processing."""

    def __init__(self, database_url: str, wake_port: int, number: str | None = None) -> None:
        from bot.channels.wake import WakeSender
        from bot.bootstrap import build_stores

        self.number = number or fictional_number()
        self._log = build_stores(database_url=database_url).messages
        self._wake = WakeSender(wake_port)

    def text(self, body: str, timeout: float = REPLY_TIMEOUT_SECONDS) -> SmsTurn:
        from bot.channels import inbound as kinds
        from bot.store.vocabulary import INBOUND_IGNORED, INBOUND_PROCESSED

        record, _ = self._log.record_inbound(
            SMS_CHANNEL, self.number, provider_id=f"SMchat{uuid.uuid4().hex}", kind=kinds.TEXT, text=body.strip()
        )
        self._wake.send(record.id)  # lost or not, the assistant's poll of the log finds it
        deadline = time.monotonic() + timeout
        stored = self._log.get(record.id)
        while stored is not None and stored.status not in (INBOUND_PROCESSED, INBOUND_IGNORED):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer within {timeout:.0f} s")
            time.sleep(_POLL_SECONDS)
            stored = self._log.get(record.id)
        replies = tuple(
            render_sms(message.text, message.buttons, message.language)
            for message in self._log.transcript(SMS_CHANNEL, self.number)
            if message.direction == "out" and message.in_reply_to == record.id
        )
        details = (stored.details if stored is not None else None) or {}
        handoff_id = details.get("handoff_id")
        return SmsTurn(replies, handoff_id, bool(replies) or handoff_id is None)

    def close(self) -> None:
        self._wake.close()


def render_sms(text: str, buttons, language: str | None) -> SmsReply:
    """A queued reply as the Twilio channel sends it (bot.channels.providers uses the same
    sms_body), with what it bills."""
    from bot.sms import sms_body
    from bot.sms import is_gsm7, segments

    body = sms_body(text, buttons, language or "en")
    return SmsReply(body, segments(body), "GSM-7" if is_gsm7(body) else "UCS-2")


def is_running(rasa_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{rasa_url}/", timeout=5):
            return True
    except (urllib.error.URLError, OSError):
        return False


def sms_chat(
    rasa_url: str,
    database_url: str,
    wake_port: int,
    number: str | None = None,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> int:
    if not is_running(rasa_url):
        # Checked first: a text stored with nobody to process it would wait for the next start.
        write(f"Cannot reach the assistant at {rasa_url}. Is `make run` running?")
        return 1
    conversation = SmsConversation(database_url, wake_port, number)
    write(f"Texting the assistant by SMS as {conversation.number}. Type a message; Ctrl-D or /quit ends.")
    total_segments = 0
    try:
        while True:
            try:
                text = read("you> ").strip()
            except (EOFError, KeyboardInterrupt):
                write("")
                break
            if not text:
                continue
            if text == "/quit":
                break
            try:
                turn = conversation.text(text)
            except TimeoutError:
                write("The assistant did not answer. Is `make run` running?")
                return 1
            for reply in turn.replies:
                total_segments += reply.segments
                write(f"bot> {reply.body}")
                write(f"     [{reply.segments} segment{'s' if reply.segments != 1 else ''}, {reply.encoding}]")
            if not turn.answered:
                write(f"     (no reply from the bot: kept for staff, handoff {turn.handoff_id})")
    finally:
        conversation.close()
    write(f"{total_segments} segments billed in this conversation.")
    return 0
