"""The benchmark's intake scripts (bench/conversation_scripts.py) still reach the summary through the
running assistant: a new question in the intake would otherwise make the benchmark time conversations
that stop half way."""
from __future__ import annotations

import pytest

from bench.conversation_scripts import INTAKE_SCRIPTS


@pytest.mark.parametrize("script", INTAKE_SCRIPTS, ids=lambda script: script.name)
def test_each_intake_script_ends_with_the_summary(chat, script):
    replies = [chat.say(message) for message in script.messages]
    assert script.last_reply_contains in replies[-1]
