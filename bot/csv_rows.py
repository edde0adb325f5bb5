"""Data rows of a CSV file with the line each starts on, for reports of the kind "line 14: ...".
Pure (stdlib).

A quoted cell may hold line breaks, so a row's line is not its index: it is one past where the
reader stood after the row before. Blank rows are skipped; a row the csv module cannot read ends
the rows with a CsvBreak naming its line (nothing after it can be trusted).
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class CsvRow:
    line: int
    cells: list[str]


@dataclass(frozen=True)
class CsvBreak:
    line: int
    problem: str


def rows_with_lines(reader, lines_before: int = 0) -> Iterator[CsvRow | CsvBreak]:
    """The rows a csv.reader still has (its header already read). `lines_before`: lines of the
    file before the text the reader was given (comments skipped by the caller)."""
    previous_end = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield CsvBreak(lines_before + previous_end + 1, f"not valid CSV: {error}")
            return
        line = lines_before + previous_end + 1
        previous_end = reader.line_num
        if any(cell.strip() for cell in cells):
            yield CsvRow(line, cells)
