"""A slot copied directly (bot/slot_copies.py) is what `copy.copy` made of it: for every slot of
the shipped domain, filled or not."""
from __future__ import annotations

import copy
from abc import ABC
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.slots import Slot

from bot.slot_copies import copy_slot

DOMAIN = Domain.from_directory(str(Path(__file__).resolve().parents[2] / "flows"))


def _no_own_copying(slot_class: type) -> bool:
    # What makes copy_slot the same as copy.copy's default way: nothing of the class's own
    # (abc.ABC's empty __slots__ holds no state).
    return all(
        name not in vars(klass)
        for klass in slot_class.__mro__ if klass not in (object, ABC)
        for name in ("__slots__", "__copy__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__")
    )


@pytest.mark.parametrize("slot", DOMAIN.slots, ids=lambda slot: slot.name)
def test_a_slot_copies_as_copy_copy_copies_it(slot):
    slot = copy.copy(slot)
    slot.value = ["a value"]
    ours, standard = copy_slot(slot), copy.copy(slot)
    assert type(ours) is type(standard) is type(slot)
    assert vars(ours) == vars(standard)
    assert ours.value is slot.value  # shallow, as copy.copy
    ours.value = None
    assert slot.value == ["a value"]


def test_every_slot_class_leaves_copying_to_the_default():
    classes = {type(slot) for slot in DOMAIN.slots} | set(Slot.__subclasses__())
    assert all(_no_own_copying(slot_class) for slot_class in classes)
