"""Hiring events from YAML or CSV files. Pure (stdlib and PyYAML).

Every good row loads and every bad row is reported with its line and what is wrong, so one typo
never blocks the other events of a file:

    result = load_events("data/events/example_events.yml")
    result.events    # [Event, ...] in file order
    result.errors    # [RowError(line=14, message="ends_at must be after starts_at"), ...]

Times: "2026-12-10 10:00" (wall-clock time in America/Chicago, where the events happen) or ISO
8601 with an offset ("2026-12-10T16:00:00Z", "2026-12-10T10:00:00-06:00"). A date without a time
is refused, as is a local time that does not exist because the clocks skip it in spring. At the
autumn change an ambiguous local time means the first of the two (daylight time).

YAML (.yml, .yaml): a mapping with `events:` (a list) and optionally `source:` (where the events
come from), or just the list. Each item; the line reported is the line of the item's first field:

    - code: HHC                          # 2-12 letters/digits, starting with a letter
      name: {en: ..., es: ...}
      sectors: [hospitality]             # healthcare, hospitality, transportation, it,
                                         # construction, clean_energy
      starts_at: "2026-12-10 10:00"
      ends_at: "2026-12-10 15:00"
      venue: ...
      address: ...
      capacity: 300
      registration_opens_at: ...         # optional; default: open now
      registration_closes_at: ...        # optional; default: when the event starts
      eligibility: {en: "18+", es: "18+"}  # optional
      min_age: 18                        # optional
      bring: {en: ..., es: ...}          # optional
      questions:                         # optional
        - key: shift                     # stored as the answer's name
          prompt: {en: ..., es: ...}
          choices:                       # optional; none means a free-text answer
            - {value: morning, title: {en: Morning, es: "Mañana"}}

Quote yes/no/on/off where they are text ("yes"): YAML reads them as true/false.

Example files (never real events) may give times relative to the day they are imported, so they
stay upcoming on any day a newcomer tries them: the YAML file says `dates: relative to the import
day` at the top (a CSV file, a comment line `# dates: relative to the import day` before the
header), and times read "in 15 days at 10:00", "today at 09:00", "tomorrow at 17:30" or "24 days
ago at 09:00" (Chicago wall clock). The caller passes the import day (`today`). A file without
that line must give real dates: a relative time there is an error.

CSV (.csv, UTF-8, comma-separated, first line the header; lines starting with # before the
header are comments, for the source): one event per row, columns

    code, name_en, name_es, sectors, starts_at, ends_at, venue, address, capacity,
    registration_opens_at, registration_closes_at, eligibility_en, eligibility_es, min_age,
    bring_en, bring_es, questions

`sectors` separated by ";" ("healthcare;it"). `questions` is a JSON list shaped like the YAML
questions above, or empty. The optional columns may be left out of the header entirely. The line
reported is the line the row starts on (a quoted cell can span lines).
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

from bot.understanding.keywords import classify_keyword, is_resubscribe_word
from bot.csv_rows import CsvBreak, rows_with_lines
from bot.hiring_events.model import (
    EVENT_LANGUAGES,
    EVENT_ZONE,
    Event,
    EventChoice,
    EventQuestion,
    InvalidEvent,
    normalize_event_code,
)

REQUIRED_FIELDS = (
    "code", "name", "sectors", "starts_at", "ends_at", "venue", "address", "capacity",
)
OPTIONAL_FIELDS = (
    "registration_opens_at", "registration_closes_at", "eligibility", "min_age", "bring",
    "questions",
)
_TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
_TEXT_FIELDS = ("name", "eligibility", "bring")
_QUESTION_FIELDS = ("key", "prompt", "choices")
_CHOICE_FIELDS = ("value", "title")

CSV_REQUIRED_COLUMNS = (
    "code", "name_en", "name_es", "sectors", "starts_at", "ends_at", "venue", "address",
    "capacity",
)
CSV_OPTIONAL_COLUMNS = (
    "registration_opens_at", "registration_closes_at", "eligibility_en", "eligibility_es",
    "min_age", "bring_en", "bring_es", "questions",
)
CSV_SECTOR_SEPARATOR = ";"

_TIME_PATTERN = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2}))?(?P<offset>Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_TIME_HINT = 'use "2026-12-10 10:00" (Chicago time) or ISO 8601 with an offset'
_RELATIVE_TIME_PATTERN = re.compile(
    r"(?:in (?P<ahead>\d{1,4}) days?|(?P<behind>\d{1,4}) days? ago|(?P<word>today|tomorrow))"
    r" at (?P<hour>\d{1,2}):(?P<minute>\d{2})",
    re.IGNORECASE,
)
RELATIVE_DATES_DECLARATION = "relative to the import day"
_DATES_KEY = "dates"
_QUOTE_HINT = "put it in quotes: YAML reads yes/no/on/off as true/false"


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class LoadResult:
    events: list[Event]
    errors: list[RowError]


class BadTime(ValueError):
    pass


def load_events(path: str | Path, today: date | None = None) -> LoadResult:
    """Events from a .yml/.yaml/.csv file; raises ValueError for another extension, OSError if
    the file cannot be read. `today` (the import day, in Chicago) is needed by files whose dates
    are relative to it."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        return events_from_yaml(path.read_text(encoding="utf-8"), today)
    if suffix == ".csv":
        # utf-8-sig: spreadsheets save CSV with a byte-order mark.
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return events_from_csv(stream.read(), today)
    raise ValueError(f"{path.name}: events load from .yml, .yaml or .csv files")


