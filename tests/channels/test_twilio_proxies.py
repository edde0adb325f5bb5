"""Which URL a Twilio signature is checked against when PUBLIC_BASE_URL is not set, against a
running ingest process: forwarded headers count only from the proxy TRUSTED_PROXY_ADDRESSES
names."""
from __future__ import annotations

import pytest

from bot.cli.harness import new_test_phone_number
from tests.channels.ingest_alone import running_ingest
from tests.channels.people import TWILIO_PATH
from tests.channels.settings import OUR_NUMBER, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
from tests.fakes.twilio_api import signed_twilio_post, twilio_inbound_params

PROXY_HOST = "sms.proxy.example.net"
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": PROXY_HOST}


def _post(ingest, signature_url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    number = new_test_phone_number()
    params = twilio_inbound_params(from_=number, to=OUR_NUMBER, body="hi", account_sid=TWILIO_ACCOUNT_SID)
    status, _ = signed_twilio_post(ingest.url + TWILIO_PATH, params, TWILIO_AUTH_TOKEN, signature_url=signature_url, headers=headers)
    return status, number


@pytest.fixture(scope="module")
def behind_trusted_proxy(tmp_path_factory):
    # The test client connects from 127.0.0.1, as the proxy in front of the ingest process would.
    env = {"PUBLIC_BASE_URL": "", "TRUSTED_PROXY_ADDRESSES": "10.0.0.7, 127.0.0.1"}
    with running_ingest(tmp_path_factory.mktemp("trusted"), env) as process:
        yield process


@pytest.fixture(scope="module")
def no_trusted_proxy(tmp_path_factory):
    with running_ingest(tmp_path_factory.mktemp("untrusted"), {"PUBLIC_BASE_URL": ""}) as process:
        yield process


def test_behind_the_trusted_proxy_the_forwarded_url_is_what_was_signed(behind_trusted_proxy):
    status, number = _post(behind_trusted_proxy, f"https://{PROXY_HOST}{TWILIO_PATH}", FORWARDED)
    assert status == 200
    assert behind_trusted_proxy.messages.transcript("twilio", number)


def test_forwarded_headers_from_anyone_else_are_not_believed(no_trusted_proxy):
    status, number = _post(no_trusted_proxy, f"https://{PROXY_HOST}{TWILIO_PATH}", FORWARDED)
    assert status == 403
    assert no_trusted_proxy.messages.transcript("twilio", number) == ()


def test_without_a_proxy_the_url_called_is_what_was_signed(no_trusted_proxy):
    status, number = _post(no_trusted_proxy, no_trusted_proxy.url + TWILIO_PATH)
    assert status == 200
    assert no_trusted_proxy.messages.transcript("twilio", number)
