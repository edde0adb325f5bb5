"""CSV text for downloads: rows in, text out (UTF-8 with a byte-order mark added by the caller
where spreadsheets need it)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from bot.reports.funnel import FunnelReport

FUNNEL_HEADER = ("from", "to", "measure", "label", "value")
LIKELY_PREFIX = "likely_eligible_"
MEDIAN_MEASURE = "median_first_response_business_minutes"


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def funnel_rows(report: FunnelReport) -> list[tuple[str, ...]]:
    """One row per measure, each carrying the period so rows can be pasted together.
    The median is in minutes with one decimal, empty when no handoff was answered."""
    first, last = report.period.first_day.isoformat(), report.period.last_day.isoformat()
    rows: list[tuple[str, ...]] = [FUNNEL_HEADER]
    for stage in report.stages:
        rows.append((first, last, stage.key, stage.label, str(stage.count)))
    for program in report.likely_eligible:
        rows.append((first, last, LIKELY_PREFIX + program.key, f"Likely eligible: {program.label}", str(program.count)))
    timing = report.first_response
    median = "" if timing.median is None else f"{timing.median.total_seconds() / 60:.1f}"
    rows.append((first, last, MEDIAN_MEASURE, "Median time to first staff reply (business minutes)", median))
    rows.append((first, last, "handoffs_answered", "Handoffs answered", str(timing.answered)))
    rows.append((first, last, "handoffs_unanswered", "Handoffs not answered yet", str(timing.unanswered)))
    return rows
