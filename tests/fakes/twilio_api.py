"""A local server that speaks the part of Twilio's REST API the bot uses, plus webhook helpers.

Pointing twilio 8.2.2 at it: every REST call goes through a `Domain` whose `base_url` is joined
with the path (`twilio.base.domain.Domain.absolute_url`), and `client.messages` is
`client.api.account.messages`, so setting the Api domain's base_url is enough:

    client = Client(account_sid, auth_token, http_client=AsyncTwilioHttpClient())
    client.api.base_url = fake.base_url
    await client.messages.create_async(to=..., from_=..., body=...)

The URL is built per request, so it may be set any time before sending. Region and edge must stay
unset: `Client.get_hostname` rewrites the host when `region`/`edge` or the TWILIO_REGION /
TWILIO_EDGE environment variables are set. The sync client (default `TwilioHttpClient`) works the
same way.

Served:
    POST /2010-04-01/Accounts/{AccountSid}/Messages.json       create a message
    GET  /2010-04-01/Accounts/{AccountSid}/Messages.json       list them and the inbound texts tests
                                                               made arrive, newest first (To=,
                                                               DateSent>=, PageSize=, pages)
    GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json  fetch one created here
Errors use Twilio's JSON shape {code, message, more_info, status}.
"""
from __future__ import annotations

import base64
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Mapping

from twilio.request_validator import RequestValidator

from bot.sms import segments
from tests.fakes import IncomingRequest, JsonReply, LocalApiServer

API_VERSION = "2010-04-01"
UNSUBSCRIBED_RECIPIENT = 21610
TOO_MANY_REQUESTS = 20429
_MESSAGES_PATH = re.compile(rf"^/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages\.json$")
_MESSAGE_PATH = re.compile(
    rf"^/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages/(?P<sid>[^/]+)\.json$"
)


