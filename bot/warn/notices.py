"""WARN notices from the Illinois workNet export (CSV, 34 columns as the state names them). Pure:
stdlib only.

    result = read_warn_export(text)
    result.rows_read     # data rows in the file
    result.notices       # [(line, WarnNotice), ...] in file order
    result.skipped       # [SkippedRow(line=14, why="no employer name"), ...]

The real export mixes date formats ("2020-07-22 00:00:00" in some columns, "7/22/2020" in
others), leaves many cells empty, writes HTML entities in names ("&amp;") and holds line breaks
inside quoted cells: a row's line is the line it starts on. A row is skipped, with its line and
why, when it names no employer or holds a date or a count that cannot be read; an empty cell is
simply unknown.

Legal background: employers of 75+ (Illinois WARN Act, 820 ILCS 65/5) or 100+ (federal WARN,
29 U.S.C. 2101) give 60 days' notice of a plant closing or mass layoff; the Illinois Department of
Commerce and Economic Opportunity publishes the notices through Illinois workNet.
"""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.csv_rows import CsvBreak, rows_with_lines

# The columns this reader uses, named as the export names them.
EMPLOYER = "Location Name"
DBA = "Doing Business As Name"
ADDRESS = "Location Address"
CITY = "Location City"
STATE = "Location State"
ZIP_CODE = "Location Zipcode"
COUNTY = "County"
LWIA_NUMBER = "LWIA #"
LWIA_NAME = "LWIA"
LAYOFF_TYPE = "Layoff Type"
REASON = "Reason"
CAUSES = "Causes"
STATUS = "Status"
REPORT_SOURCE = "Report Source"
WARN_NOTICE = "WARN Notice"
INDUSTRY = "Industry"
NAICS = "NAICS Codes"
IEBS_ID = "IEBS Id"
TOTAL_EMPLOYEES = "Total # of Employees"
EXPECTED_LAYOFF = "Expected Layoff"
REVISED_LAYOFF = "Revised Layoff"
INITIAL_REPORT = "Initial Date Reported"
LAST_REPORT = "Last Report Date"
NOTIFIED = "Notification(s) Received"
IMPACT_DATE = "Impact Date"
UNIONS_INVOLVED = "Unions Involved"
UNIONS = "Unions"

REQUIRED_COLUMNS = (EMPLOYER, LWIA_NUMBER, REASON, IEBS_ID, EXPECTED_LAYOFF, INITIAL_REPORT)

# This workforce area: "7 - Chicago Cook Workforce Partnership" in the export.
CHICAGO_COOK_LWIA = "7"

_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class WarnNotice:
    """One notice as the state published it. Text is unescaped and trimmed; empty is None."""

    employer: str
    iebs_id: str | None = None
    dba: str | None = None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip_code: str | None = None
    county: str | None = None
    lwia: str | None = None
    layoff_type: str | None = None
    reason: str | None = None  # "Plant Closure", "Layoff", "Mass Layoff"
    causes: str | None = None
    status: str | None = None
    report_source: str | None = None
    is_warn_notice: bool | None = None
    industry: str | None = None
    naics: str | None = None
    total_employees: int | None = None
    expected_layoff: int | None = None
    revised_layoff: int | None = None
    reported_on: date | None = None
    last_report_on: date | None = None
    # Each notification the state received for this site (an amended notice adds one).
    notifications: tuple[date, ...] = ()
    impact_on: date | None = None
    unions_involved: bool | None = None
    unions: str | None = None

    @property
    def key(self) -> str:
        """What identifies the notice across imports: the state's IEBS id, else the employer,
        the address and the first report date."""
        if self.iebs_id:
            return f"iebs:{self.iebs_id}"
        parts = (self.employer, self.address or "", self.reported_on.isoformat() if self.reported_on else "")
        return "site:" + "|".join(_SPACES.sub(" ", part).strip().lower() for part in parts)

    def as_document(self) -> dict[str, object]:
        """JSON-ready: dates as ISO text."""
        def plain(value: object) -> object:
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, tuple):
                return [plain(item) for item in value]
            return value

        return {name: plain(value) for name, value in self.__dict__.items()}

    @classmethod
    def from_document(cls, document: dict[str, object]) -> "WarnNotice":
        values = dict(document)
        for name in ("reported_on", "last_report_on", "impact_on"):
            if values.get(name):
                values[name] = date.fromisoformat(str(values[name]))
        values["notifications"] = tuple(date.fromisoformat(str(day)) for day in values.get("notifications") or ())
        known = set(cls.__dataclass_fields__)
        return cls(**{name: value for name, value in values.items() if name in known})


@dataclass(frozen=True)
class SkippedRow:
    line: int
    why: str


@dataclass(frozen=True)
class WarnExport:
    rows_read: int
    notices: list[tuple[int, WarnNotice]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)


class BadCell(ValueError):
    pass


