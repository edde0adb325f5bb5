"""Which question with a fixed answer a message asks beside its answers (bot/actions/intake.py
fixed_question_asked): the top intent with a question in it, or, for an answer then a question,
either of the top two."""
from __future__ import annotations

import pytest

from bot.actions.conversation import Conversation
from bot.actions.intake import fixed_question_asked


def _message(text: str, *ranking: tuple[str, float]) -> Conversation:
    (intent, confidence), *rest = ranking
    return Conversation("twilio", "+13125550142", "en", text, intent, confidence, {}, tuple(rest))


@pytest.mark.parametrize("text, ranking, asked", [
    ("is it free?", [("ask_cost", 0.97)], "ask_cost"),
    ("60623, es gratis?", [("ask_cost", 0.49), ("inform", 0.42)], "ask_cost"),
    ("60623, is it free?", [("inform", 0.56), ("ask_cost", 0.36)], "ask_cost"),
    ("28 y si, cuanto dura la capacitacion?", [("ask_training_length", 0.96)], "ask_training_length"),
    # No question in it: nothing to answer.
    ("60623", [("inform", 0.9), ("ask_cost", 0.05)], None),
    ("free training 60623", [("ask_cost", 0.7)], None),
    # A question alone, unsure and not the top intent: the rules decide, not this.
    ("is it free?", [("inform", 0.56), ("ask_cost", 0.36)], None),
    # Beside an answer, too weak a guess is no answer.
    ("60623, is it free?", [("inform", 0.8), ("ask_cost", 0.1)], None),
    # A question only a rule answers (where are you?) is no fixed answer.
    ("60623, where are you?", [("inform", 0.5), ("ask_location", 0.45)], None),
])
def test_the_fixed_question_a_message_asks(text, ranking, asked):
    assert fixed_question_asked(_message(text, *ranking)) == asked
