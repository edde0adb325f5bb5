"""Look-ups the Rasa server makes cheaper give Rasa's answers: an event's class by its type name from a
table (bot/event_type_lookup.py), "is the domain empty?" without building one (bot/empty_domain.py)."""
from __future__ import annotations

import pytest
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from bot import event_type_lookup

rasa_lookup = event_type_lookup._resolve_by_walking


@pytest.mark.parametrize("type_name", sorted({cls.type_name for cls in all_subclasses(Event)}))
def test_every_event_type_resolves_to_rasas_class(type_name):
    assert event_type_lookup.resolve_by_type(type_name) is rasa_lookup(type_name)


def test_unknown_names_answer_as_rasa_does():
    assert event_type_lookup.resolve_by_type("topic") is None
    assert event_type_lookup.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        event_type_lookup.resolve_by_type("no_such_event")


def test_a_class_defined_after_the_table_is_found():
    event_type_lookup.resolve_by_type("user")  # the table is made

    class LateEvent(UserUttered):
        type_name = "late_event_for_this_test"

    assert event_type_lookup.resolve_by_type("late_event_for_this_test") is LateEvent


def test_the_empty_domain_check_answers_as_rasa_does():
    from pathlib import Path

    from rasa.shared.core.domain import Domain

    from bot import empty_domain

    flows = Path(__file__).resolve().parents[2] / "flows"
    ours = Domain.from_directory(str(flows / "core"))
    assert empty_domain.is_empty(Domain.empty()) is Domain.is_empty(Domain.empty()) is True
    assert empty_domain.is_empty(ours) is Domain.is_empty(ours) is False
    assert empty_domain.is_empty(Domain.from_dict({"intents": ["greet"]})) is False