def new_sid(prefix: str) -> str:
    """A Twilio-style sid: two-letter prefix and 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def twilio_error(status: int, code: int, message: str) -> JsonReply:
    return JsonReply(
        status,
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
    )


@dataclass(frozen=True)
class CreatedMessage:
    """A message the fake accepted (answered 201)."""

    sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    status_callback: str | None
    media_urls: tuple[str, ...]
    fields: Mapping[str, str]  # every form field as posted (first value of repeated ones)
    received_at: float  # time.time()


@dataclass(frozen=True)
class CreateAttempt:
    """Any POST to Messages.json, whatever the answer; failures are only recorded here."""

    fields: Mapping[str, str]
    status: int
    error_code: int | None
    received_at: float


@dataclass
class _Failure:
    remaining: int
    status: int


class FakeTwilioApi(LocalApiServer[CreatedMessage]):
    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._created: list[CreatedMessage] = []
        self._resources: dict[str, dict] = {}
        self._attempts: list[CreateAttempt] = []
        self._unsubscribed: set[str] = set()
        self._failure = _Failure(remaining=0, status=500)
        # Texts people sent to our numbers, as Twilio lists them: (time.time(), resource).
        self._inbound: list[tuple[float, dict]] = []
        super().__init__(thread_name="fake-twilio-api")

    # ---- what tests read -------------------------------------------------------------------
    @property
    def messages(self) -> list[CreatedMessage]:
        with self._lock:
            return list(self._created)

    @property
    def attempts(self) -> list[CreateAttempt]:
        with self._lock:
            return list(self._attempts)

    def messages_to(self, address: str) -> list[CreatedMessage]:
        return [message for message in self.messages if message.to == address]

    def _waitable_records(self) -> list[CreatedMessage]:
        return list(self._created)

    # ---- what tests arrange ----------------------------------------------------------------
    def unsubscribe(self, number: str) -> None:
        """Sends to `number` fail with 21610, as after the recipient texted STOP."""
        with self._lock:
            self._unsubscribed.add(number)

    def resubscribe(self, number: str) -> None:
        with self._lock:
            self._unsubscribed.discard(number)

    def receive_inbound(self, from_: str, to: str, body: str, num_media: int = 0, at: float | None = None) -> str:
        """A text from `from_` to our number `to` arrives at Twilio (whether or not its webhook
        reaches anyone): listed from now on, as Twilio lists received messages. Returns its sid."""
        arrived = time.time() if at is None else at
        sid = new_sid("MM" if num_media else "SM")
        stamp = format_datetime(datetime.fromtimestamp(arrived, timezone.utc).replace(microsecond=0))
        resource = {
            "account_sid": self.account_sid, "api_version": API_VERSION, "body": body,
            "date_created": stamp, "date_sent": stamp, "date_updated": stamp, "direction": "inbound",
            "error_code": None, "error_message": None, "from": from_, "messaging_service_sid": None,
            "num_media": str(num_media), "num_segments": str(segments(body)), "price": None, "price_unit": "USD",
            "sid": sid, "status": "received", "subresource_uris": {}, "to": to,
            "uri": f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}.json",
        }
        with self._lock:
            self._inbound.append((arrived, resource))
            self._resources[sid] = resource
        return sid

    @property
    def list_requests(self) -> int:
        """How many times the message list was asked for."""
        with self._lock:
            return getattr(self, "_list_requests", 0)

    def fail_next(self, count: int, status: int = 500) -> None:
        """The next `count` message creations answer `status` (500, 429...) and create nothing."""
        with self._lock:
            self._failure = _Failure(remaining=count, status=status)

    def clear(self) -> None:
        """Forget recorded messages and attempts, unsubscribes and pending failures."""
        with self._lock:
            self._created.clear()
            self._resources.clear()
            self._attempts.clear()
            self._unsubscribed.clear()
            self._inbound.clear()
            self._failure = _Failure(remaining=0, status=500)

    # ---- the API ---------------------------------------------------------------------------
    def answer_slowly(self, seconds: float, count: int = 1) -> None:
        """The next `count` message creations succeed, but only answer after `seconds`: what a
        client with a shorter timeout sees as "sent or not?"."""
        with self._lock:
            self._slow_answers = [seconds] * count

    def handle(self, request: IncomingRequest) -> JsonReply:
        create = _MESSAGES_PATH.match(request.path)
        fetch = _MESSAGE_PATH.match(request.path)
        if request.verb == "POST" and create:
            with self._lock:
                slow = getattr(self, "_slow_answers", [])
                delay = slow.pop(0) if slow else 0.0
            if delay:
                time.sleep(delay)  # this request's own server thread; others go on
            fields, media_urls = _form_fields(request.body)
            with self._lock:
                reply = self._create(request, create["account"], fields, media_urls)
                error_code = reply.payload.get("code") if reply.status >= 400 else None
                self._attempts.append(CreateAttempt(fields, reply.status, error_code, time.time()))
                self._record_changed()
            return reply
        if request.verb == "GET" and create:
            denied = self._check_access(request, create["account"])
            return denied or self._list(request)
        if request.verb == "GET" and fetch:
            denied = self._check_access(request, fetch["account"])
            if denied:
                return denied
            with self._lock:
                resource = self._resources.get(fetch["sid"])
            return JsonReply(200, resource) if resource else _not_found(request.path)
        return _not_found(request.path)

    def _list(self, request: IncomingRequest) -> JsonReply:
        """One page of Twilio's message list, newest first, as the twilio library reads it:
        To= and DateSent>= (a date or a UTC date-time; the list's `DateSent>` key) filter it;
        Page= and PageSize= page it, with next_page_uri leading on."""
        query = urllib.parse.parse_qs(request.query)
        to = (query.get("To") or [None])[0]
        page_size = int((query.get("PageSize") or ["50"])[0])
        page = int((query.get("Page") or ["0"])[0])
        sent_since = _parse_date_filter((query.get("DateSent>") or [None])[0])
        with self._lock:
            self._list_requests = getattr(self, "_list_requests", 0) + 1
            listed = [(message.received_at, self._resources[message.sid]) for message in self._created]
            listed += self._inbound
            listed.sort(key=lambda item: item[0], reverse=True)
            chosen = [
                resource
                for at, resource in listed
                if (to is None or resource["to"] == to) and (sent_since is None or at >= sent_since)
            ]
        resources = chosen[page * page_size:(page + 1) * page_size]
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages.json"
        following = None
        if (page + 1) * page_size < len(chosen):
            following = uri + "?" + urllib.parse.urlencode(
                {**{name: values[0] for name, values in query.items()}, "Page": str(page + 1)}
            )
        return JsonReply(
            200,
            {
                "messages": resources, "end": max(len(resources) - 1, 0), "first_page_uri": uri,
                "next_page_uri": following, "page": page, "page_size": page_size, "previous_page_uri": None,
                "start": page * page_size, "uri": uri,
            },
        )

    def _check_access(self, request: IncomingRequest, account_in_path: str) -> JsonReply | None:
        if _basic_credentials(request) != (self.account_sid, self.auth_token):
            return twilio_error(401, 20003, "Authenticate")
        if account_in_path != self.account_sid:
            return _not_found(request.path)
        return None

    def _create(
        self,
        request: IncomingRequest,
        account_in_path: str,
        fields: dict[str, str],
        media_urls: tuple[str, ...],
    ) -> JsonReply:
        denied = self._check_access(request, account_in_path)
        if denied:
            return denied
        if self._failure.remaining > 0:
            self._failure.remaining -= 1
            if self._failure.status == 429:
                return twilio_error(429, TOO_MANY_REQUESTS, "Too Many Requests")
            return twilio_error(self._failure.status, 20500, "Internal Server Error")
        to = fields.get("To", "")
        sender = fields.get("From") or None
        service = fields.get("MessagingServiceSid") or None
        body = fields.get("Body", "")
        if not to:
            return twilio_error(400, 21604, "A 'To' phone number is required.")
        if not sender and not service:
            return twilio_error(400, 21603, "A 'From' phone number is required.")
        if not body and not media_urls:
            return twilio_error(400, 21602, "Message body is required.")
        if to in self._unsubscribed:
            return twilio_error(
                400, UNSUBSCRIBED_RECIPIENT, "Attempt to send to unsubscribed recipient"
            )
        message = CreatedMessage(
            sid=new_sid("SM"),
            to=to,
            from_=sender,
            messaging_service_sid=service,
            body=body,
            status_callback=fields.get("StatusCallback") or None,
            media_urls=media_urls,
            fields=fields,
            received_at=time.time(),
        )
        resource = self._message_resource(message)
        self._created.append(message)
        self._resources[message.sid] = resource
        return JsonReply(201, resource)

    def _message_resource(self, message: CreatedMessage) -> dict:
        now = format_datetime(datetime.now(timezone.utc).replace(microsecond=0))
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{message.sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": message.body,
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            # With a messaging service Twilio picks the sender later, so "from" starts empty.
            "from": message.from_,
            "messaging_service_sid": message.messaging_service_sid,
            "num_media": str(len(message.media_urls)),
            "num_segments": str(segments(message.body)),
            "price": None,
            "price_unit": "USD",
            "sid": message.sid,
            "status": "accepted" if message.messaging_service_sid else "queued",
            "subresource_uris": {"media": f"{uri}/Media.json"},
            "to": message.to,
            "uri": f"{uri}.json",
        }


def _parse_date_filter(value: str | None) -> float | None:
    """Twilio's DateSent filter: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)."""
    if not value:
        return None
    for layout in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, layout).replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            continue
    raise ValueError(f"unreadable DateSent filter {value!r}")


