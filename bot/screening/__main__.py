"""python -m bot.screening ANSWERS.json [--today YYYY-MM-DD] [--language en|es]

Prints one JSON object with each program's determination. A file of `-` reads standard input.
Bad input (unreadable JSON, unknown answer names, values outside the canonical ones) prints one
line on stderr and exits with status 2.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Sequence

from bot.local_zone import CHICAGO
from bot.screening.screen import screen
from bot.screening.seeker_answers import AnswerError

BAD_INPUT = 2
# Ages are judged on the calendar day where the seekers live, whatever the server's zone.


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # keep argparse's exit status (2) but make the message one line
        self.exit(BAD_INPUT, f"error: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="python -m bot.screening", description="Screen a seeker's answers for programs.")
    parser.add_argument("answers", help="JSON file of answers (names from bot/answers.py), or - for stdin")
    parser.add_argument("--today", help="judge ages on this date (YYYY-MM-DD); default: today in Chicago")
    parser.add_argument("--language", choices=("en", "es"), default="en", help="language of the texts")
    options = parser.parse_args(argv)
    try:
        today = date.fromisoformat(options.today) if options.today else datetime.now(CHICAGO).date()
    except ValueError:
        return _fail(f"--today must be a date like 2026-11-25, got {options.today!r}")
    try:
        answers = _read_answers(options.answers)
        result = screen(answers, today)
    except (AnswerError, ValueError, OSError) as problem:
        return _fail(str(problem))
    print(json.dumps(result.as_dict(options.language), ensure_ascii=False, indent=2))
    return 0


def _read_answers(path: str) -> object:
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as problem:
        raise ValueError(f"answers are not valid JSON: {problem}") from None


def _fail(message: str) -> int:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
