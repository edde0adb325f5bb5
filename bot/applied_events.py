"""Rasa server piece: a tracker remembers its applied events, so asking again folds only the
events added since.

Rasa's `DialogueStateTracker.applied_events()` (the session's events without the reverted ones)
walks every event of the tracker each time it is asked, and a turn asks often: whether the session
began or expired, the latest user message, every tracker sent to an action, the rule policy's
states. Profiled on the running server (cProfile, 60 intakes 20 at once), those walks were an
eighth of its time. The walk is a left fold: each event either resets the list (a restart or a
new session), undoes its tail (a reverted action or message, a form run again) or is appended,
looking only at the list built so far. So the list after N events, kept with the tracker, is
exactly where the walk over N + k events stands after N of them: the k new ones are folded on.

One thing reaches back: the loop names the walk tests are those of every `ActiveLoop` event in
the tracker, later ones included. The kept fold remembers which names it folded with and starts
over when a new one appears (in practice once a session, when the intake begins). It also
starts over when the events are not the ones it folded (another deque, or its first or last
folded event replaced): Rasa only appends to a tracker's events or replaces them whole.
"""
from __future__ import annotations

import itertools
from typing import Any, Deque, List, Optional

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

_KEPT_FOLD = "_kept_applied_events_fold"


class _Fold:
    """The applied events of the first `count` events of one deque, and what they were folded with."""

    __slots__ = ("events", "count", "first", "last", "loop_names", "applied")

    def __init__(self, events: Deque[Event], loop_names: frozenset) -> None:
        self.events = events
        self.count = 0
        self.first: Optional[Event] = None
        self.last: Optional[Event] = None
        self.loop_names = loop_names
        self.applied: List[Event] = []

    def still_describes(self, events: Deque[Event]) -> bool:
        if events is not self.events or len(events) < self.count:
            return False
        return self.count == 0 or (events[0] is self.first and events[self.count - 1] is self.last)

    def fold(self, tracker: DialogueStateTracker, new_events: List[Event]) -> None:
        """Rasa's walk (`DialogueStateTracker.applied_events`), one event at a time."""
        applied = self.applied
        for event in new_events:
            if isinstance(event, (Restarted, SessionStarted)):
                applied.clear()
            elif isinstance(event, ActionReverted):
                tracker._undo_till_previous(ActionExecuted, applied)
            elif isinstance(event, UserUtteranceReverted):
                # The message, then the action before it (its action_listen).
                tracker._undo_till_previous(UserUttered, applied)
                tracker._undo_till_previous(ActionExecuted, applied)
            elif (
                isinstance(event, ActionExecuted)
                and event.action_name in self.loop_names
                and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
            ):
                tracker._undo_till_previous_loop_execution(event.action_name, applied)
            else:
                applied.append(event)
        if new_events:
            self.count += len(new_events)
            if self.first is None:
                self.first = new_events[0]
            self.last = new_events[-1]


def _loop_names(events: Any) -> frozenset:
    return frozenset(event.name for event in events if isinstance(event, ActiveLoop) and event.name)


def applied_events(tracker: DialogueStateTracker) -> List[Event]:
    """The same list Rasa's `applied_events` returns (a new list every call)."""
    events = tracker.events
    fold: Optional[_Fold] = tracker.__dict__.get(_KEPT_FOLD)
    if fold is not None and fold.still_describes(events):
        new_events = list(itertools.islice(events, fold.count, None))
        new_names = _loop_names(new_events)
        if new_names <= fold.loop_names:
            fold.fold(tracker, new_events)
            return list(fold.applied)
    fold = _Fold(events, _loop_names(events))
    fold.fold(tracker, list(events))
    tracker.__dict__[_KEPT_FOLD] = fold
    return list(fold.applied)


def install() -> None:
    """Before the Rasa server loads its model."""
    DialogueStateTracker.applied_events = applied_events
