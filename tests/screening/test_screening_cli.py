"""python -m bot.screening: one JSON object out, exit status 2 on bad input."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.screening.parameters import rules_version

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
    assert output["rules_version"] == rules_version()
    assert set(output["programs"]) == PROGRAM_NAMES
    for name, program in output["programs"].items():
        assert len(program["reasons"]) == len(program["reason_codes"])
        assert all(isinstance(text, str) and text for text in program["reasons"])
        assert ("priority_group" in program) == (name == "wioa_adult")
        assert ("priority_groups" in program) == (name == "wioa_adult")
    assert output["referral"]["outside"]["lwia"] == "6"  # Wheaton: DuPage's workforce area


# Real seekers' answers, and what the law makes of them: (answers, program, determination,
# priority group or None, a reason code the result must give, the rule).
DETERMINATIONS = [
    (
        {"zip_code": "60623", "age": 30, "sex": "female", "work_authorized": True,
         "employment_status": "laid_off", "ui_status": "receiving"},
        "wioa_dislocated_worker", "likely", None, "dw_laid_off_with_ui",
        "WIOA sec. 3(15)(A): laid off and eligible for (here receiving) unemployment compensation",
    ),
    (
        {"zip_code": "60623", "age": 30, "sex": "female", "work_authorized": True,
         "employment_status": "laid_off", "ui_status": "receiving"},
        "wioa_youth", "unlikely", None, "youth_age_range",
        "WIOA sec. 129(a)(1)(B)-(C): youth are 14-24",
    ),
    (
        {"zip_code": "60623", "age": 19, "sex": "female", "work_authorized": True, "in_school": False,
         "education": "some_high_school", "employment_status": "unemployed"},
        "wioa_youth", "likely", None, "youth_dropout",
        "WIOA sec. 129(a)(1)(B)(iii)(I): an out-of-school youth 16-24 who dropped out",
    ),
    (
        {"zip_code": "60653", "age": 40, "sex": "male", "work_authorized": True, "veteran": True,
         "public_assistance": ["snap"], "selective_service": "registered"},
        "wioa_adult", "likely", 1, "priority_1",
        "TEGL 10-09 / 20 CFR 680.650: a veteran receiving public assistance is served first",
    ),
    (
        {"zip_code": "60623", "age": 30, "sex": "female", "work_authorized": False},
        "wioa_adult", "unlikely", None, None,
        "20 CFR 680.120 / WIOA sec. 188(a)(5): WIOA services need the right to work in the U.S.",
    ),
]


@pytest.mark.parametrize("answers, program, determination, group, reason_code, rule", DETERMINATIONS)
def test_real_answers_get_the_determination_the_rule_gives(answers, program, determination, group, reason_code, rule):
    done = run_cli("-", "--today", "2026-11-25", stdin=json.dumps(answers))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)["programs"][program]
    assert result["determination"] == determination, rule
    assert result.get("priority_group") == group, rule
    if reason_code is not None:
        assert reason_code in result["reason_codes"], rule


def test_without_today_the_day_is_chicagos():
    """At 03:00 UTC on New Year's Day it is still December 31 in Chicago: someone born in 2009
    is 16 or 17 there (too young for WIOA Adult), and would wrongly be 17 or 18 on the server's day."""
    answers = json.dumps({"birth_year": 2009, "sex": "female", "work_authorized": True})
    done = subprocess.run(
        [str(PYTHON), "-c", (
            "import sys, time_machine; from datetime import datetime, timezone; "
            "time_machine.travel(datetime(2027, 1, 1, 3, 0, tzinfo=timezone.utc), tick=False).start(); "
            "from bot.screening.__main__ import main; sys.exit(main(['-']))"
        )],
        input=answers, capture_output=True, text=True, cwd=REPO_ROOT, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    chicago_day = json.loads(run_cli("-", "--today", "2026-12-31", stdin=answers).stdout)
    server_day = json.loads(run_cli("-", "--today", "2027-01-01", stdin=answers).stdout)
    assert chicago_day != server_day
    assert json.loads(done.stdout) == chicago_day


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