def read_warn_export(text: str) -> WarnExport:
    """Every data row of an export: the notices it holds and the rows it could not use."""
    if text.startswith("\ufeff"):
        text = text[1:]  # spreadsheets save CSV with a byte-order mark
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        return WarnExport(0, skipped=[SkippedRow(1, f"not valid CSV: {error}")])
    if header is None:
        return WarnExport(0, skipped=[SkippedRow(1, "the file is empty")])
    columns = [_SPACES.sub(" ", column).strip() for column in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        return WarnExport(0, skipped=[SkippedRow(1, f"not a WARN export: missing columns {', '.join(missing)}")])

    notices: list[tuple[int, WarnNotice]] = []
    skipped: list[SkippedRow] = []
    rows_read = 0
    for row in rows_with_lines(reader):
        if isinstance(row, CsvBreak):
            skipped.append(SkippedRow(row.line, row.problem))
            break
        rows_read += 1
        try:
            notices.append((row.line, notice_from_row(dict(zip(columns, row.cells)))))
        except BadCell as bad:
            skipped.append(SkippedRow(row.line, str(bad)))
    return WarnExport(rows_read, notices, skipped)


def notice_from_row(row: dict[str, str]) -> WarnNotice:
    """One export row as a notice; raises BadCell saying why it cannot be used."""
    employer = _text(row, EMPLOYER) or _text(row, DBA)
    if employer is None:
        raise BadCell("no employer name")
    return WarnNotice(
        employer=employer,
        iebs_id=_text(row, IEBS_ID),
        dba=_text(row, DBA),
        address=_text(row, ADDRESS),
        city=_text(row, CITY),
        state=_text(row, STATE),
        zip_code=_zip(row),
        county=_text(row, COUNTY),
        lwia=_lwia(row),
        layoff_type=_text(row, LAYOFF_TYPE),
        reason=_text(row, REASON),
        causes=_text(row, CAUSES),
        status=_text(row, STATUS),
        report_source=_text(row, REPORT_SOURCE),
        is_warn_notice=_flag(row, WARN_NOTICE),
        industry=_text(row, INDUSTRY),
        naics=_text(row, NAICS),
        total_employees=_count(row, TOTAL_EMPLOYEES),
        expected_layoff=_count(row, EXPECTED_LAYOFF),
        revised_layoff=_count(row, REVISED_LAYOFF),
        reported_on=_date(row, INITIAL_REPORT),
        last_report_on=_date(row, LAST_REPORT),
        notifications=_dates(row, NOTIFIED),
        impact_on=_date(row, IMPACT_DATE),
        unions_involved=_flag(row, UNIONS_INVOLVED),
        unions=_text(row, UNIONS),
    )


def _text(row: dict[str, str], column: str) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    cleaned = _SPACES.sub(" ", html.unescape(value)).strip()
    return cleaned or None


def _zip(row: dict[str, str]) -> str | None:
    value = _text(row, ZIP_CODE)
    if value is None:
        return None
    match = re.fullmatch(r"(\d{5})(?:-?\d{4})?", value)
    if match is None:
        raise BadCell(f"{ZIP_CODE} {value!r} is not a ZIP code")
    return match[1]


def _lwia(row: dict[str, str]) -> str | None:
    """The area's number, from "LWIA #" or the start of "LWIA" ("7 - Chicago Cook ...")."""
    value = _text(row, LWIA_NUMBER)
    if value is None:
        name = _text(row, LWIA_NAME) or ""
        value = name.split(" - ", 1)[0].strip() or None
    if value is None:
        return None
    if not value.isdigit():
        raise BadCell(f"{LWIA_NUMBER} {value!r} is not a number")
    return str(int(value))


def _count(row: dict[str, str], column: str) -> int | None:
    value = _text(row, column)
    if value is None:
        return None
    digits = value.replace(",", "")
    if not digits.isdigit():
        raise BadCell(f"{column} {value!r} is not a whole number")
    return int(digits)


def _date(row: dict[str, str], column: str) -> date | None:
    value = _text(row, column)
    return None if value is None else _parsed_date(value, column)


def _dates(row: dict[str, str], column: str) -> tuple[date, ...]:
    """A cell listing several dates ("5/17/2021, 2/27/2019"), newest first as the state writes
    them; kept in that order, repeats dropped."""
    value = _text(row, column)
    if value is None:
        return ()
    days = [_parsed_date(part.strip(), column) for part in value.split(",") if part.strip()]
    return tuple(dict.fromkeys(days))


def _parsed_date(value: str, column: str) -> date:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise BadCell(f"{column} {value!r} is not a date")


def _flag(row: dict[str, str], column: str) -> bool | None:
    value = (_text(row, column) or "").lower()
    if value in ("true", "yes", "y", "1"):
        return True
    if value in ("false", "no", "n", "0"):
        return False
    return None
