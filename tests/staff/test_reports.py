"""The funnel report page and CSV, for a known set of seekers made through the real stores."""
from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from bot.answers import FIRST_NAME, SECTORS
from bot.store.models import Seeker
from bot.store.vocabulary import OUTCOME_OFFER
from tests.hiring_event_stores import HiringEventStores
from tests.staff.conftest import new_address
from tests.staff.test_events_pages import make_event

CHICAGO = ZoneInfo("America/Chicago")


def chicago_today() -> date:
    return datetime.now(timezone.utc).astimezone(CHICAGO).date()


def a_recent_monday() -> date:
    """A Monday one to two weeks back: its Friday before is still inside a 30-day report."""
    day = chicago_today() - timedelta(days=7)
    return day - timedelta(days=day.weekday())


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CHICAGO)


class Cohort:
    """Seekers who each get one step further than the one before."""

    def __init__(self, console) -> None:
        self.console = console
        self.events = HiringEventStores.on(console.engine)
        self.event = make_event(capacity=3)
        self.events.catalog.upsert_event(self.event, datetime.now(timezone.utc))

    def wrote_in(self) -> str:
        address = new_address()
        self.console.messages.record_inbound("twilio", address, provider_id=f"SM{uuid.uuid4().hex}", kind="text", text="hi")
        return address

    def consented(self) -> str:
        address = self.wrote_in()
        self.console.intake.record_consent_notice("twilio", address, "en")
        return address

    def screened(self, likely: tuple[str, ...]) -> str:
        address = self.consented()
        # An "unlikely" beside the likely ones: only "likely" counts.
        programs = {"constructionworks": {"determination": "unlikely"}}
        results = {"programs": programs | {program: {"determination": "likely"} for program in likely}}
        self.console.intake.complete_screening("twilio", address, {FIRST_NAME: "Sam", SECTORS: ["it"]}, results, "test")
        return address

    def registered(self, likely: tuple[str, ...], **options) -> tuple[str, int]:
        address = self.screened(likely)
        outcome = self.events.registrations.register(self.event.code, "twilio", address, None, datetime.now(timezone.utc), **options)
        return address, outcome.registration.id

    def created_days_ago(self, address: str, days: int) -> None:
        with self.console.engine.begin() as connection:
            connection.execute(
                update(Seeker).where(Seeker.address == address).values(created_at=datetime.now(timezone.utc) - timedelta(days=days))
            )


@pytest.fixture()
def cohort(console):
    people = Cohort(console)
    people.wrote_in()
    opted_out = people.consented()
    console.intake.record_opt_out("twilio", opted_out, "STOP")
    people.consented()
    people.screened(("wioa_adult",))
    people.registered(("wioa_adult", "ceja"))
    address, offered = people.registered(("wioa_youth",))
    _, attended = people.registered(())
    # The event is full now: the next one only joins the waitlist, which is not "registered".
    people.registered(("wioa_adult",), join_waitlist=True)
    for registration_id in (offered, attended):
        people.events.registrations.check_in(people.events.registrations.get_registration(registration_id).registration.confirmation_code)
    people.events.registrations.record_outcome(offered, OUTCOME_OFFER)
    console.handoffs.open_handoff("twilio", address, reason="asked", language="en", sectors=[], team="general",
                                  priority=0, summary={})
    return people


@pytest.fixture()
def timed_handoffs(console, cohort):
    """Handoffs of seekers who first wrote in long ago, answered after known business times."""
    monday = a_recent_monday()
    friday = monday - timedelta(days=3)
    staff = console.add_staff()
    waits = [
        (at(monday, 10), at(monday, 10, 10)),  # 10 business minutes
        (at(monday, 10), at(monday, 11, 30)),  # 90
        # 30 minutes on Friday and 30 on Monday: the middle one in business time (60), the
        # longest on the wall clock (65 hours), so a median of wall-clock waits would be 90.
        (at(friday, 16, 30), at(monday, 9, 30)),
        (at(monday, 11), None),  # not answered yet
    ]
    for created, answered in waits:
        address = cohort.consented()
        cohort.created_days_ago(address, 60)
        handoff, _ = console.handoffs.open_handoff("twilio", address, reason="asked", language="en", sectors=[],
                                                   team="general", priority=0, summary={}, now=created)
        if answered is not None:
            console.handoffs.record_staff_reply(handoff.id, staff.id, answered)
    return friday


