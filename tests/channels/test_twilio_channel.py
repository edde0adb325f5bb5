"""The Twilio SMS channel over HTTP, against the running assistant and a local Twilio server."""
from __future__ import annotations

import time

import pytest

from bot.sms import MAX_SEGMENTS, segments
from tests.channels.people import TWILIO_PATH, SmsSeeker, new_phone_number, wait_until_settled
from tests.channels.settings import MESSAGING_SERVICE_SID, OUR_NUMBER, PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID
from tests.channels.settings import TWILIO_AUTH_TOKEN
from tests.fakes.twilio_api import InboundMedia, signed_twilio_post, twilio_inbound_params
from tests.fakes.twilio_api import unsigned_twilio_post

STATUS_PATH = "/webhooks/twilio/status"


@pytest.fixture
def seeker(assistant, twilio_api):
    person = SmsSeeker(assistant, twilio_api)
    yield person
    print("\nTranscript:\n" + person.dump())


def _inbound(number: str, body: str = "hi", **extra) -> dict[str, str]:
    return twilio_inbound_params(from_=number, to=OUR_NUMBER, body=body, account_sid=TWILIO_ACCOUNT_SID, **extra)


def test_a_signed_message_is_answered_at_once_with_empty_twiml_and_replied_to_by_the_api(seeker):
    status, body = seeker.post("I need a job")
    assert status == 200
    assert "<Response></Response>" in body  # no reply in the webhook answer: it comes by the API
    wait_until_settled(seeker.assistant, "twilio", seeker.number)
    replies = seeker.twilio_api.messages_to(seeker.number)
    assert "Msg & data rates may apply" in replies[0].body
    assert replies[0].from_ == OUR_NUMBER
    assert replies[0].status_callback == PUBLIC_BASE_URL + STATUS_PATH
    rows = seeker.messages()
    assert [(row.direction, row.status) for row in rows][:1] == [("in", "processed")]
    assert all(row.status == "sent" and row.provider_id.startswith("SM") for row in rows if row.direction == "out")


def test_the_rasa_servers_own_route_still_takes_messages_in_one_process(assistant, twilio_api):
    number = new_phone_number()
    url = assistant.rasa_url + TWILIO_PATH  # not the ingest process: the Rasa server stores and wakes itself
    status, _ = signed_twilio_post(url, _inbound(number, "hi"), TWILIO_AUTH_TOKEN, signature_url=PUBLIC_BASE_URL + TWILIO_PATH)
    assert status == 200
    wait_until_settled(assistant, "twilio", number)
    assert "Msg & data rates may apply" in twilio_api.messages_to(number)[0].body


@pytest.mark.parametrize(
    "how",
    ["unsigned", "wrong token", "signed for another URL", "body changed after signing", "empty signature"],
)
def test_a_bad_or_missing_signature_is_refused_and_touches_nothing(assistant, twilio_api, how):
    number = new_phone_number()
    params = _inbound(number, "hola")
    url = assistant.webhook_url + TWILIO_PATH
    public_url = PUBLIC_BASE_URL + TWILIO_PATH
    if how == "unsigned":
        status, _ = unsigned_twilio_post(url, params)
    elif how == "wrong token":
        status, _ = signed_twilio_post(url, params, "not-the-token", signature_url=public_url)
    elif how == "signed for another URL":
        status, _ = signed_twilio_post(url, params, TWILIO_AUTH_TOKEN, signature_url="https://evil.example/x")
    elif how == "body changed after signing":
        signed_for = dict(params, Body="something else")
        status, _ = signed_twilio_post(url, params, TWILIO_AUTH_TOKEN, signature_url=public_url,
                                       headers={"X-Twilio-Signature": _signature(public_url, signed_for)})
    else:
        status, _ = unsigned_twilio_post(url, params, headers={"X-Twilio-Signature": ""})
    assert status == 403
    time.sleep(0.3)
    assert assistant.store.find_seeker("twilio", number) is None
    assert twilio_api.messages_to(number) == []


def _signature(url: str, params: dict[str, str]) -> str:
    from twilio.request_validator import RequestValidator

    return RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(url, params)


