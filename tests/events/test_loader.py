"""Loading events from YAML and CSV: good rows load, bad rows are reported with their line."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.hiring_events.loader import (
    BadTime,
    events_from_csv,
    events_from_yaml,
    load_events,
    parse_event_time,
)
from bot.hiring_events.model import EVENT_ZONE, registration_window

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "data" / "events"
# Import days for the examples, whose dates count from the day they are imported: whatever the
# day, they must offer what the product needs (a past event, an open one, upcoming ones).
IMPORT_DAYS = [date(2026, 11, 25), date(2027, 3, 14), date(2031, 12, 31), date(2019, 2, 28)]

GOOD_ITEM = """\
  - code: {code}
    name: {{en: Job fair, es: Feria de empleo}}
    sectors: [hospitality]
    starts_at: "2026-12-10 10:00"
    ends_at: "2026-12-10 15:00"
    venue: Example Hall
    address: 100 Example Ave, Chicago, IL
    capacity: 300
"""

CSV_HEADER = "code,name_en,name_es,sectors,starts_at,ends_at,venue,address,capacity\n"
CSV_GOOD = "{code},Job fair,Feria de empleo,hospitality,2026-12-10 10:00,2026-12-10 15:00,Hall,\"1 Example Ave, Chicago\",50\n"


def _yaml_with(*items: str) -> str:
    return "source: tests\nevents:\n" + "".join(items)


# --- times -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected_utc",
    [
        ("2026-12-10 10:00", datetime(2026, 12, 10, 16, 0, tzinfo=timezone.utc)),
        ("2026-12-10T10:00", datetime(2026, 12, 10, 16, 0, tzinfo=timezone.utc)),
        ("2026-12-10 9:30", datetime(2026, 12, 10, 15, 30, tzinfo=timezone.utc)),
        ("2026-07-10 10:00", datetime(2026, 7, 10, 15, 0, tzinfo=timezone.utc)),  # daylight time
        ("2026-12-10T16:00:00Z", datetime(2026, 12, 10, 16, 0, tzinfo=timezone.utc)),
        ("2026-12-10T10:00:00-06:00", datetime(2026, 12, 10, 16, 0, tzinfo=timezone.utc)),
        ("2026-12-10T11:00:00-0500", datetime(2026, 12, 10, 16, 0, tzinfo=timezone.utc)),
        # Autumn change: 01:30 happens twice; the first (daylight, -05:00) is meant.
        ("2026-11-01 01:30", datetime(2026, 11, 1, 6, 30, tzinfo=timezone.utc)),
        (datetime(2026, 12, 10, 10, 0), datetime(2026, 12, 10, 16, 0, tzinfo=timezone.utc)),
    ],
)
def test_times_are_chicago_wall_clock_or_carry_an_offset(text: object, expected_utc: datetime) -> None:
    parsed = parse_event_time(text)
    # Compared in UTC: Python never calls an ambiguous wall-clock time equal across zones.
    assert parsed.astimezone(timezone.utc) == expected_utc
    assert parsed.tzinfo is EVENT_ZONE


@pytest.mark.parametrize(
    "text, problem",
    [
        ("2026-12-10", "a date without a time"),
        ("Dec 10 2026 10am", "is not a date and time"),
        ("2026-13-10 10:00", "month must be in 1..12"),
        ("2026-12-10 25:00", "hour must be in 0..23"),
        ("2026-12-10 10:00+25:00", "impossible offset"),
        # Spring change: 02:00-02:59 does not exist on 2027-03-14 in Chicago.
        ("2027-03-14 02:30", "does not exist in Chicago"),
        (20261210, "not a date and time"),
    ],
)
def test_bad_times_say_why(text: object, problem: str) -> None:
    with pytest.raises(BadTime, match=problem):
        parse_event_time(text)


def test_a_yaml_date_without_time_is_refused() -> None:
    result = events_from_yaml(_yaml_with(GOOD_ITEM.format(code="AAA").replace('"2026-12-10 10:00"', "2026-12-10")))
    assert result.events == []
    assert "bad time in starts_at (a date without a time)" in result.errors[0].message


# --- YAML ------------------------------------------------------------------------------------


def test_good_rows_load_and_bad_rows_are_reported_with_the_line_of_their_item() -> None:
    text = _yaml_with(
        GOOD_ITEM.format(code="AAA"),  # item on line 3
        GOOD_ITEM.format(code="BBB").replace("capacity: 300", "capacity: lots"),  # line 11
        GOOD_ITEM.format(code="CCC"),  # line 19
    )
    result = events_from_yaml(text)
    assert [event.code for event in result.events] == ["AAA", "CCC"]
    assert [(error.line, error.message) for error in result.errors] == [
        (11, "capacity must be a positive whole number")
    ]
    assert text.splitlines()[10].strip() == "- code: BBB"


@pytest.mark.parametrize(
    "replace, by, message",
    [
        ("    venue: Example Hall\n", "", "missing field venue"),
        ("    sectors: [hospitality]\n", "", "missing field sectors"),
        ('starts_at: "2026-12-10 10:00"', 'starts_at: "tomorrow"', "bad time in starts_at"),
        ('ends_at: "2026-12-10 15:00"', 'ends_at: "2026-12-10 09:00"', "ends_at must be after starts_at"),
        ('ends_at: "2026-12-10 15:00"', 'ends_at: "2026-12-10 10:00"', "ends_at must be after starts_at"),
        ("[hospitality]", "[hospitality, retail]", "unknown sector 'retail'"),
        ("capacity: 300", "capacity: 0", "capacity must be a positive whole number"),
        ("capacity: 300", "capacity: -5", "capacity must be a positive whole number"),
        ("capacity: 300", "capacity: 12.5", "capacity must be a positive whole number"),
        ("capacity: 300", "capacity: yes", "capacity must be a positive whole number"),
        ("es: Feria de empleo", "fr: Salon", "unknown language fr"),
        ("capacity: 300", "capacity: 300\n    capcity: 30", "unknown field capcity"),
        ("capacity: 300", "capacity: 300\n    capacity: 30", "capacity given twice"),
        ("code: {code}", "code: STOP", "code STOP is a texting keyword"),
        ("code: {code}", "code: ayuda", "code AYUDA is a texting keyword"),
        ("code: {code}", "code: yes", "code must be text; put it in quotes"),
        ("code: {code}", "code: 2026", "code must be 2-12 letters or digits"),
    ],
)
def test_each_kind_of_bad_row_is_named(replace: str, by: str, message: str) -> None:
    item = GOOD_ITEM.replace(replace, by).format(code="BAD")
    result = events_from_yaml(_yaml_with(GOOD_ITEM.format(code="GOOD"), item))
    assert [event.code for event in result.events] == ["GOOD"]
    assert len(result.errors) == 1
    assert result.errors[0].line == 11
    assert message in result.errors[0].message, result.errors[0].message


def test_all_problems_of_a_row_are_reported_together() -> None:
    item = GOOD_ITEM.format(code="BAD").replace("capacity: 300", "capacity: none").replace(
        '"2026-12-10 10:00"', '"soon"'
    )
    (error,) = events_from_yaml(_yaml_with(item)).errors
    assert "bad time in starts_at" in error.message
    assert "capacity must be a positive whole number" in error.message


def test_a_duplicate_code_keeps_the_first_and_reports_the_second() -> None:
    text = _yaml_with(GOOD_ITEM.format(code="AAA"), GOOD_ITEM.format(code="aaa"))
    result = events_from_yaml(text)
    assert [event.code for event in result.events] == ["AAA"]
    assert [(error.line, error.message) for error in result.errors] == [
        (11, "duplicate code AAA (first on line 3)")
    ]


def test_questions_with_choices_load() -> None:
    questions = (
        "    questions:\n"
        "      - key: shift_preference\n"
        "        prompt: {en: \"Which shift?\", es: \"¿Qué turno?\"}\n"
        "        choices:\n"
        "          - {value: morning, title: {en: Morning, es: \"Mañana\"}}\n"
        "          - {value: overnight, title: {en: Overnight, es: Madrugada}}\n"
        "      - key: comments\n"
        "        prompt: {en: \"Anything else?\", es: \"¿Algo más?\"}\n"
    )
    result = events_from_yaml(_yaml_with(GOOD_ITEM.format(code="QQQ") + questions))
    assert result.errors == []
    (event,) = result.events
    assert [question.key for question in event.questions] == ["shift_preference", "comments"]
    assert [choice.value for choice in event.questions[0].choices] == ["morning", "overnight"]
    assert event.questions[0].choices[0].title == {"en": "Morning", "es": "Mañana"}
    assert event.questions[1].choices == ()


@pytest.mark.parametrize(
    "questions, message",
    [
        ("    questions: yes\n", "questions must be a list"),
        ("    questions:\n      - key: Bad Key\n        prompt: {en: a, es: b}\n", "question key 'Bad Key'"),
        ("    questions:\n      - key: q\n        prompt: {en: a}\n", "question q prompt is missing in es"),
        (
            "    questions:\n      - key: q\n        prompt: {en: a, es: b}\n        choices:\n"
            "          - {value: yes, title: {en: a, es: b}}\n",
            "question 1 choice value must be text; put it in quotes",
        ),
        (
            "    questions:\n      - key: q\n        prompt: {en: a, es: b}\n        choices:\n"
            '          - {value: "y", title: {en: Yes, es: "Sí"}}\n',
            "question 1 choice title (en) must be text; put it in quotes",
        ),
        ("    questions:\n      - key: q\n        prompt: {en: a, es: b}\n        kind: text\n", "unknown field kind"),
    ],
)
def test_bad_questions_are_named(questions: str, message: str) -> None:
    result = events_from_yaml(_yaml_with(GOOD_ITEM.format(code="QQQ") + questions))
    assert result.events == []
    assert message in result.errors[0].message, result.errors[0].message


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("", 1, "holds no events"),
        ("events: [\n", 2, "not valid YAML"),
        ("source: x\n", 1, "no `events:` list found"),
        ("events: 3\n", 1, "events must be a list"),
        ("just text\n", 1, "expected a list of events"),
        ("source: x\nevent:\n  - code: A\n", 2, "unknown top-level key 'event'"),
        ("events:\n  - just a string\n", 2, "each event must be a mapping"),
    ],
)
def test_broken_files_say_where(text: str, line: int, message: str) -> None:
    result = events_from_yaml(text)
    assert result.events == []
    assert result.errors[0].line == line
    assert message in result.errors[0].message


def test_an_empty_events_list_is_no_error() -> None:
    assert events_from_yaml("events:\n") == events_from_yaml("events: []\n")
    assert events_from_yaml("events:\n").errors == []


def test_a_bare_list_of_events_loads() -> None:
    text = GOOD_ITEM.format(code="AAA").replace("  - ", "- ", 1).replace("\n    ", "\n  ")
    result = events_from_yaml(text)
    assert result.errors == [] and [event.code for event in result.events] == ["AAA"]


# --- CSV -------------------------------------------------------------------------------------


def test_csv_rows_load_and_bad_rows_report_their_line() -> None:
    text = (
        "# Example events, made up for tests\n"
        "\n"
        + CSV_HEADER
        + CSV_GOOD.format(code="CAA")
        + CSV_GOOD.format(code="CBB").replace(",50\n", ",0\n")
        + "\n"
        + CSV_GOOD.format(code="CCC").replace("hospitality", "healthcare;it")
    )
    result = events_from_csv(text)
    assert [event.code for event in result.events] == ["CAA", "CCC"]
    assert result.events[1].sectors == ("healthcare", "it")
    assert result.events[0].address == "1 Example Ave, Chicago"
    assert [(error.line, error.message) for error in result.errors] == [
        (5, "capacity must be a positive whole number")
    ]


def test_a_csv_row_spanning_lines_is_reported_at_its_first_line() -> None:
    spanning = CSV_GOOD.format(code="CSP").replace('"1 Example Ave, Chicago"', '"1 Example Ave\nChicago"')
    text = CSV_HEADER + spanning + CSV_GOOD.format(code="CBD").replace("2026-12-10 15:00", "2026-12-09 15:00")
    result = events_from_csv(text)
    assert [event.code for event in result.events] == ["CSP"]
    assert [(error.line, error.message) for error in result.errors] == [
        (4, "ends_at must be after starts_at")
    ]


def test_csv_optional_columns_and_questions_as_json() -> None:
    questions = json.dumps(
        [
            {
                "key": "has_resume",
                "prompt": {"en": "Resume?", "es": "¿Currículum?"},
                "choices": [
                    {"value": "yes", "title": {"en": "Yes", "es": "Sí"}},
                    {"value": "no", "title": {"en": "No", "es": "No"}},
                ],
            }
        ]
    ).replace('"', '""')
    header = CSV_HEADER.rstrip("\n") + ",min_age,eligibility_en,eligibility_es,questions\n"
    row = CSV_GOOD.format(code="CQQ").rstrip("\n") + f',18,18+,18 años o más,"{questions}"\n'
    result = events_from_csv(header + row)
    assert result.errors == []
    (event,) = result.events
    assert event.min_age == 18 and event.eligibility == {"en": "18+", "es": "18 años o más"}
    assert [choice.value for choice in event.questions[0].choices] == ["yes", "no"]


@pytest.mark.parametrize(
    "text, line, message, loaded",
    [
        ("code,name_en\nA,B\n", 1, "missing columns: name_es, sectors", []),
        ("# source\n" + CSV_HEADER.rstrip("\n") + ",colour\n" + CSV_GOOD.format(code="CUK").rstrip("\n") + ",red\n",
         2, "unknown columns, ignored: colour", ["CUK"]),
        (CSV_HEADER + CSV_GOOD.format(code="CXX").rstrip("\n") + ",extra\n", 2, "10 cells but 9 columns", []),
        (CSV_HEADER.rstrip("\n") + ",questions\n" + CSV_GOOD.format(code="CJS").rstrip("\n") + ",[oops\n",
         2, "questions is not valid JSON", []),
        (CSV_HEADER + CSV_GOOD.format(code="CMS").replace(",Hall,", ",,"), 2, "missing field venue", []),
        (CSV_HEADER + CSV_GOOD.format(code="CDU") + CSV_GOOD.format(code="CDU"), 3, "duplicate code CDU (first on line 2)", ["CDU"]),
        ("", 1, "no header", []),
    ],
)
def test_csv_problems_say_where(text: str, line: int, message: str, loaded: list[str]) -> None:
    result = events_from_csv(text)
    assert [event.code for event in result.events] == loaded
    assert result.errors[0].line == line
    assert message in result.errors[0].message, result.errors[0].message


# --- files -----------------------------------------------------------------------------------


def test_load_events_picks_the_format_from_the_extension(tmp_path: Path) -> None:
    yaml_file = tmp_path / "events.yaml"
    yaml_file.write_text(_yaml_with(GOOD_ITEM.format(code="FYA")), encoding="utf-8")
    csv_file = tmp_path / "events.csv"
    # A byte-order mark, as spreadsheets write it, must not spoil the first column's name.
    csv_file.write_text("\ufeff" + CSV_HEADER + CSV_GOOD.format(code="FCS"), encoding="utf-8")
    assert [event.code for event in load_events(yaml_file).events] == ["FYA"]
    assert [event.code for event in load_events(csv_file).events] == ["FCS"]
    with pytest.raises(ValueError, match="yml, .yaml or .csv"):
        load_events(tmp_path / "events.json")


@pytest.mark.parametrize("today", IMPORT_DAYS)
@pytest.mark.parametrize("name", ["example_events.yml", "example_events.csv"])
def test_the_shipped_examples_load_without_errors(name: str, today: date) -> None:
    result = load_events(EXAMPLES / name, today)
    assert result.errors == []
    assert len(result.events) >= 2
    for event in result.events:
        assert set(event.name) == {"en", "es"}
        assert event.eligibility and event.min_age == 18
        # Placeholders, not claims about real venues.
        assert "Example" in event.venue and "Example" in event.address


@pytest.mark.parametrize("today", IMPORT_DAYS)
def test_the_yaml_examples_cover_what_the_product_needs_on_any_import_day(today: date) -> None:
    events = {event.code: event for event in load_events(EXAMPLES / "example_events.yml", today).events}
    # Checked at noon on the import day and a week later: a newcomer still finds open events.
    for days_later in (0, 7):
        moment = datetime(today.year, today.month, today.day, 12, tzinfo=EVENT_ZONE) + timedelta(days=days_later)
        windows = {code: registration_window(event, moment) for code, event in events.items()}
        assert "past" in windows.values() and windows["HHC"] == "open"
        assert sum(window != "past" for window in windows.values()) >= 3
    assert events["HHC"].starts_at.date() == today + timedelta(days=15)
    hhc = events["HHC"]
    assert hhc.sectors == ("hospitality",) and hhc.capacity == 300
    assert [question.key for question in hhc.questions] == ["shift_preference", "has_resume"]
    assert [choice.value for choice in hhc.questions[0].choices] == ["morning", "evening", "overnight"]
    assert [choice.value for choice in hhc.questions[1].choices] == ["yes", "no"]
    sectors = {sector for event in events.values() for sector in event.sectors}
    assert {"hospitality", "transportation", "healthcare", "clean_energy"} <= sectors


# --- dates relative to the import day (the examples) -------------------------------------------

RELATIVE_HEADER = "dates: relative to the import day\nsource: tests\nevents:\n"


def _relative_item(code: str, starts: str, ends: str) -> str:
    return (
        GOOD_ITEM.format(code=code)
        .replace('"2026-12-10 10:00"', f'"{starts}"')
        .replace('"2026-12-10 15:00"', f'"{ends}"')
    )


@pytest.mark.parametrize(
    "starts, ends, import_day, expected_start",
    [
        ("in 15 days at 10:00", "in 15 days at 15:00", date(2026, 11, 25), datetime(2026, 12, 10, 10, 0)),
        ("tomorrow at 9:30", "tomorrow at 11:00", date(2026, 12, 31), datetime(2027, 1, 1, 9, 30)),
        ("today at 17:30", "today at 19:00", date(2026, 7, 4), datetime(2026, 7, 4, 17, 30)),
        ("41 days ago at 10:00", "41 days ago at 13:00", date(2026, 11, 25), datetime(2026, 10, 15, 10, 0)),
        ("In 1 day at 10:00", "in 1 day at 12:00", date(2028, 2, 28), datetime(2028, 2, 29, 10, 0)),  # leap day
    ],
)
def test_relative_times_count_from_the_import_day_on_the_chicago_wall_clock(
    starts: str, ends: str, import_day: date, expected_start: datetime
) -> None:
    result = events_from_yaml(RELATIVE_HEADER + _relative_item("REL", starts, ends), import_day)
    assert result.errors == []
    assert result.events[0].starts_at == expected_start.replace(tzinfo=EVENT_ZONE)


def test_relative_times_are_refused_in_a_file_of_real_events() -> None:
    result = events_from_yaml(_yaml_with(_relative_item("REL", "in 5 days at 10:00", "in 5 days at 12:00")), date(2026, 11, 25))
    assert result.events == []
    assert "is relative" in result.errors[0].message and "real events need a date" in result.errors[0].message


def test_a_relative_file_needs_an_import_day_and_the_exact_declaration() -> None:
    item = _relative_item("REL", "in 5 days at 10:00", "in 5 days at 12:00")
    (missing,) = events_from_yaml(RELATIVE_HEADER + item).errors
    assert missing.line == 1 and "no import day" in missing.message
    (wrong,) = events_from_yaml(RELATIVE_HEADER.replace("the import day", "next monday") + item, date(2026, 11, 25)).errors
    assert "can only say" in wrong.message


def test_a_relative_time_the_clocks_skip_is_reported() -> None:
    # 2027-03-14 is the spring change in Chicago: 02:30 does not exist that night.
    text = RELATIVE_HEADER + _relative_item("REL", "in 1 day at 02:30", "in 1 day at 05:00")
    (error,) = events_from_yaml(text, date(2027, 3, 13)).errors
    assert "does not exist in Chicago" in error.message


def test_a_csv_file_declares_relative_dates_in_a_comment_line() -> None:
    row = CSV_GOOD.format(code="CRL").replace("2026-12-10 10:00", "in 3 days at 10:00").replace("2026-12-10 15:00", "in 3 days at 15:00")
    text = "# made up for tests\n# dates: relative to the import day\n" + CSV_HEADER + row
    result = events_from_csv(text, date(2026, 12, 30))
    assert result.errors == []
    assert result.events[0].starts_at == datetime(2027, 1, 2, 10, 0, tzinfo=EVENT_ZONE)
    assert events_from_csv(CSV_HEADER + row, date(2026, 12, 30)).events == []
