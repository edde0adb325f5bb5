"""Outreach campaigns in the console: admins create one from a notice with a roster upload (bad
rows reported, opted-out people kept and never texted), start, pause and resume it; staff see
progress but cannot send; every upload and change of sending is audited; the live segment count
and progress answer JSON."""
from __future__ import annotations

import io
import uuid
from datetime import date, datetime, timezone

import pytest

from bot.store.campaign_store import CampaignStore
from bot.store.warn_store import WarnStore
from bot.warn.notices import WarnNotice
from tests.hiring_event_stores import HiringEventStores
from bot.store.event_catalog import EventCatalog
from tests.events.upcoming import upcoming_event
from tests.staff.conftest import post


@pytest.fixture
def notice_id(console) -> int:
    store = WarnStore(console.engine)
    store.import_notices([WarnNotice(employer="Acme Foods", iebs_id="77", lwia="7", reported_on=date(2026, 11, 2))])
    return store.list_notices()[0].id


def _roster(*lines: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(("name,phone,language\n" + "\n".join(lines) + "\n").encode()), "roster.csv"


def _create(client, notice_id: int, roster, **fields):
    with client.session_transaction() as session:
        token = session.get("csrf_token")
    data = {"csrf_token": token, "name": "Acme closure", "message_en": "Acme is closing. We can help you find work.",
            "message_es": "Acme cierra. Le ayudamos a encontrar trabajo.", "roster": roster, **fields}
    return client.post(f"/notices/{notice_id}/campaigns/new", data=data, content_type="multipart/form-data")


def _numbers(count: int) -> list[str]:
    return [f"312555{n:04d}" for n in range(count)]


def test_an_admin_creates_a_campaign_with_a_roster_and_sends_it(console, notice_id):
    admin = console.add_admin()
    client = console.signed_in(admin)
    assert client.get(f"/notices/{notice_id}/campaigns/new").status_code == 200
    console.intake.record_opt_out("twilio", "+13125550001", "STOP")  # opted out before the campaign
    lines = [f"Worker {n},{number},{'es' if n % 2 else 'en'}" for n, number in enumerate(_numbers(3))]
    response = _create(client, notice_id, _roster(*lines, "Bad,555-12,en", "Twin,(312) 555-0000,en"))
    assert response.status_code == 302
    campaign_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert "3 people (1 opted out before" in page and "1 repeated numbers merged" in page and "Roster line 5" in page

    assert post(client, f"/campaigns/{campaign_id}/sending", action="start").status_code == 302
    store = CampaignStore(console.engine)
    assert store.get(campaign_id).status == "sending"
    assert store.queue_next(campaign_id, 10) == 2  # the opted-out worker is skipped
    progress = client.get(f"/campaigns/{campaign_id}/progress").get_json()
    assert progress["status"] == "done" and progress["progress"]["queued"] == 2 and progress["progress"]["suppressed"] == 1

    actions = [e.action for e in console.staff.audit_entries(subject_type="campaign", subject_id=campaign_id)]
    assert {"campaign_created", "campaign_roster_uploaded", "campaign_started", "viewed"} <= set(actions)
    uploaded = [e for e in console.staff.audit_entries(subject_type="campaign", subject_id=campaign_id) if e.action == "campaign_roster_uploaded"]
    assert uploaded[0].details == {"added": 3, "opted_out": 1, "merged": 1, "bad_rows": 1}
    assert "312" not in str([e.details for e in console.staff.audit_entries(subject_type="campaign")])  # no numbers in the log


def test_pause_and_resume(console, notice_id):
    client = console.signed_in(console.add_admin())
    campaign_id = int(_create(client, notice_id, _roster("A,3125550101,en", "B,3125550102,en")).headers["Location"].rsplit("/", 1)[1])
    assert post(client, f"/campaigns/{campaign_id}/sending", action="pause").status_code == 302  # refused: a draft
    assert CampaignStore(console.engine).get(campaign_id).status == "draft"
    post(client, f"/campaigns/{campaign_id}/sending", action="start")
    post(client, f"/campaigns/{campaign_id}/sending", action="pause")
    assert CampaignStore(console.engine).get(campaign_id).status == "paused"
    post(client, f"/campaigns/{campaign_id}/sending", action="resume")
    assert CampaignStore(console.engine).get(campaign_id).status == "sending"
    assert post(client, f"/campaigns/{campaign_id}/sending", action="explode").status_code == 400


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"message_en": ""}, "The English message is empty."),
        ({"message_es": "Responda CANCEL para salir"}, "must not ask people to reply CANCEL"),
        ({"name": ""}, "The campaign needs a name."),
    ],
)
def test_a_bad_campaign_form_says_why_and_creates_nothing(console, notice_id, fields, problem):
    client = console.signed_in(console.add_admin())
    response = _create(client, notice_id, _roster("A,3125550101,en"), **fields)
    assert response.status_code == 400 and problem in response.get_data(as_text=True)
    assert CampaignStore(console.engine).for_notice(notice_id) == []