@pytest.mark.parametrize("path", [TWILIO_PATH, STATUS_PATH])
def test_a_request_signed_for_another_deployment_is_refused_whatever_the_forwarded_headers(assistant, twilio_api, path):
    """A staging copy on the same Twilio account signs for its own URL; replayed here with the
    headers a proxy would add, it must not pass for a request to PUBLIC_BASE_URL."""
    number = new_phone_number()
    params = _inbound(number, "hello")
    status, _ = signed_twilio_post(
        assistant.webhook_url + path,
        params,
        TWILIO_AUTH_TOKEN,
        signature_url="https://staging.example.org" + path,
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "staging.example.org"},
    )
    assert status == 403
    time.sleep(0.3)
    assert assistant.store.find_seeker("twilio", number) is None
    assert twilio_api.messages_to(number) == []


def test_a_signed_message_for_another_twilio_account_is_refused(assistant, twilio_api):
    number = new_phone_number()
    params = twilio_inbound_params(from_=number, to=OUR_NUMBER, body="hi", account_sid="AC" + "9" * 32)
    status, _ = signed_twilio_post(
        assistant.webhook_url + TWILIO_PATH, params, TWILIO_AUTH_TOKEN, signature_url=PUBLIC_BASE_URL + TWILIO_PATH
    )
    assert status == 403
    time.sleep(0.3)
    assert assistant.store.find_seeker("twilio", number) is None


def test_a_number_in_a_messaging_service_pool_is_answered_through_the_service(assistant, twilio_api):
    person = SmsSeeker(assistant, twilio_api, messaging_service_sid=MESSAGING_SERVICE_SID)
    replies = person.text("hi")
    assert replies
    sent = twilio_api.messages_to(person.number)
    assert all(message.messaging_service_sid == MESSAGING_SERVICE_SID for message in sent)


@pytest.mark.parametrize("missing", ["MessageSid", "From"])
def test_a_signed_post_that_is_not_a_message_gets_400(assistant, missing):
    params = _inbound(new_phone_number())
    params.pop(missing)
    if missing == "MessageSid":
        params.pop("SmsMessageSid", None)
        params.pop("SmsSid", None)
    url = assistant.webhook_url + TWILIO_PATH
    status, _ = signed_twilio_post(url, params, TWILIO_AUTH_TOKEN, signature_url=PUBLIC_BASE_URL + TWILIO_PATH)
    assert status == 400


def test_a_duplicate_delivery_is_answered_200_and_processed_once(seeker):
    params = _inbound(seeker.number, "hello there")
    assert seeker.post_params(params)[0] == 200
    assert seeker.post_params(params)[0] == 200
    wait_until_settled(seeker.assistant, "twilio", seeker.number)
    assert seeker.post_params(params)[0] == 200  # also after it was processed
    wait_until_settled(seeker.assistant, "twilio", seeker.number)
    inbound = [row for row in seeker.messages() if row.direction == "in"]
    assert len(inbound) == 1
    notices = [m for m in seeker.twilio_api.messages_to(seeker.number) if "Msg & data rates" in m.body]
    assert len(notices) == 1


def test_a_picture_is_recorded_and_answered_that_it_cannot_be_read(seeker):
    seeker.text("hola")
    replies = seeker.text("", media=(InboundMedia("https://api.twilio.com/media/ME1", "image/jpeg"),))
    assert replies == ["Perdón, aquí solo puedo leer texto, no fotos, audios ni stickers. Por favor escribe tu respuesta."] or \
        any("solo puedo leer texto" in reply for reply in replies)
    picture = [row for row in seeker.messages() if row.direction == "in"][-1]
    assert picture.kind == "media"
    assert picture.details["media"] == [{"url": "https://api.twilio.com/media/ME1", "type": "image/jpeg"}]


def test_a_picture_with_words_gets_the_note_and_the_words_are_answered(seeker):
    seeker.text("hi")
    replies = seeker.text("Maria", media=(InboundMedia("https://api.twilio.com/media/ME2"),))
    assert any("only read text" in reply for reply in replies)
    assert any("ZIP" in reply for reply in replies)  # "Maria" answered the name question


