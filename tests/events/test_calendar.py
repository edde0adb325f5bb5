from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.hiring_events.calendar import event_ics
from bot.hiring_events.model import Event

CHICAGO = ZoneInfo("America/Chicago")
UTC = timezone.utc
STAMP = datetime(2026, 2, 20, 17, 45, 12, tzinfo=UTC)

# Text full of the characters RFC 5545 escapes: commas, semicolons, backslashes and newlines.
NAME = {
    "en": "Hospitality Hires Chicago: hotels, restaurants; bars",
    "es": "Feria de empleo Hospitality Hires Chicago: hoteles, restaurantes; bares",
}
BRING = {
    "en": "Résumé, photo ID; a pen\nDress: business casual \\ no jeans",
    "es": "Currículum, identificación con foto; bolígrafo\nVestimenta: formal \\ sin jeans",
}
VENUE = "Malcolm X College; Conference Center, Room 1"
ADDRESS = "1900 W Jackson Blvd, Chicago, IL 60612"


def hiring_event(starts: datetime, ends: datetime, bring: dict[str, str] | None = None) -> Event:
    return Event(
        code="HHC",
        name=NAME,
        sectors=("hospitality",),
        starts_at=starts,
        ends_at=ends,
        venue=VENUE,
        address=ADDRESS,
        capacity=2500,
        bring=BRING if bring is None else bring,
    )


