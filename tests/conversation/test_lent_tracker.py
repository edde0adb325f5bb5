"""Actions that only read the tracker run on it, not on a rebuilt copy (bot/lent_tracker.py);
every other action, and any action the policy added events for, still gets Rasa's copy."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.actions.action import ActionBotResponse, ActionListen, ActionRestart, RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.lent_tracker import LendingProcessorMixin, reads_only


class RecordingProcessor:
    """Stands for Rasa's MessageProcessor: its _run_action asks for the temporary tracker."""

    def __init__(self) -> None:
        self.given = None

    async def _run_action(self, action, tracker, output_channel, nlg, prediction) -> bool:
        self.given = tracker.copy()
        return False


class Lending(LendingProcessorMixin, RecordingProcessor):
    pass


def _tracker() -> DialogueStateTracker:
    tracker = DialogueStateTracker("someone", slots=[])
    tracker.update(UserUttered("hi"))
    return tracker


def _prediction(*events) -> PolicyPrediction:
    return PolicyPrediction([1.0], "RulePolicy", events=list(events))


READING = [ActionListen(), ActionBotResponse("utter_greet"), RemoteAction("intake_form", EndpointConfig("http://x"))]
NOT_READING = [ActionRestart(), FormAction("intake_form", None)]


@pytest.mark.parametrize("action", READING, ids=lambda a: type(a).__name__)
def test_a_reading_action_is_lent_the_tracker_itself(action):
    processor, tracker = Lending(), _tracker()
    asyncio.run(processor._run_action(action, tracker, None, None, _prediction()))
    assert processor.given is tracker
    assert "copy" not in tracker.__dict__  # Rasa's copy again after the action
    assert tracker.copy() is not tracker


@pytest.mark.parametrize("action", NOT_READING, ids=lambda a: type(a).__name__)
def test_other_actions_get_rasas_copy(action):
    processor, tracker = Lending(), _tracker()
    asyncio.run(processor._run_action(action, tracker, None, None, _prediction()))
    assert processor.given is not tracker
    assert list(processor.given.events) == list(tracker.events)


def test_policy_events_always_get_a_copy_a_rejection_can_drop():
    processor, tracker = Lending(), _tracker()
    asyncio.run(processor._run_action(ActionListen(), tracker, None, None, _prediction(SlotSet("zip_code", "60623"))))
    assert processor.given is not tracker
    assert not reads_only(ActionListen(), _prediction(SlotSet("zip_code", "60623")))


def test_the_tracker_is_given_back_when_the_action_fails():
    class FailingProcessor:
        async def _run_action(self, action, tracker, output_channel, nlg, prediction):
            assert tracker.copy() is tracker
            raise RuntimeError("the action server went away")

    class LendingFailing(LendingProcessorMixin, FailingProcessor):
        pass

    tracker = _tracker()
    with pytest.raises(RuntimeError):
        asyncio.run(LendingFailing()._run_action(ActionListen(), tracker, None, None, _prediction()))
    assert "copy" not in tracker.__dict__
