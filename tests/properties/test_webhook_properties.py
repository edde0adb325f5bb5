"""Property-based tests (hypothesis) against a running webhook ingest process: whatever Telegram
or Twilio (or anyone) posts — any text, unicode edge cases (NUL, right-to-left marks, emoji, lone
surrogates), empty and odd bodies, duplicates and out-of-order deliveries — the answer is never a
500, the process stays up, and every accepted message is stored exactly once.

Each test prints how many inputs it tried (pytest -s shows them)."""
from __future__ import annotations

import itertools
import urllib.error
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli.harness import new_test_phone_number
from bot.cli.supervisor import answers_ok
from tests.channels.ingest_alone import running_ingest
from tests.channels.people import TELEGRAM_PATH, TWILIO_PATH
from tests.channels.settings import OUR_NUMBER, PUBLIC_BASE_URL, TELEGRAM_SECRET, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
from tests.fakes import telegram_api as telegram
from tests.fakes.twilio_api import signed_twilio_post, twilio_inbound_params

EXAMPLES = 60
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Text with the characters that break naive code: NUL, bidi controls, emoji, combining marks,
# and (in JSON, as \\u escapes) lone surrogates.
EDGE_CHARACTERS = st.sampled_from(["\x00", "\u202e", "\u200f", "\U0001f600", "\u0301", "\ud800", "\udfff", "\ufeff", "\n"])
ANY_TEXT = st.lists(st.one_of(st.characters(), EDGE_CHARACTERS), max_size=300).map("".join)
# What can be form-encoded (UTF-8): everything but surrogates.
FORM_TEXT = st.lists(st.one_of(st.characters(exclude_categories=("Cs",)), st.just("\x00")), max_size=300).map("".join)
_update_ids = itertools.count(500_000_001)
_user_ids = itertools.count(800_000_001)


@pytest.fixture(scope="module")
def ingest(tmp_path_factory):
    with running_ingest(tmp_path_factory.mktemp("properties")) as process:
        yield process


def _storable_everywhere(text: str) -> bool:
    text.encode("utf-8")  # raises on a lone surrogate
    return "\x00" not in text


def _stored(ingest, channel: str, address: str) -> list:
    return [row for row in ingest.messages.transcript(channel, address) if row.direction == "in"]


def test_any_telegram_text_is_stored_once_whatever_the_order_and_repeats(ingest):
    tried = 0

    @PROPERTY_SETTINGS
    @given(texts=st.lists(ANY_TEXT, min_size=1, max_size=4), order=st.randoms(use_true_random=False), repeats=st.integers(1, 3))
    def deliveries(texts, order, repeats):
        nonlocal tried
        tried += 1
        person = telegram.TelegramPerson(user_id=next(_user_ids))
        updates = [telegram.text_message_update(text, person=person) for text in texts]
        for update in updates:
            update["update_id"] = next(_update_ids)
        sent = updates * repeats
        order.shuffle(sent)  # duplicates and out-of-order, as Telegram's retries deliver them
        for update in sent:
            status, _ = telegram.post_update(ingest.url + TELEGRAM_PATH, update, TELEGRAM_SECRET)
            assert status == 200, (status, update)
        stored = _stored(ingest, "telegram", str(person.user_id))
        assert sorted(row.provider_id for row in stored) == sorted({row.provider_id for row in stored})
        assert len(stored) == len(updates)  # nothing lost, nothing twice
        # Storable on PostgreSQL too: no NUL, no lone surrogate.
        assert all(_storable_everywhere(row.text) for row in stored)

    deliveries()
    print(f"\ntelegram deliveries tried: {tried}")
    assert answers_ok(ingest.url + "/health")


def test_any_signed_twilio_form_is_answered_without_a_server_error(ingest):
    tried = 0

    @PROPERTY_SETTINGS
    @given(body=FORM_TEXT, extra=st.dictionaries(FORM_TEXT.filter(bool), FORM_TEXT, max_size=5), repeats=st.integers(1, 2))
    def deliveries(body, extra, repeats):
        nonlocal tried
        tried += 1
        number = new_test_phone_number()
        params = {**extra, **twilio_inbound_params(from_=number, to=OUR_NUMBER, body=body, account_sid=TWILIO_ACCOUNT_SID)}
        for _ in range(repeats):
            status, _ = signed_twilio_post(
                ingest.url + TWILIO_PATH, params, TWILIO_AUTH_TOKEN, signature_url=PUBLIC_BASE_URL + TWILIO_PATH
            )
            assert status == 200, status
        (stored,) = _stored(ingest, "twilio", number)
        assert "\x00" not in stored.text

    deliveries()
    print(f"\ntwilio forms tried: {tried}")


@pytest.mark.parametrize("path", [TWILIO_PATH, TELEGRAM_PATH])
def test_any_raw_body_gets_an_answer_below_500(ingest, path):
    tried = 0

    @PROPERTY_SETTINGS
    @given(body=st.binary(max_size=2000), content_type=st.sampled_from(
        ["application/json", "application/x-www-form-urlencoded", "text/plain", "", "application/json; charset=latin-1"]
    ))
    def posts(body, content_type):
        nonlocal tried
        tried += 1
        headers = {"Content-Type": content_type} if content_type else {}
        headers["X-Telegram-Bot-Api-Secret-Token"] = TELEGRAM_SECRET  # past the secret: the parser itself
        request = urllib.request.Request(ingest.url + path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status = answer.status
        except urllib.error.HTTPError as refused:
            status = refused.code
        assert status < 500, (status, body[:80])

    posts()
    print(f"\nraw bodies tried on {path}: {tried}")
    assert answers_ok(ingest.url + "/health")
