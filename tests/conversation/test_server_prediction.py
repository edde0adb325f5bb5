"""The Rasa server's prediction pieces give Rasa's own answers: the model's graph run in order
without dask (bot/graph_runner.py), and the rule policy's form prediction without the text
look-up it discards (bot/rule_shortcut.py). Compared on the trained model, message by message
and state by state."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine import loader
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rule_shortcut
from bot.graph_runner import InOrderGraphRunner

MODEL = Path(__file__).resolve().parents[2] / "models" / "intake.tar.gz"

MESSAGES = ["hi", "my name is Marcus", "60623", "3", "im 41, yes", "what is snap?", "agent", "STOP", "quiero trabajo en hoteles"]


def _runner(tmp_path: Path, runner_class: type) -> tuple[object, object]:
    if not MODEL.exists():
        pytest.skip("no trained model: run `python -m bot.cli prepare`")
    metadata, runner = loader.load_predict_graph_runner(tmp_path, MODEL, LocalModelStorage, runner_class)
    return metadata, runner


@pytest.fixture(scope="module")
def runners(tmp_path_factory):
    dask_metadata, dask_runner = _runner(tmp_path_factory.mktemp("dask"), DaskGraphRunner)
    _, in_order = _runner(tmp_path_factory.mktemp("in-order"), InOrderGraphRunner)
    return dask_metadata, dask_runner, in_order


def _parsed(runner, metadata, text: str) -> dict:
    message = UserMessage(text)
    output = runner.run(inputs={"__message__": [message]}, targets=[metadata.nlu_target])
    parsed = output[metadata.nlu_target][0]
    return {"intent": parsed.get("intent"), "ranking": parsed.get("intent_ranking"), "entities": parsed.get("entities")}


@pytest.mark.parametrize("text", MESSAGES)
def test_messages_are_understood_the_same_without_dask(runners, text):
    metadata, dask_runner, in_order = runners
    assert _parsed(in_order, metadata, text) == _parsed(dask_runner, metadata, text)


def _tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", [ActionExecuted("action_listen"), *events])


def _said(intent: str) -> list:
    return [UserUttered(intent, {"name": intent, "confidence": 0.95})]


TRACKERS = {
    "a first message": [*_said("greet")],
    "an answer during the intake": [
        *_said("greet"), ActionExecuted("action_start_intake"), ActionExecuted("intake_form"),
        ActiveLoop("intake_form"), SlotSet("requested_slot", "zip_code"), ActionExecuted("action_listen"),
        *_said("inform"),
    ],
    "right after the intake ran": [
        *_said("greet"), ActionExecuted("action_start_intake"), ActionExecuted("intake_form"),
        ActiveLoop("intake_form"), SlotSet("requested_slot", "zip_code"), ActionExecuted("action_listen"),
        *_said("inform"), ActionExecuted("intake_form"),
    ],
    "a question the intake rejected": [
        *_said("greet"), ActionExecuted("action_start_intake"), ActionExecuted("intake_form"),
        ActiveLoop("intake_form"), SlotSet("requested_slot", "zip_code"), ActionExecuted("action_listen"),
        *_said("ask_cost"), ActionExecutionRejected("intake_form"),
    ],
    "the end of the intake": [
        *_said("greet"), ActionExecuted("action_start_intake"), ActionExecuted("intake_form"),
        ActiveLoop("intake_form"), SlotSet("requested_slot", "zip_code"), ActionExecuted("action_listen"),
        *_said("inform"), ActionExecuted("intake_form"), SlotSet("requested_slot", None), ActiveLoop(None),
    ],
}


def _rule_policy(runner) -> RulePolicy:
    for node in runner._instantiated_nodes.values():
        component = getattr(node, "_component", None)
        if isinstance(component, RulePolicy):
            return component
    raise AssertionError("the model has no RulePolicy")


@pytest.mark.parametrize("situation", sorted(TRACKERS))
def test_the_rule_policy_predicts_the_same_with_the_shortcut(runners, situation, monkeypatch):
    metadata, dask_runner, _ = runners
    # A prediction loads the policy (nodes load their component when first run).
    tracker = _tracker(*TRACKERS[situation])
    domain = metadata.domain
    dask_runner.run(inputs={"__tracker__": tracker}, targets=[metadata.core_target])
    policy = _rule_policy(dask_runner)
    expected = policy._predict(tracker, domain)
    monkeypatch.setattr(RulePolicy, "_predict", RulePolicy._predict)  # restored after the test
    rule_shortcut.install()
    shortcut = policy._predict(tracker, domain)
    assert shortcut[1] == expected[1]
    assert shortcut[0].probabilities == expected[0].probabilities
    assert shortcut[0].events == expected[0].events
    assert shortcut[0].is_no_user_prediction == expected[0].is_no_user_prediction