def _not_found(path: str) -> JsonReply:
    return twilio_error(404, 20404, f"The requested resource {path} was not found")


def _basic_credentials(request: IncomingRequest) -> tuple[str, str] | None:
    scheme, _, encoded = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        username, _, password = base64.b64decode(encoded).decode("utf-8").partition(":")
    except ValueError:
        return None
    return username, password


def _form_fields(body: bytes) -> tuple[dict[str, str], tuple[str, ...]]:
    parsed = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True)
    fields = {name: values[0] for name, values in parsed.items()}
    return fields, tuple(parsed.get("MediaUrl", ()))


# ---- the other direction: Twilio calling our webhook -----------------------------------------
def signed_twilio_post(
    url: str,
    params: Mapping[str, str],
    auth_token: str,
    signature_url: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, str]:
    """POST `params` as Twilio does, signed for `signature_url` (default: `url`).

    Sign for the public URL the bot believes it is served at while posting to 127.0.0.1.
    """
    signature = RequestValidator(auth_token).compute_signature(signature_url or url, dict(params))
    return unsigned_twilio_post(url, params, {"X-Twilio-Signature": signature, **(headers or {})})


def unsigned_twilio_post(
    url: str, params: Mapping[str, str], headers: Mapping[str, str] | None = None
) -> tuple[int, str]:
    """POST `params` form-encoded like Twilio's webhook requests, with no signature."""
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(params).encode("utf-8"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "TwilioProxy/1.1",
            **(headers or {}),
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@dataclass(frozen=True)
class InboundMedia:
    url: str
    content_type: str = "image/jpeg"


def twilio_inbound_params(
    from_: str,
    to: str,
    body: str,
    account_sid: str,
    messaging_service_sid: str | None = None,
    media: tuple[InboundMedia, ...] = (),
    opt_out_type: str | None = None,
    from_city: str = "CHICAGO",
    from_state: str = "IL",
    from_zip: str = "60601",
    from_country: str = "US",
    message_sid: str | None = None,
) -> dict[str, str]:
    """The form Twilio posts to a messaging webhook for one incoming SMS/MMS.

    `opt_out_type` is what Advanced Opt-Out adds for STOP/START/HELP keywords.
    """
    sid = message_sid or new_sid("MM" if media else "SM")
    params = {
        "ToCountry": "US",
        "ToState": "IL",
        "SmsMessageSid": sid,
        "NumMedia": str(len(media)),
        "ToCity": "CHICAGO",
        "FromZip": from_zip,
        "SmsSid": sid,
        "FromState": from_state,
        "SmsStatus": "received",
        "FromCity": from_city,
        "Body": body,
        "FromCountry": from_country,
        "To": to,
        "ToZip": "60602",
        "NumSegments": str(segments(body)),
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": from_,
        "ApiVersion": API_VERSION,
    }
    if messaging_service_sid:
        params["MessagingServiceSid"] = messaging_service_sid
    if opt_out_type:
        params["OptOutType"] = opt_out_type
    for index, item in enumerate(media):
        params[f"MediaUrl{index}"] = item.url
        params[f"MediaContentType{index}"] = item.content_type
    return params
