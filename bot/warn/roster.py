"""The roster of workers a layoff affects, as staff upload it for an outreach campaign (CSV).
Pure: stdlib and phonenumbers (Google's libphonenumber rules; no I/O).

    roster = read_roster(text)
    roster.members      # [RosterMember(line=2, first_name="Ana", phone="+13125550100", language="es")]
    roster.bad_rows     # [BadRosterRow(line=5, why="'555-0100' is not a valid US phone number")]
    roster.merged       # lines whose number repeated an earlier row's (the first row is kept)

Columns, matched by name in either language, in any order: a name (`name`, `first name`,
`nombre`), a phone (`phone`, `phone number`, `mobile`, `cell`, `teléfono`, `celular`) and a
preferred language (`language`, `preferred language`, `idioma`; `en`, `English`, `es`, `Spanish`,
`español`...; empty means English). Only the first word of a name is kept: the texts use the
first name, and nothing more of a person is needed.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

import phonenumbers

from bot.csv_rows import CsvBreak, rows_with_lines

DEFAULT_REGION = "US"
NAME_COLUMNS = ("name", "first name", "first_name", "nombre", "full name")
PHONE_COLUMNS = ("phone", "phone number", "phone_number", "mobile", "cell", "cell phone", "telefono", "celular", "numero")
LANGUAGE_COLUMNS = ("language", "preferred language", "preferred_language", "idioma", "lang")
_LANGUAGES = {
    "en": "en", "eng": "en", "english": "en", "ingles": "en",
    "es": "es", "spa": "es", "spanish": "es", "espanol": "es", "castellano": "es",
}
_FIRST_NAME_MAX = 40


@dataclass(frozen=True)
class RosterMember:
    line: int
    first_name: str | None
    phone: str  # E.164
    language: str  # "en" | "es"


@dataclass(frozen=True)
class BadRosterRow:
    line: int
    why: str


@dataclass(frozen=True)
class Roster:
    members: list[RosterMember] = field(default_factory=list)
    bad_rows: list[BadRosterRow] = field(default_factory=list)
    merged: list[int] = field(default_factory=list)


def _plain(text: str) -> str:
    """Lower case without accents: "Teléfono" and "telefono" name the same column."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def _column(columns: list[str], names: tuple[str, ...]) -> int | None:
    for index, column in enumerate(columns):
        if column in names:
            return index
    return None


def normalized_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """E.164 ("+13125550100"); raises ValueError for anything that is not a valid number."""
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValueError(f"{text!r} is not a phone number") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"{text!r} is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def preferred_language(text: str) -> str:
    """ "en" or "es"; raises ValueError for another language (the texts exist in these two)."""
    plain = _plain(text)
    if not plain:
        return "en"
    if plain in _LANGUAGES:
        return _LANGUAGES[plain]
    raise ValueError(f"language {text.strip()!r}: the texts are in English or Spanish")


def first_name(text: str) -> str | None:
    words = re.sub(r"[^\w' -]", " ", text).split()
    return words[0][:_FIRST_NAME_MAX] if words else None


def read_roster(text: str) -> Roster:
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        return Roster(bad_rows=[BadRosterRow(1, f"not valid CSV: {error}")])
    if header is None:
        return Roster(bad_rows=[BadRosterRow(1, "the file is empty")])
    columns = [_plain(column) for column in header]
    phone_at = _column(columns, PHONE_COLUMNS)
    if phone_at is None:
        return Roster(bad_rows=[BadRosterRow(1, "no phone column (phone, phone number, mobile, teléfono...)")])
    name_at = _column(columns, NAME_COLUMNS)
    language_at = _column(columns, LANGUAGE_COLUMNS)

    members: list[RosterMember] = []
    bad_rows: list[BadRosterRow] = []
    merged: list[int] = []
    seen: set[str] = set()
    for row in rows_with_lines(reader):
        if isinstance(row, CsvBreak):
            bad_rows.append(BadRosterRow(row.line, row.problem))
            break
        line, cells = row.line, row.cells

        def cell(index: int | None) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        raw_phone = cell(phone_at)
        if not raw_phone:
            bad_rows.append(BadRosterRow(line, "no phone number"))
            continue
        try:
            phone = normalized_phone(raw_phone)
            language = preferred_language(cell(language_at))
        except ValueError as problem:
            bad_rows.append(BadRosterRow(line, str(problem)))
            continue
        if phone in seen:
            merged.append(line)
            continue
        seen.add(phone)
        members.append(RosterMember(line, first_name(cell(name_at)), phone, language))
    return Roster(members, bad_rows, merged)
