"""Rasa server piece: a slot copied by handing its attributes to a new object of its class.

Every tracker Rasa builds (read from the store, copied for an action, begun for a new session)
copies each of the domain's 39 slots with `copy.copy`, which for a plain object goes through the
pickling protocol (`__reduce_ex__`, `copyreg`): 6% of the server's time per message, profiled.
`copy.copy` of an object with neither `__slots__` nor its own copy or pickling methods makes a new
object of the same class with the same attribute dictionary, shallowly; `__copy__` below does that
directly (tests/conversation/test_slot_copies.py compares the two for every slot of the domain).
"""
from __future__ import annotations

from typing import Any

from rasa.shared.core.slots import Slot


def copy_slot(slot: Any) -> Any:
    duplicate = object.__new__(type(slot))
    duplicate.__dict__.update(slot.__dict__)
    return duplicate


def install() -> None:
    """Before the Rasa server builds its first tracker."""
    Slot.__copy__ = copy_slot
