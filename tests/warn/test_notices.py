"""Reading the Illinois workNet WARN export: each quirk of the real file, one table row each."""
from __future__ import annotations

from datetime import date

import pytest

from bot.warn.notices import WarnNotice, read_warn_export

HEADER = (
    "Location Name,Doing Business As Name,Location Address,Location City,Location State,Location Zipcode,"
    "County,LWIA #,LWIA,Layoff Type,Reason,Industry,IEBS Id,Expected Layoff,Revised Layoff,"
    "Initial Date Reported,Notification(s) Received,Unions Involved,Unions\n"
)
GOOD = (
    "Acme Foods Inc.,ACME,100 W Main St ,Chicago,IL,60601,Cook County,7,7 - Chicago Cook Workforce Partnership,"
    "State,Plant Closure,Manufacturing,20200723005,107,100,2020-07-22 00:00:00,7/22/2020,False,\n"
)


def _one(row: str) -> WarnNotice:
    result = read_warn_export(HEADER + row)
    assert result.skipped == []
    ((_, notice),) = result.notices
    return notice


def test_a_row_reads_as_the_state_wrote_it() -> None:
    notice = _one(GOOD)
    assert (notice.employer, notice.dba, notice.address, notice.city, notice.zip_code) == (
        "Acme Foods Inc.", "ACME", "100 W Main St", "Chicago", "60601"
    )
    assert (notice.lwia, notice.reason, notice.expected_layoff, notice.revised_layoff) == ("7", "Plant Closure", 107, 100)
    assert notice.reported_on == date(2020, 7, 22) and notice.notifications == (date(2020, 7, 22),)
    assert notice.unions_involved is False and notice.unions is None
    assert notice.key == "iebs:20200723005"


@pytest.mark.parametrize(
    "change, field, expected",
    [
        (("Acme Foods Inc.", "Kane County Dept of Employment &amp; Education"), "employer", "Kane County Dept of Employment & Education"),
        (("2020-07-22 00:00:00", "7/22/2020"), "reported_on", date(2020, 7, 22)),  # either format, any column
        (("2020-07-22 00:00:00", "2020-07-22"), "reported_on", date(2020, 7, 22)),
        ((",7/22/2020,", ',"5/17/2021, 2/27/2019, 5/17/2021",'), "notifications", (date(2021, 5, 17), date(2019, 2, 27))),
        (("100 W Main St ", '"100 W Main St\nDock 4"'), "address", "100 W Main St Dock 4"),  # a line break inside a cell
        ((",107,100,", ',"1,200",,'), "expected_layoff", 1200),
        ((",107,100,", ",107,,"), "revised_layoff", None),  # empty is unknown, not an error
        (("60601", "60601-1234"), "zip_code", "60601"),
        ((",7,7 - Chicago", ",,7 - Chicago"), "lwia", "7"),  # the number from the area's name
        (("False,\n", 'True,"Teamsters Local 73, UNITE HERE"\n'), "unions", "Teamsters Local 73, UNITE HERE"),
    ],
)
def test_quirks_of_the_real_export(change: tuple[str, str], field: str, expected: object) -> None:
    old, new = change
    assert old in GOOD
    assert getattr(_one(GOOD.replace(old, new, 1)), field) == expected


@pytest.mark.parametrize(
    "change, why",
    [
        (("Acme Foods Inc.,ACME,", ",,"), "no employer name"),
        (("2020-07-22 00:00:00", "July 22"), "Initial Date Reported 'July 22' is not a date"),
        ((",107,100,", ",about 100,100,"), "Expected Layoff 'about 100' is not a whole number"),
        (("60601", "6060"), "Location Zipcode '6060' is not a ZIP code"),
    ],
)
def test_a_row_that_cannot_be_used_is_reported_with_its_line_and_why(change: tuple[str, str], why: str) -> None:
    spanning = GOOD.replace("100 W Main St ", '"100 W Main St\nDock 4"')  # two lines: the next row starts on line 4
    text = HEADER + spanning + GOOD.replace("20200723005", "20200723006").replace(*change)
    result = read_warn_export(text)
    assert result.rows_read == 2
    assert [notice.iebs_id for _, notice in result.notices] == ["20200723005"]
    assert [(row.line, row.why) for row in result.skipped] == [(4, why)]


def test_without_an_iebs_id_the_key_is_employer_address_and_date() -> None:
    first = _one(GOOD.replace("20200723005", ""))
    spaced = _one(GOOD.replace("20200723005", "").replace("Acme Foods Inc.", "ACME  FOODS INC."))
    assert first.key == spaced.key == "site:acme foods inc.|100 w main st|2020-07-22"
    other_day = _one(GOOD.replace("20200723005", "").replace("2020-07-22 00:00:00", "2021-01-05 00:00:00"))
    assert other_day.key != first.key


def test_several_notices_of_one_employer_stay_apart() -> None:
    second = GOOD.replace("20200723005", "20210105001").replace("2020-07-22 00:00:00", "2021-01-05 00:00:00")
    result = read_warn_export(HEADER + GOOD + second)
    assert len({notice.key for _, notice in result.notices}) == 2


def test_a_file_that_is_not_the_export_says_so() -> None:
    result = read_warn_export("name,phone\nAna,312\n")
    assert result.notices == [] and "not a WARN export" in result.skipped[0].why


def test_a_notice_survives_its_json_document() -> None:
    notice = _one(GOOD.replace(",7/22/2020,", ',"5/17/2021, 2/27/2019",'))
    assert WarnNotice.from_document(notice.as_document()) == notice


@pytest.mark.parametrize(
    "impact, today, status",
    [
        (date(2026, 12, 20), date(2026, 12, 5), "layoff_notice"),  # the layoff is still ahead
        (date(2026, 12, 5), date(2026, 12, 5), "laid_off"),  # the day itself
        (date(2026, 11, 1), date(2026, 12, 5), "laid_off"),
        (None, date(2026, 12, 5), "laid_off"),  # no date given: the notice was about a layoff
    ],
)
def test_a_notice_answers_what_the_intake_would_ask(impact, today, status) -> None:
    from bot.warn.layoff import notice_answers

    notice = WarnNotice(employer="Acme Foods Inc.", reason="Plant Closure", impact_on=impact)
    answers = notice_answers(notice, "iebs:1", today)
    assert answers["employment_status"] == status
    assert answers["layoff_employer"] == "Acme Foods Inc."
    assert answers["warn_notice"] == {"id": "iebs:1", "reason": "Plant Closure"}
    assert answers.get("layoff_date") == (impact.isoformat() if impact else None)