@pytest.mark.parametrize(
    "stop_word, confirmation, start_word, welcome",
    [
        ("STOP", "will not get more texts", "START", "welcome back"),
        ("stop.", "will not get more texts", "unstop", "welcome back"),
        # SMS texts are folded to GSM-7 characters: "recibirás" goes out as "recibiras".
        ("ALTO", "ya no recibiras mensajes", "ALTA", "bienvenido"),
        ("Basta", "ya no recibiras mensajes", "alta", "bienvenido"),
    ],
)
def test_stop_confirms_once_silences_everything_and_start_brings_them_back(
    assistant, twilio_api, stop_word, confirmation, start_word, welcome
):
    person = SmsSeeker(assistant, twilio_api)
    person.text("hola" if stop_word in ("ALTO", "Basta") else "hello")
    replies = person.text(stop_word)
    assert len(replies) == 1 and confirmation.lower() in replies[0].lower(), replies
    assert assistant.store.find_seeker("twilio", person.number).consent_status == "opted_out"
    assert person.text("Maria") == []
    assert person.text(stop_word) == []  # confirmed once, never again
    history = assistant.store.consent_history("twilio", person.number)
    assert [event.keyword for event in history if event.event == "opt_out"][0] == stop_word.strip(".").upper()
    replies = person.text(start_word)
    assert replies and welcome.lower() in " ".join(replies).lower(), replies
    assert assistant.store.find_seeker("twilio", person.number).consent_status == "granted"


@pytest.mark.parametrize("words", ["stop texting me", "no me escriban más", "please unsubscribe me"])
def test_plain_requests_to_stop_opt_out_too(assistant, twilio_api, words):
    person = SmsSeeker(assistant, twilio_api)
    person.text("hi")
    assert len(person.text(words)) == 1
    assert assistant.store.find_seeker("twilio", person.number).consent_status == "opted_out"
    assert person.text("hello?") == []


@pytest.mark.parametrize(
    "word, expected",
    [("HELP", "Chicago Cook Workforce Partnership"), ("AYUDA", "Chicago Cook Workforce Partnership"), ("info", "STOP")],
)
def test_help_names_the_program_and_how_to_stop(assistant, twilio_api, word, expected):
    person = SmsSeeker(assistant, twilio_api)
    reply = person.say(word)
    assert expected in reply


def test_help_reaches_a_person_who_opted_out(assistant, twilio_api):
    person = SmsSeeker(assistant, twilio_api)
    person.text("hi")
    person.text("STOP")
    assert "STOP" in person.say("HELP") or "ALTO" in person.say("HELP")


def test_twilio_advanced_opt_out_is_recorded_without_a_second_confirmation(assistant, twilio_api):
    person = SmsSeeker(assistant, twilio_api)
    person.text("hi")
    before = len(twilio_api.messages_to(person.number))
    status, _ = person.post("STOP", opt_out_type="STOP")
    assert status == 200
    wait_until_settled(assistant, "twilio", person.number)
    assert assistant.store.find_seeker("twilio", person.number).consent_status == "opted_out"
    assert len(twilio_api.messages_to(person.number)) == before  # Twilio already confirmed


def _status_post(assistant, params: dict[str, str], signed: bool = True) -> int:
    url = assistant.webhook_url + STATUS_PATH
    if not signed:
        return unsigned_twilio_post(url, params)[0]
    return signed_twilio_post(url, params, TWILIO_AUTH_TOKEN, signature_url=PUBLIC_BASE_URL + STATUS_PATH)[0]


def _status_params(message, status: str, error_code: str | None = None) -> dict[str, str]:
    params = {
        "MessageSid": message.provider_id, "SmsSid": message.provider_id, "MessageStatus": status,
        "SmsStatus": status, "AccountSid": TWILIO_ACCOUNT_SID, "From": OUR_NUMBER, "To": message.address,
        "ApiVersion": "2010-04-01",
    }
    if error_code:
        params["ErrorCode"] = error_code
    return params


def test_signed_delivery_reports_update_the_message_and_unsigned_ones_are_refused(seeker):
    seeker.text("hi")
    sent = [row for row in seeker.messages() if row.direction == "out"][0]
    assert _status_post(seeker.assistant, _status_params(sent, "delivered"), signed=False) == 403
    assert seeker.assistant.messages.get(sent.id).status == "sent"
    assert _status_post(seeker.assistant, _status_params(sent, "delivered")) == 204
    assert seeker.assistant.messages.get(sent.id).status == "delivered"
    assert _status_post(seeker.assistant, _status_params(sent, "sent")) == 204  # late, out of order
    assert seeker.assistant.messages.get(sent.id).status == "delivered"


def test_error_21610_in_a_delivery_report_marks_the_person_opted_out(seeker):
    seeker.text("hi")
    sent = [row for row in seeker.messages() if row.direction == "out"][0]
    assert _status_post(seeker.assistant, _status_params(sent, "undelivered", "21610")) == 204
    row = seeker.assistant.messages.get(sent.id)
    assert (row.status, row.error_code) == ("undelivered", "21610")
    assert seeker.assistant.store.find_seeker("twilio", seeker.number).consent_status == "opted_out"
    assert seeker.text("hello?") == []