def test_a_roster_with_nobody_textable_is_refused_with_its_lines(console, notice_id):
    client = console.signed_in(console.add_admin())
    response = _create(client, notice_id, _roster("A,555,en", "B,,en"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "holds nobody who can be texted" in page and "Line 3: no phone number" in page


def test_a_roster_of_thousands_fits_the_upload_limit(console, notice_id):
    client = console.signed_in(console.add_admin())
    lines = [f"Worker Number {n},(312) 555-{n % 10000:04d},english" for n in range(3200)]
    response = _create(client, notice_id, _roster(*lines))
    assert response.status_code == 302
    campaign_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert CampaignStore(console.engine).progress(campaign_id).roster == 3200


def test_staff_see_campaigns_but_only_admins_create_or_send(console, notice_id):
    admin_client = console.signed_in(console.add_admin())
    campaign_id = int(_create(admin_client, notice_id, _roster("A,3125550101,en")).headers["Location"].rsplit("/", 1)[1])
    staff_client = console.signed_in(console.add_staff())
    assert staff_client.get(f"/campaigns/{campaign_id}").status_code == 200
    assert staff_client.get(f"/notices/{notice_id}/campaigns/new").status_code == 403
    assert post(staff_client, f"/campaigns/{campaign_id}/sending", action="start").status_code == 403
    assert CampaignStore(console.engine).get(campaign_id).status == "draft"


def test_the_live_segment_count_is_the_servers(console):
    client = console.signed_in(console.add_staff())
    answer = client.get("/campaigns/preview?language=es&message=Acme+cierra.+Capacitaci%C3%B3n+gratis.").get_json()
    assert answer["encoding"] == "GSM-7" and answer["segments"] == 1 + (len(answer["text"]) > 160)
    assert "Capacitacion gratis" in answer["text"] and "STOP" in answer["text"]
    assert client.get("/campaigns/preview?language=fr&message=x").status_code == 400


def test_sessions_offered_are_upcoming_events_only(console, notice_id):
    upcoming_event(EventCatalog(console.engine), "Rapid response", "Respuesta rápida", ("it",), days_ahead=5, code="RRACME")
    client = console.signed_in(console.add_admin())
    assert "RRACME" in client.get(f"/notices/{notice_id}/campaigns/new").get_data(as_text=True)
    response = _create(client, notice_id, _roster("A,3125550101,en"), events=["RRACME", f"X{uuid.uuid4().hex[:4]}"])
    campaign_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert CampaignStore(console.engine).get(campaign_id).event_codes == ("RRACME",)


def test_the_campaign_report_follows_each_worker_after_their_text(console, notice_id):
    events = HiringEventStores.on(console.engine)
    upcoming_event(events.catalog, "Rapid response", "Respuesta rápida", ("it",), days_ahead=5, code="RRSESS")
    client = console.signed_in(console.add_admin())
    lines = [f"W{n},{number},en" for n, number in enumerate(_numbers(4))]
    campaign_id = int(_create(client, notice_id, _roster(*lines), events=["RRSESS"]).headers["Location"].rsplit("/", 1)[1])
    post(client, f"/campaigns/{campaign_id}/sending", action="start")
    assert CampaignStore(console.engine).queue_next(campaign_id, 10) == 4
    replier, screened, registered, quitter = (f"+1{number}" for number in _numbers(4))
    for phone in (replier, screened, registered):
        console.messages.record_inbound("twilio", phone, provider_id=f"SM{uuid.uuid4().hex}", kind="text", text="hi", status="processed")
    console.intake.save_answers("twilio", screened, {"first_name": "S"})
    console.intake.complete_screening(
        "twilio", screened, {"first_name": "S"}, {"programs": {"wioa_dislocated_worker": {"determination": "likely"}}}, "test"
    )
    assert events.registrations.register("RRSESS", "twilio", registered, None, datetime.now(timezone.utc)).kind == "registered"
    console.intake.record_opt_out("twilio", quitter, "STOP")

    page = client.get(f"/campaigns/{campaign_id}/report").get_data(as_text=True)
    assert "<svg" in page
    counts = dict(
        row.split(",")[2:5:2] for row in client.get(f"/campaigns/{campaign_id}/report.csv").get_data(as_text=True).splitlines()[1:]
    )
    assert counts == {
        "roster": "4", "texted": "4", "delivered": "0", "replied": "3", "opted_out": "1", "screened": "1",
        "likely_dislocated_worker": "1", "registered": "1", "attended": "0", "handed_off": "0",
    }


def test_the_funnel_report_narrows_to_a_campaigns_workers(console, notice_id):
    client = console.signed_in(console.add_admin())
    campaign_id = int(_create(client, notice_id, _roster("A,3125550301,en", "B,3125550302,es")).headers["Location"].rsplit("/", 1)[1])
    console.intake.record_consent_notice("twilio", "+13125559999", "en")  # someone not on the roster
    everyone = client.get("/reports/funnel.csv").get_data(as_text=True)
    workers = client.get(f"/reports/funnel.csv?campaign={campaign_id}").get_data(as_text=True)

    def started(csv_body: str) -> int:
        return int(next(line for line in csv_body.splitlines() if ",started," in line).rsplit(",", 1)[1])

    assert started(everyone) == 3 and started(workers) == 2
    assert client.get("/reports/funnel?campaign=99999").status_code == 404
