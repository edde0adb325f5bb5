"""`make chat`: a terminal conversation with the running assistant. SMS mode (the default) goes
through the same inbound processing, rendering and segment counting as the Twilio channel;
`--rest` is Rasa's REST channel with numbered buttons."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.cli.harness import new_test_phone_number

ROOT = Path(__file__).resolve().parents[2]


def _chat(*arguments: str, lines: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", *arguments],
        cwd=ROOT, env={**os.environ, **(env or {})},
        input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=180,
    )


def test_sms_chat_shows_what_a_phone_gets_with_each_replys_segments(assistant):
    number = new_test_phone_number()
    result = _chat("--sender", number, lines=["hi", "Tomas", "60608", "2", "/quit"])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "bot> Chicago Cook Workforce Partnership: a few texts" in out
    assert "[1 segment, GSM-7]" in out
    assert "\n2 Hotels and food" in out  # choices as the SMS lists them, not buttons
    assert "       2. Hotels and food" not in out
    # "2" was read by the same inbound processing as a Twilio text: hospitality was recorded,
    # on the twilio channel.
    assert assistant.store.latest_screening("twilio", number).answers["sectors"] == ["hospitality"]
    billed = [int(line.split("[")[1].split(" ")[0]) for line in out.splitlines() if "segment" in line and "[" in line]
    assert f"{sum(billed)} segments billed in this conversation." in out


def test_sms_chat_folds_spanish_to_gsm7_and_shows_the_pause_while_staff_have_the_conversation(assistant):
    number = new_test_phone_number()
    result = _chat("--sender", number, lines=["hola", "quiero hablar con una persona", "sigue ahi?", "/quit"])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # A reply follows the "you> " prompt on its line.
    bodies = [line.split("bot> ", 1)[1] for line in out.splitlines() if "bot> " in line]
    assert bodies and not any(accent in line for line in bodies for accent in "áíóú")
    assert "UCS-2" not in out
    handoff = assistant.handoffs.open_for("twilio", number)
    assert f"(no reply from the bot: kept for staff, handoff {handoff.id})" in out


def test_rest_chat_talks_to_the_running_assistant_and_numbers_the_choices(assistant):
    port = urlsplit(assistant.rasa_url).port
    session = "\n".join(["hi", "Tomas", "60608", "2", "/quit"]) + "\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--rest", "--sender", "chat-test-tomas"],
        cwd=ROOT, env={**os.environ, "RASA_PORT": str(port)},
        input=session, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "bot> Chicago Cook Workforce Partnership: a few texts" in out
    assert "       2. Hotels and food" in out
    # Typing "2" sent the second button's payload: hospitality was recorded.
    answers = assistant.store.latest_screening("rest", "chat-test-tomas").answers
    assert answers["sectors"] == ["hospitality"]


@pytest.mark.parametrize("mode", [[], ["--rest"]], ids=["sms", "rest"])
def test_chat_says_clearly_when_nothing_is_running(tmp_path, mode):
    result = _chat(*mode, lines=["hi"], env={"RASA_PORT": "9", "DATABASE_URL": f"sqlite:///{tmp_path}/none.db"})
    assert result.returncode == 1
    assert "Is `make run` running?" in result.stdout