def chicago(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


EVENT = hiring_event(chicago(2026, 4, 16, 10), chicago(2026, 4, 16, 14, 30))


def parsed(ics: bytes) -> tuple[Calendar, Calendar]:
    calendar = Calendar.from_ical(ics)
    entries = calendar.walk("VEVENT")
    assert len(entries) == 1
    return calendar, entries[0]


@pytest.mark.parametrize(
    "language, description",
    [
        ("en", "Confirmation code: K7P2QX\nWhat to bring: " + BRING["en"]),
        ("es", "Código de confirmación: K7P2QX\nQué traer: " + BRING["es"]),
    ],
)
def test_every_field_reads_back(language: str, description: str) -> None:
    calendar, entry = parsed(event_ics(EVENT, "K7P2QX", language, stamped_at=STAMP))

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "Hiring events" in str(calendar["PRODID"])

    assert str(entry["UID"]) == "HHC-K7P2QX@chicookworks.org"
    assert entry.decoded("DTSTAMP") == STAMP
    assert str(entry["SUMMARY"]) == NAME[language]
    assert str(entry["LOCATION"]) == f"{VENUE}, {ADDRESS}"
    assert str(entry["DESCRIPTION"]) == description
    assert str(entry["STATUS"]) == "CONFIRMED"

    for field, expected in (("DTSTART", EVENT.starts_at), ("DTEND", EVENT.ends_at)):
        assert entry[field].params["TZID"] == "America/Chicago"
        assert entry.decoded(field) == expected

    (alarm,) = entry.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(hours=2)
    assert NAME[language] in str(alarm["DESCRIPTION"])


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_time_zone_is_in_the_file(language: str) -> None:
    calendar, _ = parsed(event_ics(EVENT, "K7P2QX", language, stamped_at=STAMP))
    assert [timezone_.tz_name for timezone_ in calendar.timezones] == ["America/Chicago"]
    assert calendar.get_missing_tzids() == set()
    # The VTIMEZONE comes before the VEVENT, where older calendar apps expect it.
    names = [component.name for component in calendar.subcomponents]
    assert names.index("VTIMEZONE") < names.index("VEVENT")


@pytest.mark.parametrize(
    "starts, ends, utc_start, utc_end",
    [
        # The Monday after spring forward (8 March 2026): Chicago is UTC-5.
        (chicago(2026, 3, 9, 10), chicago(2026, 3, 9, 14), "2026-03-09 15:00", "2026-03-09 19:00"),
        # The Friday before it: still UTC-6.
        (chicago(2026, 3, 6, 10), chicago(2026, 3, 6, 14), "2026-03-06 16:00", "2026-03-06 20:00"),
        # The Monday after fall back (1 November 2026): UTC-6 again.
        (chicago(2026, 11, 2, 10), chicago(2026, 11, 2, 14), "2026-11-02 16:00", "2026-11-02 20:00"),
        # An evening event across the fall-back night itself: five wall-clock hours, six real ones.
        (chicago(2026, 10, 31, 22), chicago(2026, 11, 1, 3), "2026-11-01 03:00", "2026-11-01 09:00"),
    ],
)
def test_times_on_clock_change_weeks(
    starts: datetime, ends: datetime, utc_start: str, utc_end: str
) -> None:
    calendar, entry = parsed(event_ics(hiring_event(starts, ends), "K7P2QX", "en", stamped_at=STAMP))
    expected_start = datetime.strptime(utc_start, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    expected_end = datetime.strptime(utc_end, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert entry.decoded("DTSTART").astimezone(UTC) == expected_start
    assert entry.decoded("DTEND").astimezone(UTC) == expected_end
    # Written as Chicago wall-clock times...
    assert entry["DTSTART"].to_ical() == starts.strftime("%Y%m%dT%H%M%S").encode()
    # ...which the file's own VTIMEZONE (not the reader's tz database) maps to the same instants.
    (vtimezone,) = calendar.timezones
    from_file = vtimezone.to_tz(lookup_tzid=False)
    wall_start = starts.replace(tzinfo=None)
    assert wall_start.replace(tzinfo=from_file).astimezone(UTC) == expected_start


def _unfolded_lines(ics: bytes) -> list[bytes]:
    return ics.replace(b"\r\n ", b"").split(b"\r\n")


def test_special_characters_are_escaped_on_the_wire() -> None:
    ics = event_ics(EVENT, "K7P2QX", "en", stamped_at=STAMP)
    lines = _unfolded_lines(ics)
    assert b"SUMMARY:Hospitality Hires Chicago: hotels\\, restaurants\\; bars" in lines
    assert (
        b"LOCATION:Malcolm X College\\; Conference Center\\, Room 1\\, "
        b"1900 W Jackson Blvd\\, Chicago\\, IL 60612"
    ) in lines
    assert (
        "DESCRIPTION:Confirmation code: K7P2QX\\nWhat to bring: Résumé\\, photo ID\\; a pen"
        "\\nDress: business casual \\\\ no jeans"
    ).encode() in lines
    # A raw newline never reaches the file: every line is a property, a BEGIN/END or empty at the end.
    assert all(b":" in line for line in lines[:-1]) and lines[-1] == b""


@pytest.mark.parametrize("language", ["en", "es"])
def test_lines_are_crlf_and_folded_to_75_octets(language: str) -> None:
    long_bring = {"en": "Bring " + "résumé copies, " * 20, "es": "Traiga " + "copias del currículum, " * 20}
    ics = event_ics(hiring_event(EVENT.starts_at, EVENT.ends_at, long_bring), "K7P2QX", language, stamped_at=STAMP)
    assert ics.endswith(b"\r\n")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    assert max(len(line) for line in ics.split(b"\r\n")) <= 75
    ics.decode("utf-8")  # folding never splits a multi-byte character
    _, entry = parsed(ics)
    assert str(entry["DESCRIPTION"]).endswith(long_bring[language].strip())


def test_no_bring_line_when_the_event_says_nothing_to_bring() -> None:
    event = hiring_event(EVENT.starts_at, EVENT.ends_at, bring={})
    _, entry = parsed(event_ics(event, "K7P2QX", "es", stamped_at=STAMP))
    assert str(entry["DESCRIPTION"]) == "Código de confirmación: K7P2QX"


def test_same_registration_same_uid_so_a_second_download_updates_the_entry() -> None:
    def uid(code: str) -> str:
        return str(parsed(event_ics(EVENT, code, "en", stamped_at=STAMP))[1]["UID"])

    assert uid("K7P2QX") == uid("K7P2QX")
    assert uid("K7P2QX") != uid("M3T9WA")


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(hours=-6)])
def test_the_stamp_is_the_callers_clock_in_utc(offset) -> None:
    moment = (STAMP + timedelta(days=400)).astimezone(timezone(offset))
    _, entry = parsed(event_ics(EVENT, "K7P2QX", "en", stamped_at=moment))
    assert entry.decoded("DTSTAMP") == moment
    assert entry.decoded("DTSTAMP").utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "code, language, message",
    [
        ("K7P2QX", "fr", "language"),
        ("K7P 2QX", "en", "letters and digits"),
        ("K7P2QX@evil", "en", "letters and digits"),
        ("", "en", "letters and digits"),
    ],
)
def test_bad_arguments_are_refused(code: str, language: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        event_ics(EVENT, code, language, stamped_at=STAMP)