def parse_event_time(value: Any, import_day: date | None = None) -> datetime:
    """A time as written in an events file, as an aware datetime in America/Chicago.

    `import_day` is given only for files that declare relative dates; relative times ("in 5
    days at 10:00") count from it and are refused without it."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and _RELATIVE_TIME_PATTERN.fullmatch(value.strip()):
        moment = _relative_time(value.strip(), import_day)
    elif isinstance(value, str):
        moment = _time_from_text(value.strip())
    elif isinstance(value, date):
        raise BadTime("a date without a time")
    else:
        raise BadTime("not a date and time")
    if moment.tzinfo is None:
        moment = _chicago_wall_clock(moment)
    return moment.astimezone(EVENT_ZONE)


# --- YAML ------------------------------------------------------------------------------------


def events_from_yaml(text: str, today: date | None = None) -> LoadResult:
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        document = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        line = mark.line + 1 if mark else 1
        return LoadResult([], [RowError(line, f"not valid YAML: {problem}")])
    finally:
        loader.dispose()
    if root is None:
        return LoadResult([], [RowError(1, "the file holds no events")])

    errors: list[RowError] = []
    items_node, items = _yaml_event_list(root, document, errors)
    if items_node is None:
        return LoadResult([], errors)
    usable, import_day = _import_day(_declared_dates(root), today, errors)
    if not usable:
        return LoadResult([], errors)
    collector = _Collector(errors, import_day)
    for item_node, item in zip(items_node.value, items):
        line = item_node.start_mark.line + 1
        repeated = _repeated_keys(item_node)
        if repeated:
            collector.bad(line, [f"{name} given twice" for name in repeated])
        elif not isinstance(item, Mapping):
            collector.bad(line, ["each event must be a mapping of field: value"])
        else:
            collector.add(line, item)
    return collector.result()


def _yaml_event_list(
    root: yaml.Node, document: Any, errors: list[RowError]
) -> tuple[yaml.SequenceNode | None, list[Any]]:
    if isinstance(root, yaml.SequenceNode):
        return root, list(document)
    if isinstance(root, yaml.MappingNode):
        events_node = None
        for key_node, value_node in root.value:
            if key_node.value == "events":
                events_node = value_node
            elif key_node.value not in ("source", _DATES_KEY):
                line = key_node.start_mark.line + 1
                errors.append(RowError(line, f"unknown top-level key {key_node.value!r}"))
        if events_node is None:
            errors.append(RowError(1, "no `events:` list found"))
            return None, []
        if isinstance(events_node, yaml.SequenceNode):
            return events_node, list(document["events"])
        if document["events"] is None:
            return None, []  # "events:" with nothing under it: no events yet, not an error
        errors.append(RowError(events_node.start_mark.line + 1, "events must be a list"))
        return None, []
    errors.append(RowError(root.start_mark.line + 1, "expected a list of events"))
    return None, []


def _declared_dates(root: yaml.Node) -> tuple[int, str] | None:
    """(line, value) of a YAML file's top-level `dates:`, if it has one."""
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if key_node.value == _DATES_KEY:
                return key_node.start_mark.line + 1, str(getattr(value_node, "value", ""))
    return None


