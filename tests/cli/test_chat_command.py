"""`make chat`: a terminal conversation with the running assistant, numbered choices included."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]


def test_chat_talks_to_the_running_assistant_and_numbers_the_choices(assistant):
    port = urlsplit(assistant.rasa_url).port
    session = "\n".join(["hi", "Tomas", "60608", "2", "/quit"]) + "\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--sender", "chat-test-tomas"],
        cwd=ROOT, env={**os.environ, "RASA_PORT": str(port)},
        input=session, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "bot> Hi! This is the Chicago Cook Workforce Partnership" in out
    assert "       2. Hotels and food" in out
    # Typing "2" sent the second button's payload: hospitality was recorded.
    answers = assistant.store.latest_screening("rest", "chat-test-tomas").answers
    assert answers["sectors"] == ["hospitality"]


def test_chat_says_clearly_when_nothing_is_running(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        cwd=ROOT, env={**os.environ, "RASA_PORT": "9"},
        input="hi\n", capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "Is `make run` running?" in result.stdout
