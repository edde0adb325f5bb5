"""What a webhook hands on after parsing: one inbound message, whatever the channel."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Kinds of inbound message; only TEXT and BUTTON carry words for the dialogue.
TEXT = "text"
BUTTON = "button"
MEDIA = "media"
LOCATION = "location"
CONTACT = "contact"
COMMAND = "command"
BLOCKED = "blocked"
UNBLOCKED = "unblocked"
GROUP = "group"
OTHER = "other"


@dataclass(frozen=True)
class Inbound:
    channel: str
    address: str
    provider_id: str
    kind: str
    text: str = ""
    # Kept in the message log: media links, Twilio routing (To, MessagingServiceSid), the
    # Telegram callback id, a deep-link payload, the language the phone reports.
    details: dict[str, Any] = field(default_factory=dict)
