"""Trains the character model (bot/language/char_model.py) and writes the table it ships as.

    .venv/bin/python -m bot.language.training          # writes bot/language/data/char_ngrams.json
                                                       # (`python -m bot.cli prepare` does it too)

What it learns from: the tuning messages in tests/language (dev_messages.tsv,
labelled_messages.tsv, tuning_messages.tsv) and the NLU training examples, whose language is
their folder (nlu/en, nlu/es). Never from tests/language/heldout_messages.tsv: a text found there
is left out even when the NLU data has it too, so the held-out score stays a fair one.
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from pathlib import Path

from bot.language.char_model import MODEL_FILE, train

REPO_ROOT = Path(__file__).resolve().parents[2]
LANGUAGE_TESTS = REPO_ROOT / "tests" / "language"
TUNING_FILES = tuple(LANGUAGE_TESTS / name for name in ("dev_messages.tsv", "labelled_messages.tsv", "tuning_messages.tsv"))
HELDOUT_FILE = LANGUAGE_TESTS / "heldout_messages.tsv"
NLU_FOLDERS = {"en": REPO_ROOT / "nlu" / "en", "es": REPO_ROOT / "nlu" / "es"}

_EXAMPLE_LINE = re.compile(r"^\s+- (?P<text>.+)$")
_ENTITY = re.compile(r"\[(?P<words>[^\]]*)\]\([^)]*\)")  # "[cna](sector)" -> "cna"


def labelled_rows(path: Path) -> list[tuple[str, str]]:
    """(text, language) rows of a tab-separated file with '#' comments and a header row."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    _, *rows = list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(text, language) for text, language in rows]


def nlu_examples(folders: dict[str, Path] = NLU_FOLDERS) -> list[tuple[str, str]]:
    """Every `- example` line of the NLU files, entity markup removed, with its folder's language."""
    found = []
    for language, folder in folders.items():
        for path in sorted(folder.glob("*.yml")):
            in_examples = False
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip().startswith("examples:"):
                    in_examples = True
                    continue
                match = _EXAMPLE_LINE.match(line)
                if in_examples and match:
                    found.append((_ENTITY.sub(r"\g<words>", match.group("text")).strip(), language))
                elif line.strip() and not line.startswith(" "):
                    in_examples = False
    return found


def training_examples() -> list[tuple[str, str]]:
    held_out = {text.lower() for text, _ in labelled_rows(HELDOUT_FILE)}
    examples: Iterable[tuple[str, str]] = [row for path in TUNING_FILES for row in labelled_rows(path)]
    examples = [*examples, *nlu_examples()]
    return [(text, language) for text, language in examples if text.lower() not in held_out]


def trained_table() -> str:
    """The model file's text as the current tuning messages and NLU examples train it (the same
    data gives the same bytes)."""
    trained = train(training_examples())
    return json.dumps(trained.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_if_stale() -> bool:
    """Writes the model file when the data trains a different one; True when it did (run by
    `python -m bot.cli prepare`, so `make run` and `make test` never use a stale table)."""
    table = trained_table()
    if MODEL_FILE.exists() and MODEL_FILE.read_text(encoding="utf-8") == table:
        return False
    MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
    MODEL_FILE.write_text(table, encoding="utf-8")
    return True


def main() -> None:
    written = write_if_stale()
    print(f"{MODEL_FILE}: {'trained' if written else 'already current'} ({len(training_examples())} messages)")


if __name__ == "__main__":
    main()
