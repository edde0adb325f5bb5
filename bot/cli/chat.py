"""A terminal conversation with the running assistant over Rasa's REST channel.

Choices the bot offers as buttons are shown numbered; typing the number sends that choice, the
way the SMS channel does.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlencode


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
