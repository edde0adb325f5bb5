"""Matching the employer a laid-off worker names to a WARN notice, against real notices of this
area from the Illinois export (names as the state wrote them). Each row: what a worker might
text, and the employer(s) they mean."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from bot.warn.employers import EmployerCandidate, EmployerIndex, name_words
from bot.warn.notices import read_warn_export

REAL_EXPORT = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "il_warn_notices.csv"


@pytest.fixture(scope="module")
def index() -> EmployerIndex:
    if not REAL_EXPORT.exists():
        reason = f"the Illinois WARN export is missing: {REAL_EXPORT.resolve()}"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    notices = [notice for _, notice in read_warn_export(REAL_EXPORT.read_text(encoding="utf-8")).notices if notice.lwia == "7"]
    return EmployerIndex([
        EmployerCandidate(number, notice.employer, notice.dba, notice.city, notice.reported_on)
        for number, notice in enumerate(notices)
    ])


@pytest.mark.parametrize(
    "text, employer_words",
    [
        ("i worked at walmart", "walmart"),
        ("trabajaba en walmart supercenter", "walmart"),
        ("I was at Pitney Bowes in elk grove", "pitney"),
        ("pitny bowes", "pitney"),  # misspelt
        ("glasdoor", "glassdoor"),
        ("ryder logistics chicago heights", "ryder"),
        ("me despidieron de Evolent Health", "evolent"),
        ("Liberty Steel", "liberty"),  # the name in brackets
        ("chicago paper tube", "westrock"),  # the DBA name
        ("GE Transportation", "wabtec"),  # the DBA name
        ("universal security", "universal"),
    ],
)
def test_a_worker_naming_their_employer_finds_its_notices(index: EmployerIndex, text: str, employer_words: str) -> None:
    found = index.match(text)
    assert found, text
    named = [" ".join(name_words(f"{m.candidate.employer} {m.candidate.dba or ''}")) for m in found]
    assert all(employer_words in name for name in named), named


@pytest.mark.parametrize(
    "text",
    ["i got laid off", "me despidieron", "I worked at a hospital", "warehouse job", "60623", "yes", "services"],
)
def test_words_that_name_no_employer_find_nothing(index: EmployerIndex, text: str) -> None:
    assert index.match(text) == []


def test_one_employers_several_notices_are_offered_together_and_the_named_town_first() -> None:
    index = EmployerIndex([
        EmployerCandidate(1, "Sears, Roebuck and Co.", None, "Skokie", date(2019, 1, 5)),
        EmployerCandidate(2, "SEARS ROEBUCK MERCHANDISE RECORD OFFICE #9872", None, "Chicago", date(2020, 3, 1)),
        EmployerCandidate(3, "Searles Valley Minerals", None, "Chicago", date(2021, 3, 1)),
        EmployerCandidate(4, "Acme Foods", "Sears Grocery", "Joliet", date(2022, 1, 1)),
    ])
    anywhere = [match.candidate.notice_id for match in index.match("trabajaba en sears")]
    assert set(anywhere) >= {1, 2} and 3 not in anywhere
    in_skokie = index.match("I worked at the Sears in Skokie")
    assert in_skokie[0].candidate.notice_id == 1


@pytest.mark.parametrize(
    "written, words",
    [
        ("Sears, Roebuck & Co.", ["sears", "roebuck"]),
        ("AMAZON.COM SERVICES LLC", ["amazon", "com", "services"]),
        ("Panadería La Única, Inc.", ["panaderia", "unica"]),
    ],
)
def test_names_lose_legal_forms_accents_and_punctuation(written: str, words: list[str]) -> None:
    assert name_words(written) == words