def stage_counts(page: str) -> dict[str, int]:
    rows = re.findall(r'<tr data-(?:stage|program)="(\w+)"><th scope="row">[^<]*</th><td class="number">(\d+)</td>', page)
    return {key: int(count) for key, count in rows}


EXPECTED_STAGES = {
    "started": 8,
    "consented": 6,
    "screened": 5,
    "registered": 3,
    "attended": 2,
    "offer": 1,
    "handed_off": 1,
}
EXPECTED_LIKELY = {"wioa_adult": 3, "wioa_dislocated_worker": 0, "wioa_youth": 1, "ceja": 1, "constructionworks": 0}


def test_the_funnel_counts_each_stage(console, cohort):
    client = console.signed_in(console.add_staff())
    response = client.get("/reports/funnel")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert stage_counts(page) == EXPECTED_STAGES | EXPECTED_LIKELY
    stages = list(EXPECTED_STAGES.values())[:-1]
    assert stages == sorted(stages, reverse=True)  # as built: each stage smaller than the one before
    # The chart is an accessible inline image naming the same numbers as the table.
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img"' in page
    assert "Started: 8; Consented: 6; Screened: 5; Registered for an event: 3" in page
    assert "<script" not in page


def test_the_default_period_is_the_last_30_days(console, timed_handoffs):
    client = console.signed_in(console.add_staff())
    page = client.get("/reports/funnel").get_data(as_text=True)
    today = chicago_today()
    assert f'name="from" value="{today - timedelta(days=29)}"' in page
    assert f'name="to" value="{today}"' in page
    # The four seekers behind the timed handoffs first wrote in 60 days ago: not this cohort.
    assert stage_counts(page)["started"] == 8
    longer = client.get(f"/reports/funnel?from={today - timedelta(days=61)}").get_data(as_text=True)
    assert stage_counts(longer)["started"] == 12
    assert stage_counts(longer)["consented"] == 10


def test_median_time_to_first_staff_reply_in_business_hours(console, timed_handoffs):
    client = console.signed_in(console.add_staff())
    page = client.get(f"/reports/funnel?from={timed_handoffs}").get_data(as_text=True)
    median = re.search(r'data-measure="median-first-response">([^<]+)<', page).group(1)
    assert median == "1 h 00 min"
    # The cohort's own handoff (opened today, not answered) and one more not answered.
    assert "(3 answered, 2 not answered yet)" in page


def test_a_period_before_everything_is_all_zero(console, timed_handoffs):
    client = console.signed_in(console.add_staff())
    page = client.get("/reports/funnel?from=2020-01-01&to=2020-01-31").get_data(as_text=True)
    assert set(stage_counts(page).values()) == {0}
    assert re.search(r'data-measure="median-first-response">—<', page)


def test_the_funnel_as_csv(console, timed_handoffs):
    client = console.signed_in(console.add_staff())
    today = chicago_today()
    response = client.get(f"/reports/funnel.csv?from={timed_handoffs}&to={today}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f'filename="funnel-{timed_handoffs}-to-{today}.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["from", "to", "measure", "label", "value"]
    assert all(row[:2] == [str(timed_handoffs), str(today)] for row in rows[1:])
    values = {row[2]: row[4] for row in rows[1:]}
    assert {key: int(values[key]) for key in EXPECTED_STAGES} == EXPECTED_STAGES
    assert {key: int(values[f"likely_eligible_{key}"]) for key in EXPECTED_LIKELY} == EXPECTED_LIKELY
    assert values["median_first_response_business_minutes"] == "60.0"
    assert (values["handoffs_answered"], values["handoffs_unanswered"]) == ("3", "2")


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("?from=last+week", "from must be a date written like 2026-11-30"),
        ("?from=2026-11-02&to=2026-11-01", "the end date is before the start date"),
        ("?from=2020-01-01&to=2026-01-01", "a report covers at most 366 days"),
    ],
)
@pytest.mark.parametrize("path", ["/reports/funnel", "/reports/funnel.csv"])
def test_a_bad_period_is_refused_with_the_reason(console, path, query, problem):
    client = console.signed_in(console.add_staff())
    response = client.get(path + query)
    assert response.status_code == 400
    assert problem in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/reports", "/reports/funnel", "/reports/funnel.csv"])
def test_reports_need_a_login(console, path):
    response = console.client().get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_reports_home_leads_to_the_funnel(console):
    response = console.signed_in(console.add_staff()).get("/reports")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/reports/funnel")
