"""Texts the channels send on their own (a picture, a group chat), in the person's language."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

REPLIES_FILE = Path(__file__).resolve().parents[1] / "data" / "channel_replies.yml"

CANNOT_READ_MEDIA = "cannot_read_media"
LOCATION_RECEIVED = "location_received"
CONTACT_RECEIVED = "contact_received"
GROUP_REFUSED = "group_refused"
SCREENING_NUDGE = "screening_nudge"
# Sent by the staff console when a handoff is closed: "you are back with the assistant".
HANDOFF_CLOSED = "handoff_closed"
# When a dialogue turn said nothing at all (an action failed): never leave a text unanswered.
TURN_UNANSWERED = "turn_unanswered"


@lru_cache(maxsize=1)
def all_replies() -> dict[str, dict[str, str]]:
    with REPLIES_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def reply(key: str, language: str | None) -> str:
    texts = all_replies()[key]
    return texts.get(language or "en") or texts["en"]
