"""python -m bot.screening: one JSON object out, exit status 2 on bad input."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
PROGRAM_NAMES = {"wioa_adult", "wioa_dislocated_worker", "wioa_youth", "ceja", "constructionworks"}


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PYTHON), "-m", "bot.screening", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )


def test_output_shape_from_a_file(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"zip_code": "60187", "age": 19, "sex": "female", "work_authorized": True}))
    done = run_cli(str(answers), "--today", "2026-11-25")
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert set(output) == {"rules_version", "programs", "referral", "needs_staff_review"}
    assert output["rules_version"] == "2026.12.1"
    assert set(output["programs"]) == PROGRAM_NAMES
    for name, program in output["programs"].items():
        assert program["determination"] in {"likely", "possible", "unlikely", "needs_info"}
        assert len(program["reasons"]) == len(program["reason_codes"])
        assert all(isinstance(text, str) and text for text in program["reasons"])
        assert isinstance(program["documents"], list)
        assert ("priority_group" in program) == (name == "wioa_adult")
        assert ("priority_groups" in program) == (name == "wioa_adult")
    assert output["referral"]["outside"]["lwia"] == "6"  # Wheaton: DuPage's workforce area
    assert isinstance(output["needs_staff_review"], list)


def test_reads_stdin_and_spanish():
    done = run_cli("-", "--today", "2026-11-25", "--language", "es", stdin='{"work_authorized": false}')
    assert done.returncode == 0, done.stderr
    adult = json.loads(done.stdout)["programs"]["wioa_adult"]
    assert adult["determination"] == "unlikely"
    assert "EE. UU." in adult["reasons"][0]


def test_today_changes_the_age_judgement():
    answers = '{"birth_year": 2008, "sex": "female", "work_authorized": true}'
    early = json.loads(run_cli("-", "--today", "2026-06-01", stdin=answers).stdout)
    late = json.loads(run_cli("-", "--today", "2027-06-01", stdin=answers).stdout)
    assert early["programs"]["wioa_adult"]["determination"] == "needs_info"  # 17 or 18
    assert late["programs"]["wioa_adult"]["determination"] == "likely"  # 18 or 19


@pytest.mark.parametrize(
    "stdin, args, message_part",
    [
        ('{"age": "abc"}', (), "age"),
        ('{"employment_status": "retired"}', (), "employment_status"),
        ('{"zip_code": "123"}', (), "zip_code"),
        ('{"favorite_color": "blue"}', (), "favorite_color"),
        ('{"age": 30', (), "JSON"),
        ('["age"]', (), "object"),
        ("{}", ("--today", "yesterday"), "--today"),
    ],
)
def test_bad_input_exits_2_with_one_line(stdin, args, message_part):
    done = run_cli("-", *args, stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message_part in lines[0]


def test_missing_file_exits_2(tmp_path):
    done = run_cli(str(tmp_path / "nope.json"))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
