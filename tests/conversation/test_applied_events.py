"""A tracker's applied events, kept and folded on (bot/applied_events.py), are always the list
Rasa's own walk returns: checked after every event of random conversations with restarts,
sessions, reverted actions and messages, forms run again, rejected, ended and begun."""
from __future__ import annotations

from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import applied_events

rasa_walk = DialogueStateTracker.applied_events  # Rasa's, taken before any install

EVENTS = st.one_of(
    st.sampled_from(["action_listen", "intake_form", "event_form", "utter_greet", "action_answer"]).map(ActionExecuted),
    st.sampled_from(["hi", "60623", "agent"]).map(lambda text: UserUttered(text, {"name": "inform", "confidence": 1.0})),
    st.sampled_from(["intake_form", "event_form", None]).map(ActiveLoop),
    st.sampled_from(["intake_form", "event_form"]).map(ActionExecutionRejected),
    st.sampled_from(["requested_slot", "zip_code"]).map(lambda key: SlotSet(key, "x")),
    st.builds(ActionReverted),
    st.builds(UserUtteranceReverted),
    st.builds(Restarted),
    st.builds(SessionStarted),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(EVENTS, max_size=6), max_size=12))
def test_the_kept_fold_is_rasas_walk_after_every_step(batches):
    tracker = DialogueStateTracker("someone", slots=[])
    for batch in batches:
        for event in batch:
            tracker.events.append(event)  # state aside: the walk reads only the events
        ours = applied_events.applied_events(tracker)
        assert ours == rasa_walk(tracker)
        assert [id(e) for e in ours] == [id(e) for e in rasa_walk(tracker)]
        assert applied_events.applied_events(tracker) == ours  # asked twice, the same


def test_a_new_form_in_later_events_refolds_the_earlier_ones():
    # "intake_form" run twice in a row is undone to its first run only once Rasa knows it is a
    # loop, which an ActiveLoop event arriving later tells: the kept fold must start over then.
    tracker = DialogueStateTracker("someone", slots=[])
    for event in (ActionExecuted("action_listen"), UserUttered("hi"), ActionExecuted("intake_form"),
                  SlotSet("zip_code", "60623"), ActionExecuted("intake_form")):
        tracker.events.append(event)
    assert applied_events.applied_events(tracker) == rasa_walk(tracker)
    tracker.events.append(ActiveLoop("intake_form"))
    assert applied_events.applied_events(tracker) == rasa_walk(tracker)
    assert len(rasa_walk(tracker)) < 6  # the walk did undo something: the case is the real one


def test_replaced_events_are_walked_again():
    tracker = DialogueStateTracker("someone", slots=[])
    tracker.events.extend([ActionExecuted("action_listen"), UserUttered("hi")])
    assert applied_events.applied_events(tracker) == rasa_walk(tracker)
    tracker.events = deque([ActionExecuted("action_listen")])
    assert applied_events.applied_events(tracker) == rasa_walk(tracker) == [ActionExecuted("action_listen")]


def test_a_bounded_history_that_drops_old_events_is_walked_again():
    tracker = DialogueStateTracker("someone", slots=[], max_event_history=3)
    for text in ("a", "b", "c"):
        tracker.update(UserUttered(text))
    assert applied_events.applied_events(tracker) == rasa_walk(tracker)
    tracker.update(UserUttered("d"))  # "a" falls off the left
    assert [e.text for e in applied_events.applied_events(tracker)] == ["b", "c", "d"]
