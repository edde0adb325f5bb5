"""Outreach campaign rules, pure: what a campaign's first text says, and how fast texts may go.

A campaign text goes to people who never wrote to us, so it carries who we are and the carrier
opt-out line (CTIA Messaging Principles and Best Practices, 2023, 5.1: sender identified, STOP
and HELP, "Msg & data rates may apply"); Twilio counts it by segments like any text.

Carriers and Twilio cap how fast one number sends: a US long code about 1 message a second, a
toll-free number 3 a second by default, a short code 100 (Twilio, "Understanding Twilio rate
limits and message queues"). The campaign sender keeps under the configured rate with a token
bucket, so a 3,200-person roster drains at that rate rather than filling Twilio's queue, whose
messages expire after 4 hours.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.sms import MAX_SEGMENTS, fold_to_gsm, is_gsm7, segments

SENDER_NAME = "Chicago Cook Workforce Partnership"
OPT_OUT_FOOTER = {
    "en": "Msg & data rates may apply. Reply STOP to opt out, HELP for help.",
    "es": "Pueden aplicarse tarifas de mensajes y datos. Responde STOP para no recibir más, AYUDA para ayuda.",
}
MESSAGE_MAX_CHARACTERS = 480


def campaign_text(message: str, language: str) -> str:
    """The text as sent: the staff's words, with the sender's name in front when they do not
    name it, and the opt-out footer after."""
    body = " ".join(message.split())
    if SENDER_NAME.lower() not in body.lower():
        body = f"{SENDER_NAME}: {body}"
    return f"{body} {OPT_OUT_FOOTER[language]}"


@dataclass(frozen=True)
class Preview:
    """A campaign text as a phone gets it (folded to GSM-7 as the SMS channel sends every text)."""

    text: str
    segments: int
    encoding: str  # "GSM-7" or "UCS-2"


def preview(message: str, language: str) -> Preview:
    sent = fold_to_gsm(campaign_text(message, language))
    return Preview(sent, segments(sent), "GSM-7" if is_gsm7(sent) else "UCS-2")


def message_problems(message: str, language: str) -> list[str]:
    """What keeps a campaign message from going out, in words for staff."""
    words = " ".join(message.split())
    if not words:
        return [f"The {_LANGUAGE_NAMES[language]} message is empty."]
    problems = []
    if len(words) > MESSAGE_MAX_CHARACTERS:
        problems.append(f"The {_LANGUAGE_NAMES[language]} message is longer than {MESSAGE_MAX_CHARACTERS} characters.")
    if re.search(r"\bcancel\b", words, re.IGNORECASE):
        # CANCEL is a carrier opt-out keyword: a person who replies it is unsubscribed.
        problems.append(f"The {_LANGUAGE_NAMES[language]} message must not ask people to reply CANCEL (it opts them out).")
    count = preview(words, language).segments
    if count > MAX_SEGMENTS:
        problems.append(
            f"The {_LANGUAGE_NAMES[language]} message takes {count} text segments with the opt-out line; "
            f"at most {MAX_SEGMENTS}."
        )
    return problems


_LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


@dataclass
class SendPace:
    """A token bucket: `per_second` texts a second on average, at most `burst` at once."""

    per_second: float
    burst: int = 1
    _tokens: float = field(default=0.0, init=False)
    _last: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 1:
            raise ValueError("a sending rate is positive, its burst at least 1")

    def allowance(self, now: float) -> int:
        """How many texts may be queued at monotonic time `now`; take them with `spend`."""
        if self._last is None:
            self._tokens = float(self.burst)
        else:
            self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.per_second)
        self._last = now
        return int(self._tokens)

    def spend(self, count: int) -> None:
        self._tokens = max(0.0, self._tokens - count)