def test_a_delivery_report_for_another_twilio_account_changes_nothing(seeker):
    seeker.text("hi")
    sent = [row for row in seeker.messages() if row.direction == "out"][0]
    report = dict(_status_params(sent, "undelivered", "21610"), AccountSid="AC" + "9" * 32)
    assert _status_post(seeker.assistant, report) == 403
    assert seeker.assistant.messages.get(sent.id).status == "sent"
    assert seeker.assistant.store.find_seeker("twilio", seeker.number).consent_status != "opted_out"


def test_a_replayed_21610_report_does_not_opt_out_again_someone_who_texted_start(seeker):
    seeker.text("hi")
    sent = [row for row in seeker.messages() if row.direction == "out"][0]
    report = _status_params(sent, "undelivered", "21610")
    assert _status_post(seeker.assistant, report) == 204
    assert seeker.assistant.store.find_seeker("twilio", seeker.number).consent_status == "opted_out"
    assert seeker.text("START")  # back in, confirmed
    assert _status_post(seeker.assistant, report) == 204  # the same signed report, replayed
    assert seeker.assistant.store.find_seeker("twilio", seeker.number).consent_status == "granted"
    assert seeker.text("hello?")  # still answered


def test_a_full_intake_by_sms_with_numbered_replies(seeker):
    first = seeker.say("got laid off from my warehouse job")
    assert "first name" in first
    assert "ZIP" in seeker.say("Marcus")
    assert "How old" in seeker.say("60644")
    assert "allowed to work" in seeker.say("im 41")
    assert "company" in seeker.say("yea")
    assert "last day" in seeker.say("amazon")
    question = seeker.say("2 weeks ago")
    assert "Unemployment benefits" in question
    assert "Reply 1" in question or "\n1 " in question  # choices shown as numbers on SMS
    # 41: past Youth age, school is not asked.
    assert "highest school" in seeker.say("1.")
    assert "military" in seeker.say("3")
    assert "get any of these" in seeker.say("3")
    # No aid named: barriers can still settle his priority group.
    assert "Do any of these apply" in seeker.say("none")
    # Nothing has settled his priority group: the family's size and income can.
    assert "How many in your family" in seeker.say("none")
    reply = seeker.say("4, 52000")
    if "Selective Service" in reply:
        reply = seeker.say("yes")
    assert "Thanks, Marcus!" in reply and "WIOA Dislocated Worker: likely a fit" in reply

    every_sms = [message.body for message in seeker.twilio_api.messages_to(seeker.number)]
    assert max(segments(body) for body in every_sms) <= MAX_SEGMENTS
    screening = seeker.assistant.store.latest_screening("twilio", seeker.number)
    assert screening.status == "complete"
    assert screening.answers["zip_code"] == "60644"
    assert screening.answers["employment_status"] == "laid_off"
    assert screening.answers["ui_status"] == "receiving"
    rows = seeker.messages()
    assert len([row for row in rows if row.direction == "in"]) == 14
    assert {row.status for row in rows if row.direction == "in"} == {"processed"}
    assert {row.status for row in rows if row.direction == "out"} == {"sent"}
    assert [row.text for row in rows if row.direction == "out"] == every_sms  # the log holds what was sent


def test_a_flood_from_one_number_is_throttled_and_does_not_slow_anyone_else(assistant, twilio_api):
    flooder = SmsSeeker(assistant, twilio_api)
    for index in range(25):
        assert flooder.post(f"spam {index}")[0] == 200
    bystander = SmsSeeker(assistant, twilio_api)
    started = time.monotonic()
    assert bystander.text("hi")
    assert time.monotonic() - started < 10
    wait_until_settled(assistant, "twilio", flooder.number, timeout=120)
    statuses = [row.status for row in flooder.messages() if row.direction == "in"]
    assert statuses.count("throttled") == 5
    assert statuses.count("processed") == 20


def test_messages_from_one_person_are_processed_in_the_order_they_arrived(assistant, twilio_api):
    person = SmsSeeker(assistant, twilio_api)
    person.text("hi")
    for body in ("Rosa", "60623", "hotels"):
        assert person.post(body)[0] == 200  # sent back to back, without waiting for replies
    wait_until_settled(assistant, "twilio", person.number)
    answers = assistant.store.latest_screening("twilio", person.number).answers
    assert answers["first_name"] == "Rosa" and answers["zip_code"] == "60623"
    assert answers["sectors"] == ["hospitality"]