def _import_day(
    declared: tuple[int, str] | None, today: date | None, errors: list[RowError]
) -> tuple[bool, date | None]:
    """(usable, the day relative times count from): None for a file of real dates; not usable
    (the error noted) when the declaration is wrong or no import day was given."""
    if declared is None:
        return True, None
    line, value = declared
    if " ".join(value.lower().split()) != RELATIVE_DATES_DECLARATION:
        errors.append(RowError(line, f"`{_DATES_KEY}:` can only say {RELATIVE_DATES_DECLARATION!r}"))
        return False, None
    if today is None:
        errors.append(RowError(line, "dates are relative to the import day, but no import day was given"))
        return False, None
    return True, today


def _repeated_keys(node: yaml.Node) -> list[str]:
    if not isinstance(node, yaml.MappingNode):
        return []
    keys = [str(key.value) for key, _ in node.value]
    return sorted({key for key in keys if keys.count(key) > 1})


# --- CSV -------------------------------------------------------------------------------------


def events_from_csv(text: str, today: date | None = None) -> LoadResult:
    lines = list(io.StringIO(text, newline=""))
    skipped = 0
    declared: tuple[int, str] | None = None
    while skipped < len(lines) and (
        not lines[skipped].strip() or lines[skipped].lstrip().startswith("#")
    ):
        comment = lines[skipped].strip().lstrip("#").strip()
        key, colon, value = comment.partition(":")
        if colon and key.strip().lower() == _DATES_KEY:
            declared = (skipped + 1, value.strip())
        skipped += 1
    errors: list[RowError] = []
    usable, import_day = _import_day(declared, today, errors)
    if not usable:
        return LoadResult([], errors)
    reader = csv.reader(lines[skipped:])
    try:
        header = next(reader, None)
    except csv.Error as error:
        return LoadResult([], [RowError(skipped + reader.line_num, f"not valid CSV: {error}")])
    if header is None:
        return LoadResult([], [RowError(max(skipped, 1), "the file holds no header and no events")])
    header_line = skipped + reader.line_num
    columns = [column.strip().lower() for column in header]
    missing = [column for column in CSV_REQUIRED_COLUMNS if column not in columns]
    if missing:
        return LoadResult([], [RowError(header_line, f"missing columns: {', '.join(missing)}")])
    known = set(CSV_REQUIRED_COLUMNS) | set(CSV_OPTIONAL_COLUMNS)
    unknown = [column for column in columns if column not in known]
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    if unknown:
        errors.append(RowError(header_line, f"unknown columns, ignored: {', '.join(unknown)}"))
    if repeated:
        message = f"columns given twice: {', '.join(repeated)}"
        return LoadResult([], [RowError(header_line, message)])

    collector = _Collector(errors, import_day)
    for csv_row in rows_with_lines(reader, skipped):
        if isinstance(csv_row, CsvBreak):
            collector.bad(csv_row.line, [csv_row.problem])
            break
        line, cells = csv_row.line, csv_row.cells
        if len(cells) > len(columns):
            collector.bad(line, [f"{len(cells)} cells but {len(columns)} columns"])
            continue
        row = {column: cell.strip() for column, cell in zip(columns, cells) if column in known}
        fields, problems = _fields_from_csv_row(row)
        if problems:
            collector.bad(line, problems)
        else:
            collector.add(line, fields)
    return collector.result()


