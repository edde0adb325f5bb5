"""Rasa server piece: the rule policy's answer in the middle of a form, without the rule look-up
whose result it throws away.

In a form, after each message, Rasa's RulePolicy first matches the message's *text* against the
rules (building the dialogue state of every step of the session to do so), then predicts the form
anyway (the "loop happy path"), which "has priority over rules prediction": the text look-up is
used only when a default action (Rasa's `/restart`, `/back`, `/session_start`) also applies. That
look-up was most of the policy's time in an intake turn (cProfile of the running server, README
"CPU per intake turn"). Here, when no default action applies and the happy path does, the happy
path's prediction is returned first: the same prediction, built by the same RulePolicy methods;
every other case goes through Rasa's own `_predict`.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple


def install() -> None:
    """Before the Rasa server loads its model."""
    from rasa.core.policies.rule_policy import RulePolicy

    predict = RulePolicy._predict

    def predict_loop_first(self: RulePolicy, tracker: Any, domain: Any) -> Tuple[Any, Optional[str]]:
        default_action, _ = self._find_action_from_default_actions(tracker)
        if default_action is None:
            loop_action, source = self._find_action_from_loop_happy_path(tracker)
            if loop_action:
                prediction = self._rule_prediction(
                    self._prediction_result(loop_action, tracker, domain), source, is_no_user_prediction=True
                )
                return prediction, source
        return predict(self, tracker, domain)

    RulePolicy._predict = predict_loop_first
