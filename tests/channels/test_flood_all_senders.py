"""The limit across all senders, against a running ingest process: many numbers, each under its
own limit, cannot together keep the dialogue busy."""
from __future__ import annotations

import pytest

from bot.cli.harness import new_test_phone_number
from tests.channels.ingest_alone import running_ingest
from tests.channels.people import TWILIO_PATH
from tests.channels.settings import OUR_NUMBER, PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
from tests.fakes.twilio_api import signed_twilio_post, twilio_inbound_params

ALL_SENDERS_LIMIT = 5


@pytest.fixture(scope="module")
def ingest(tmp_path_factory):
    with running_ingest(
        tmp_path_factory.mktemp("flood"), {"FLOOD_LIMIT_ALL_SENDERS_PER_MINUTE": str(ALL_SENDERS_LIMIT)}
    ) as process:
        yield process


def test_messages_from_many_senders_past_the_shared_limit_are_throttled(ingest):
    numbers = [new_test_phone_number() for _ in range(ALL_SENDERS_LIMIT + 3)]
    for number in numbers:
        params = twilio_inbound_params(from_=number, to=OUR_NUMBER, body="hi", account_sid=TWILIO_ACCOUNT_SID)
        status, _ = signed_twilio_post(
            ingest.url + TWILIO_PATH, params, TWILIO_AUTH_TOKEN, signature_url=PUBLIC_BASE_URL + TWILIO_PATH
        )
        assert status == 200  # answered and kept in the transcript either way
    statuses = [ingest.messages.transcript("twilio", number)[0].status for number in numbers]
    assert statuses == ["received"] * ALL_SENDERS_LIMIT + ["throttled"] * 3