def _fields_from_csv_row(row: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    def cell(column: str) -> str | None:
        return row.get(column) or None

    def texts(prefix: str) -> dict[str, str] | None:
        given = {language: cell(f"{prefix}_{language}") for language in EVENT_LANGUAGES}
        given = {language: text for language, text in given.items() if text is not None}
        return given or None

    problems: list[str] = []
    sectors = cell("sectors")
    fields: dict[str, Any] = {
        "code": cell("code"),
        "name": texts("name"),
        "sectors": [part.strip() for part in sectors.split(CSV_SECTOR_SEPARATOR) if part.strip()]
        if sectors
        else None,
        "venue": cell("venue"),
        "address": cell("address"),
        "capacity": cell("capacity"),
        "eligibility": texts("eligibility"),
        "min_age": cell("min_age"),
        "bring": texts("bring"),
    }
    for name in _TIME_FIELDS:
        fields[name] = cell(name)
    questions = cell("questions")
    if questions is not None:
        try:
            fields["questions"] = json.loads(questions)
        except json.JSONDecodeError as error:
            problems.append(f"questions is not valid JSON ({error.msg})")
    return fields, problems


# --- one event, from either format -----------------------------------------------------------


class _Collector:
    """Turns rows into events, keeps the first of each code, and notes every bad row."""

    def __init__(self, errors: list[RowError], import_day: date | None) -> None:
        self._events: list[Event] = []
        self._errors = errors
        self._import_day = import_day
        self._line_of_code: dict[str, int] = {}

    def add(self, line: int, fields: Mapping[str, Any]) -> None:
        try:
            event = event_from_fields(fields, self._import_day)
        except InvalidEvent as invalid:
            self.bad(line, list(invalid.problems))
            return
        first_line = self._line_of_code.get(event.code)
        if first_line is not None:
            self.bad(line, [f"duplicate code {event.code} (first on line {first_line})"])
            return
        self._line_of_code[event.code] = line
        self._events.append(event)

    def bad(self, line: int, problems: Iterable[str]) -> None:
        self._errors.append(RowError(line, "; ".join(problems)))

    def result(self) -> LoadResult:
        return LoadResult(self._events, sorted(self._errors, key=lambda error: error.line))


def event_from_fields(fields: Mapping[str, Any], import_day: date | None = None) -> Event:
    """An Event from one row's fields as written in a file; raises InvalidEvent listing every
    problem found in the row's own fields (rules between fields are checked once those pass).
    `import_day`: see parse_event_time."""
    problems: list[str] = []
    unknown = sorted(str(name) for name in fields if name not in REQUIRED_FIELDS + OPTIONAL_FIELDS)
    if unknown:
        problems.append(f"unknown field {', '.join(unknown)}")
    missing = [name for name in REQUIRED_FIELDS if _is_blank(fields.get(name))]
    if missing:
        problems.append(f"missing field {', '.join(missing)}")

    code = _scalar_text(fields.get("code"), "code", problems)
    if code:
        problems.extend(_keyword_problems(code))
    texts = {name: _localized_text(fields.get(name), name, problems) for name in _TEXT_FIELDS}
    times: dict[str, datetime | None] = {}
    for name in _TIME_FIELDS:
        raw = fields.get(name)
        times[name] = None
        if _is_blank(raw):
            continue
        try:
            times[name] = parse_event_time(raw, import_day)
        except BadTime as bad:
            problems.append(f"bad time in {name} ({bad}): {_TIME_HINT}")
    capacity = _whole_number(
        fields.get("capacity"), "capacity must be a positive whole number", problems
    )
    min_age = _whole_number(fields.get("min_age"), "min_age must be a whole number", problems)
    sectors = _sector_list(fields.get("sectors"), problems)
    questions = _questions(fields.get("questions"), problems)
    venue = _scalar_text(fields.get("venue"), "venue", problems)
    address = _scalar_text(fields.get("address"), "address", problems)
    if problems:
        raise InvalidEvent(problems)
    return Event(
        code=code or "",
        name=texts["name"] or {},
        sectors=sectors,
        starts_at=times["starts_at"],  # type: ignore[arg-type]  # present: checked above
        ends_at=times["ends_at"],  # type: ignore[arg-type]
        venue=venue or "",
        address=address or "",
        capacity=capacity,  # type: ignore[arg-type]
        registration_opens_at=times["registration_opens_at"],
        registration_closes_at=times["registration_closes_at"],
        eligibility=texts["eligibility"] or {},
        min_age=min_age,
        bring=texts["bring"] or {},
        questions=questions,
    )


def _keyword_problems(code: str) -> list[str]:
    """A code that is a texting keyword would reach the carrier's or our keyword handling
    (STOP, HELP, YES...) instead of registration."""
    normalized = normalize_event_code(code)
    if classify_keyword(normalized) is not None or is_resubscribe_word(normalized):
        return [f"code {normalized} is a texting keyword; pick another code"]
    return []


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _scalar_text(value: Any, what: str, problems: list[str]) -> str | None:
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        problems.append(f"{what} must be text; {_QUOTE_HINT}")
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    problems.append(f"{what} must be text")
    return None


def _localized_text(value: Any, what: str, problems: list[str]) -> dict[str, str] | None:
    if _is_blank(value):
        return None
    if not isinstance(value, Mapping):
        problems.append(f"{what} must give en and es texts")
        return None
    texts: dict[str, str] = {}
    for language, text in value.items():
        checked = _scalar_text(text, f"{what} ({language})", problems)
        if checked is not None:
            texts[str(language)] = checked
    return texts


def _whole_number(value: Any, message: str, problems: list[str]) -> int | None:
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        problems.append(message)
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        number = int(value.strip())
    else:
        problems.append(message)
        return None
    if number < 1:
        problems.append(message)
        return None
    return number


def _sector_list(value: Any, problems: list[str]) -> tuple[str, ...]:
    if _is_blank(value):
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in re.split(r"[;,]", value) if part.strip())
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return tuple(value)
    problems.append("sectors must be a list of sector names")
    return ()


