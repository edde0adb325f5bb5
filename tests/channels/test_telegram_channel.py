from __future__ import annotations
import time
from tests.channels.people import TelegramSeeker
from tests.fakes import telegram_api as tg
from tests.fakes.telegram_api import TelegramPerson
import uuid

import itertools
_ids = itertools.count(10_000, 10_000)
def fix(api, seeker):
    with api._lock:
        api._next_message_id[int(seeker.chat_id)] = itertools.count(next(_ids))
    return seeker
def person(lang="en"):
    return TelegramPerson(user_id=700_000_000 + uuid.uuid4().int % 100_000_000, language_code=lang)

def show(seeker, label):
    print("\n=====", label)
    for m in seeker.messages():
        print(m.direction, m.kind, m.status, m.error_code, repr(m.text[:90]), m.details, m.buttons and len(m.buttons), m.provider_id)


import json, urllib.request, urllib.error
from tests.channels.settings import TELEGRAM_SECRET
def raw(assistant, body, ctype="application/json"):
    req = urllib.request.Request(assistant.rasa_url + "/webhooks/telegram/webhook", data=body, headers={"Content-Type": ctype, "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()



def test_probe(assistant, telegram_api):
    for code in (429, 500):
        s = fix(telegram_api, TelegramSeeker(assistant, telegram_api))
        telegram_api.fail_next(1, code)
        t0 = time.monotonic()
        print(s.text("hi"), time.monotonic() - t0)
        show(s, f"fail {code}")
        print([(c.method, c.status, c.params.get("text","")[:20], c.received_at) for c in telegram_api.calls if str(c.params.get("chat_id")) == s.chat_id])
        print([(m.attempts, m.done_at, m.created_at) for m in s.messages()])
