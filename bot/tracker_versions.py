"""The version of a conversation's stored tracker, read with the inbound claim, handed to the
tracker store in the same process for the turn that follows (production profile).

Several Rasa servers share the tracker store there, so a copy of a conversation kept in memory by
one of them is stale as soon as another has processed a message of that person. The claim of a
message (bot/store/turn_context.py) also returns the id of the conversation's newest stored event;
the processor hands it over here before the turn (processing.py), and the tracker store uses its
copy only when that copy is of that very version (bot/tracker_store.py), else reads.

Handed over in a context variable: the turn (Rasa's handle_message, its lock, the tracker read)
runs in the processor's task, so the version reaches that turn's read and no other task's.
"""
from __future__ import annotations

import contextvars
from typing import Optional

# (sender id, id of its newest stored event or None when none is stored)
_handed: contextvars.ContextVar[Optional[tuple[str, Optional[int]]]] = contextvars.ContextVar(
    "intake_tracker_version", default=None
)


def hand_over(sender_id: str, version: Optional[int]) -> None:
    """Before a turn of `sender_id`: the version read with its claim (None: not known)."""
    _handed.set((sender_id, version))


def handed_version(sender_id: str) -> Optional[int]:
    """The version handed over for `sender_id`'s turn in this context; None when none was (or
    the conversation has no stored event), so a cached copy is not used."""
    handed = _handed.get()
    if handed is None or handed[0] != sender_id:
        return None
    return handed[1]