def _questions(value: Any, problems: list[str]) -> tuple[EventQuestion, ...]:
    if _is_blank(value):
        return ()
    if not isinstance(value, list):
        problems.append("questions must be a list")
        return ()
    questions: list[EventQuestion] = []
    for position, raw in enumerate(value, start=1):
        where = f"question {position}"
        if not isinstance(raw, Mapping):
            problems.append(f"{where} must be a mapping with key, prompt, choices")
            continue
        unknown = sorted(str(name) for name in raw if name not in _QUESTION_FIELDS)
        if unknown:
            problems.append(f"{where}: unknown field {', '.join(unknown)}")
        key = _scalar_text(raw.get("key"), f"{where} key", problems)
        prompt = _localized_text(raw.get("prompt"), f"{where} prompt", problems)
        choices = _choices(raw.get("choices"), where, problems)
        try:
            questions.append(EventQuestion(key=key or "", prompt=prompt or {}, choices=choices))
        except InvalidEvent as invalid:
            problems.extend(invalid.problems)  # they name the question by its key
    return tuple(questions)


def _choices(value: Any, where: str, problems: list[str]) -> tuple[EventChoice, ...]:
    if _is_blank(value):
        return ()
    if not isinstance(value, list):
        problems.append(f"{where}: choices must be a list")
        return ()
    choices: list[EventChoice] = []
    for raw in value:
        if not isinstance(raw, Mapping):
            problems.append(f"{where}: each choice needs a value and a title")
            continue
        unknown = sorted(str(name) for name in raw if name not in _CHOICE_FIELDS)
        if unknown:
            problems.append(f"{where}: unknown choice field {', '.join(unknown)}")
        choice_value = _scalar_text(raw.get("value"), f"{where} choice value", problems)
        title = _localized_text(raw.get("title"), f"{where} choice title", problems)
        try:
            choices.append(EventChoice(value=choice_value or "", title=title or {}))
        except InvalidEvent as invalid:
            problems.extend(f"{where}: {problem}" for problem in invalid.problems)
    return tuple(choices)


# --- times -----------------------------------------------------------------------------------


def _time_from_text(text: str) -> datetime:
    match = _TIME_PATTERN.fullmatch(text)
    if match is None:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise BadTime("a date without a time")
        raise BadTime(f"{text!r} is not a date and time")
    try:
        day = date.fromisoformat(match["date"])
        moment = datetime(
            day.year, day.month, day.day,
            int(match["hour"]), int(match["minute"]), int(match["second"] or 0),
        )
    except ValueError as error:
        raise BadTime(f"{text!r}: {error}") from None
    offset = match["offset"]
    if offset is None:
        return moment
    if offset.upper() == "Z":
        return moment.replace(tzinfo=timezone.utc)
    try:
        return datetime.fromisoformat(f"{moment.isoformat()}{offset[:3]}:{offset[-2:]}")
    except ValueError:
        raise BadTime(f"{text!r} has an impossible offset") from None


def _relative_time(text: str, import_day: date | None) -> datetime:
    if import_day is None:
        raise BadTime(
            f"{text!r} is relative; only example files that say `{_DATES_KEY}: "
            f"{RELATIVE_DATES_DECLARATION}` may use relative times, real events need a date"
        )
    match = _RELATIVE_TIME_PATTERN.fullmatch(text)
    assert match is not None  # checked by the caller
    if match["ahead"] is not None:
        days = int(match["ahead"])
    elif match["behind"] is not None:
        days = -int(match["behind"])
    else:
        days = 1 if match["word"].lower() == "tomorrow" else 0
    day = import_day + timedelta(days=days)
    try:
        return datetime(day.year, day.month, day.day, int(match["hour"]), int(match["minute"]))
    except ValueError as error:
        raise BadTime(f"{text!r}: {error}") from None


def _chicago_wall_clock(naive: datetime) -> datetime:
    aware = naive.replace(tzinfo=EVENT_ZONE)
    back = aware.astimezone(timezone.utc).astimezone(EVENT_ZONE).replace(tzinfo=None)
    if back != naive:
        raise BadTime(f"{naive:%Y-%m-%d %H:%M} does not exist in Chicago (the clocks skip it)")
    return aware
