"""Reading the hand-written message files of this folder (tab-separated, '#' header comments)."""
from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent
LABELLED = HERE / "labelled_messages.tsv"
UNDECIDABLE = HERE / "undecidable_messages.tsv"
DEVELOPMENT = HERE / "dev_messages.tsv"
TUNING = HERE / "tuning_messages.tsv"
HELDOUT = HERE / "heldout_messages.tsv"
# What the detector's weights, word lists and character model are fitted on; HELDOUT is not.
TUNING_FILES = (DEVELOPMENT, LABELLED, TUNING)


def read_rows(path: Path) -> list[tuple[str, str]]:
    """(text, second column) pairs, skipping comments and the column-name row."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header, *rows = list(reader)
    assert header[0] == "text", f"{path.name}: first row must name the columns"
    for row in rows:
        assert len(row) == 2, f"{path.name}: expected 2 columns in {row!r}"
    return [(text, second) for text, second in rows]
