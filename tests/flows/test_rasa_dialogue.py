"""Rasa's own checks on the flows: `rasa data validate` and `rasa test core` end-to-end stories."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bot.channels.scheduler import DIALOGUE_INTENTS
from bot.cli.training import rasa_data_arguments
from bot.understanding.dialogue_input import HELP
from bot.cli.settings import load_settings
from bot.questions import ASKED_ALONGSIDE, QUESTION_ORDER

ROOT = Path(__file__).resolve().parents[2]
SCHEDULER_INTENTS = frozenset(DIALOGUE_INTENTS.values())
# Given by the channel for a carrier keyword, never by the NLU.
CHANNEL_INTENTS = frozenset({HELP})
UNUSED_UTTERANCE = re.compile(r"The utterance '(\w+)' is not used in any story or rule")
UNTRAINED_INTENT = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found in the NLU")


def run_rasa(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rasa", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=900
    )


def action_sources() -> str:
    """The code that names responses: the actions, and the pure dialogues they carry out (the event
    registration's steps say which response comes next, bot/hiring_events/registration.py)."""
    folders = (ROOT / "bot" / "actions", ROOT / "bot" / "hiring_events")
    return "\n".join(p.read_text() for folder in folders for p in folder.glob("*.py"))


def test_rasa_data_validate_is_clean():
    result = run_rasa("data", "validate", *rasa_data_arguments(ROOT), "--config", "config.yml")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No story structure conflicts found" in output, output
    assert not [line for line in output.splitlines() if " ERROR " in line], output
    warnings = [line for line in output.splitlines() if "UserWarning" in line]
    sources = action_sources()
    for line in warnings:
        untrained = UNTRAINED_INTENT.search(line)
        if untrained:
            # Sent by the scheduler or the channel, never classified: no NLU examples on purpose.
            assert f"/{untrained.group(1)}" in SCHEDULER_INTENTS | CHANNEL_INTENTS, line
            continue
        unused = UNUSED_UTTERANCE.search(line)
        # Rasa only sees responses used by rules; ours may also be sent by a custom action or asked
        # by the form. Anything else is a real warning.
        assert unused, line
        name = unused.group(1)
        # utter_ask_<question> is sent by the form, utter_explain_<question> by the form validation.
        by_question = name.startswith(("utter_ask_", "utter_explain_")) and name.split("_", 2)[2] in QUESTION_ORDER
        # utter_ask_<question>_and_<other> asks the pair in one message (bot/actions/intake.py).
        by_pair = name in {f"utter_ask_{first}_and_{second}" for first, second in ASKED_ALONGSIDE.items()}
        assert by_question or by_pair or f'"{name}"' in sources, f"{name} is never sent"


def test_end_to_end_stories_pass(tmp_path):
    model = load_settings().model_path
    result = run_rasa(
        "test", "core",
        "--model", str(model),
        "--stories", str(ROOT / "tests" / "stories"),
        "--out", str(tmp_path),
        "--fail-on-prediction-errors",
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, (result.stdout[-3000:] + result.stderr[-3000:] + details)
