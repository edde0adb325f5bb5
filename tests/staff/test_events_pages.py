"""The events pages against a real migrated database: the list and its counts, creating and
editing events, the registrant list, check-in, the employer CSV export and broadcasts."""
from __future__ import annotations

import csv
import html
import io
import re
import uuid
from datetime import datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.answers import FIRST_NAME, SECTORS
from bot.hiring_events.model import Event, EventChoice, EventQuestion
from bot.scheduling.quiet_hours import QuietHours
from bot.staff.broadcast import plan_broadcast
from bot.staff.event_form import EventForm
from bot.staff.events import AUDIT_BROADCAST, AUDIT_BROADCAST_REPEAT, AUDIT_CHECKED_IN, AUDIT_EXPORTED
from bot.store.vocabulary import CONSENT_OPTED_OUT, DIRECTION_OUT
from tests.hiring_event_stores import HiringEventStores
from bot.store.event_catalog import EventCatalog
from tests.staff.conftest import new_address, post

CHICAGO = ZoneInfo("America/Chicago")
SHIFT = EventQuestion(
    "shift",
    {"en": "Which shift?", "es": "¿Qué turno?"},
    (EventChoice("morning", {"en": "Morning", "es": "Mañana"}), EventChoice("night", {"en": "Night", "es": "Noche"})),
)


def new_code() -> str:
    return "T" + uuid.uuid4().hex[:8].upper()


def make_event(starts_in: timedelta = timedelta(days=10), capacity: int = 10, **changes: Any) -> Event:
    starts = datetime.now(timezone.utc).replace(microsecond=0) + starts_in
    fields: dict[str, Any] = {
        "code": new_code(),
        "name": {"en": "Warehouse hiring day", "es": "Día de contratación de almacén"},
        "sectors": ("transportation",),
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=4),
        "venue": "Example Hall",
        "address": "100 Example Ave, Chicago, IL",
        "capacity": capacity,
        "questions": (SHIFT,),
    }
    fields.update(changes)
    return Event(**fields)


class People:
    """Seekers made through the real stores: notice shown, a finished screening, a registration."""

    def __init__(self, console) -> None:
        self.console = console
        self.events = HiringEventStores.on(console.engine)

    def event(self, **changes: Any) -> Event:
        event = make_event(**changes)
        self.events.catalog.upsert_event(event, datetime.now(timezone.utc))
        return event

    def seeker(self, first_name: str | None, *, language: str = "en", likely: tuple[str, ...] = ("wioa_adult",),
               sectors: tuple[str, ...] = ("transportation",), channel: str = "twilio") -> str:
        address = new_address() if channel == "twilio" else str(uuid.uuid4().int % 10**9)
        intake = self.console.intake
        intake.record_consent_notice(channel, address, language)
        answers: dict[str, Any] = {SECTORS: list(sectors)}
        if first_name is not None:
            answers[FIRST_NAME] = first_name
        results = {"programs": {program: {"determination": "likely"} for program in likely}}
        intake.complete_screening(channel, address, answers, results, "test")
        return address

    def register(self, event: Event, address: str, channel: str = "twilio", **options: Any):
        outcome = self.events.registrations.register(event.code, channel, address, {"shift": "night"}, datetime.now(timezone.utc), **options)
        assert outcome.kind in ("registered", "waitlisted"), outcome.kind
        return outcome.registration


@pytest.fixture()
def people(console) -> People:
    return People(console)


@pytest.fixture()
def staff(console):
    return console.add_staff()


@pytest.fixture()
def client(console, staff):
    return console.signed_in(staff)


@pytest.fixture()
def admin(console):
    """Exports and broadcasts are for admins."""
    return console.add_admin()


@pytest.fixture()
def admin_client(console, admin):
    return console.signed_in(admin)


def flashes(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', page, re.S)]


def counted(page: str) -> dict[str, int]:
    return {name: int(value) for name, value in re.findall(r'data-count="(\w+)">(\d+)<', page)}


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/events", "/events/new", "/events/ABC/edit", "/events/ABC", "/events/ABC/check-in", "/events/ABC/export",
             "/events/ABC/broadcast"],
)
def test_every_events_page_needs_a_login(console, path):
    response = console.client().get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_posting_without_the_csrf_token_is_refused(console, client, people):
    event = people.event()
    response = client.post(f"/events/{event.code}/check-in", data={"confirmation_code": "ACDEFG"})
    assert response.status_code == 400


def test_an_unknown_event_is_404(client):
    assert client.get("/events/NOSUCH1").status_code == 404


# --- list and counts -------------------------------------------------------------------------


def test_list_shows_upcoming_first_then_past_with_counts(console, client, people):
    upcoming = people.event(capacity=3)
    past = people.event(starts_in=timedelta(days=-3))
    later = people.event(starts_in=timedelta(days=20))
    registered = [people.register(upcoming, people.seeker(f"P{n}")) for n in range(3)]
    people.register(upcoming, people.seeker("W"), join_waitlist=True)
    people.events.registrations.cancel(registered[0].id, datetime.now(timezone.utc))  # the freed seat goes to W as an offer
    people.events.registrations.check_in(registered[1].confirmation_code)

    page = client.get("/events").get_data(as_text=True)
    assert page.index(upcoming.code) < page.index(later.code) < page.index(past.code)
    row = page[page.index(upcoming.code):page.index(later.code)]
    assert counted(row) == {"registered": 2, "waitlisted": 0, "offered": 1, "cancelled": 1, "attended": 1}
    assert counted(page[page.index(later.code):page.index(past.code)]) == dict.fromkeys(counted(row), 0)


# --- one event's page ------------------------------------------------------------------------


def test_event_page_lists_registrants_with_their_screening_summary(console, client, staff, people):
    event = people.event()
    ana = people.seeker("Ana", likely=("wioa_adult", "wioa_dislocated_worker"), sectors=("transportation", "it"))
    nameless = people.seeker(None, likely=())
    people.register(event, ana)
    registration = people.register(event, nameless)

    page = client.get(f"/events/{event.code}").get_data(as_text=True)
    assert "Ana" in page
    assert "WIOA Adult, WIOA Dislocated Worker" in page
    assert "transportation, it" in page
    assert registration.confirmation_code in page
    assert "Which shift? Night" in page
    # Phone numbers masked to their last four digits.
    for address in (ana, nameless):
        assert address not in page
        assert address[-4:] in page
    assert counted(page)["registered"] == 2
    viewed = console.staff.audit_entries(subject_type="event", subject_id=event.code)
    assert [(entry.action, entry.staff_id, entry.details) for entry in viewed] == [("viewed", staff.id, {"registrants": 2})]


def test_what_a_seeker_typed_is_escaped(client, people):
    event = people.event()
    people.register(event, people.seeker("<script>alert(1)</script>"))
    page = client.get(f"/events/{event.code}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- creating and editing --------------------------------------------------------------------


def form_fields(**changes: str) -> dict[str, Any]:
    fields = {
        "code": new_code(),
        "name_en": "Hospital hiring fair",
        "name_es": "Feria de empleo del hospital",
        "sectors": ["healthcare"],
        "starts_at": "2031-03-04T10:00",
        "ends_at": "2031-03-04T14:00",
        "venue": "Main Hospital",
        "address": "1 Health Way, Chicago",
        "capacity": "40",
        "questions": "",
    }
    fields.update(changes)
    return fields


def test_creating_an_event(console, client, staff):
    fields = form_fields(questions='- key: shift\n  prompt: {en: "Which shift?", es: "¿Qué turno?"}\n')
    response = post(client, "/events/new", **fields)
    assert response.status_code == 302
    stored = EventCatalog(console.engine).get_event(fields["code"])
    assert stored is not None
    assert stored.event.capacity == 40
    assert stored.event.sectors == ("healthcare",)
    # Typed as Chicago wall-clock time (UTC-6 in March before the switch).
    assert stored.event.starts_at == datetime(2031, 3, 4, 16, 0, tzinfo=timezone.utc)
    assert [question.key for question in stored.event.questions] == ["shift"]
    entries = console.staff.audit_entries(subject_type="event", subject_id=fields["code"])
    assert [(entry.action, entry.staff_id) for entry in entries] == [("event_created", staff.id)]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"capacity": "lots"}, "capacity must be a positive whole number"),
        ({"capacity": "0"}, "capacity must be a positive whole number"),
        ({"name_en": "", "name_es": ""}, "missing field name"),
        ({"name_es": ""}, "name is missing in es"),
        ({"sectors": []}, "sectors is missing"),
        ({"starts_at": "next tuesday"}, "bad time in starts_at"),
        ({"ends_at": "2031-03-04T09:00"}, "ends_at must be after starts_at"),
        ({"code": "STOP"}, "texting keyword"),
        ({"code": "1ABC"}, "code must be 2-12 letters or digits"),
        ({"questions": "- key: [unclosed"}, "questions are not valid YAML"),
        ({"questions": "- prompt: {en: Which shift?, es: b}"}, "questions are not valid YAML (line 1, expected ',' or '}', but got '?')"),
        ({"questions": "- key: Bad Key\n  prompt: {en: a, es: b}"}, "question key 'Bad Key'"),
    ],
)
def test_an_invalid_event_shows_the_problems_and_keeps_what_was_typed(console, client, changes, problem):
    fields = form_fields(**changes)
    response = post(client, "/events/new", **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert problem in page.replace("&#39;", "'")
    assert 'value="Main Hospital"' in page and 'value="1 Health Way, Chicago"' in page
    if fields["sectors"]:
        assert 'value="healthcare" checked' in page
    assert not EventCatalog(console.engine).get_event(fields["code"]) if fields["code"][0].isalpha() else True


def test_the_example_questions_on_the_form_are_valid(console, client):
    page = client.get("/events/new").get_data(as_text=True)
    example = html.unescape(re.search(r'<pre class="example">(.*?)</pre>', page, re.S).group(1))
    fields = form_fields(questions=example)
    assert post(client, "/events/new", **fields).status_code == 302
    questions = EventCatalog(console.engine).get_event(fields["code"]).event.questions
    assert [(question.key, [choice.value for choice in question.choices]) for question in questions] == [
        ("shift", ["morning", "night"])
    ]


def test_a_code_already_used_is_refused(client, people):
    existing = people.event()
    response = post(client, "/events/new", **form_fields(code=existing.code.lower()))
    assert response.status_code == 422
    assert f"code {existing.code} already exists" in response.get_data(as_text=True)


def test_editing_changes_the_capacity(console, client, staff, people):
    event = people.event(capacity=10)
    form_page = client.get(f"/events/{event.code}/edit").get_data(as_text=True)
    assert 'name="capacity" min="1" value="10"' in form_page
    fields = EventForm.from_event(event).values
    response = post(client, f"/events/{event.code}/edit", **{**fields, "capacity": "25", "sectors": list(event.sectors)})
    assert response.status_code == 302
    assert EventCatalog(console.engine).get_event(event.code).event.capacity == 25
    entries = console.staff.audit_entries(subject_type="event", subject_id=event.code)
    assert [(entry.action, entry.details) for entry in entries] == [("event_updated", {"fields": ["capacity"]})]


def test_lowering_capacity_below_the_seats_held_warns(client, people):
    event = people.event(capacity=5)
    for n in range(3):
        people.register(event, people.seeker(f"P{n}"))
    fields = {**EventForm.from_event(event).values, "capacity": "2", "sectors": list(event.sectors)}
    page = client.get(post(client, f"/events/{event.code}/edit", **fields).headers["Location"]).get_data(as_text=True)
    assert any("3 people already hold a seat, more than the new capacity of 2" in text for text in flashes(page))


def test_an_edit_that_changes_nothing_says_so(console, client, people):
    event = people.event()
    fields = {**EventForm.from_event(event).values, "sectors": list(event.sectors)}
    page = client.get(post(client, f"/events/{event.code}/edit", **fields).headers["Location"]).get_data(as_text=True)
    assert "Nothing was changed." in flashes(page)
    assert not [entry for entry in console.staff.audit_entries(subject_type="event") if entry.action == "event_updated"]


def test_the_edit_form_round_trips_every_field():
    event = make_event(
        registration_opens_at=datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1),
        eligibility={"en": "18+", "es": "18+"},
        bring={"en": "ID", "es": "Identificación"},
        min_age=18,
    )
    assert EventForm.from_event(event).to_event() == event


# --- check-in --------------------------------------------------------------------------------


@pytest.fixture()
def door(people):
    """An event with one registered, one already checked in and one waitlisted person."""
    event = people.event(capacity=2)
    ana = people.register(event, people.seeker("Ana"))
    ben = people.register(event, people.seeker("Ben"))
    people.events.registrations.check_in(ben.confirmation_code)
    wendy = people.register(event, people.seeker("Wendy"), join_waitlist=True)
    other = people.event()
    olga = people.register(other, people.seeker("Olga"))
    return event, {"ana": ana, "ben": ben, "wendy": wendy, "olga": olga}


@pytest.mark.parametrize(
    ("who", "typed", "message"),
    [
        ("ana", None, "Ana ({code}) is checked in."),
        ("ana", "lower", "Ana ({code}) is checked in."),
        ("ben", None, "Ben ({code}) was already checked in."),
        ("wendy", None, "Wendy ({code}) is waitlisted, not registered: they cannot be checked in."),
        ("olga", None, "The code {code} is for another event"),
        (None, "QQQQQQ", "No registration has the code QQQQQQ."),
        (None, "", "No registration has the code (none)."),
    ],
)
def test_check_in_by_confirmation_code(console, client, staff, people, door, who, typed, message):
    event, registrations = door
    code = registrations[who].confirmation_code if who else typed
    sent = code.lower() if typed == "lower" else code
    response = post(client, f"/events/{event.code}/check-in", confirmation_code=sent)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert any(text.startswith(message.format(code=code)) for text in flashes(page)), flashes(page)
    checked_in = [entry for entry in console.staff.audit_entries(subject_type="event") if entry.action == AUDIT_CHECKED_IN]
    if message.endswith("is checked in."):
        assert people.events.registrations.get_registration(registrations[who].id).registration.attended
        assert [(entry.staff_id, entry.details) for entry in checked_in] == [(staff.id, {"registration_id": registrations[who].id})]
    else:
        assert checked_in == []
    assert people.events.registrations.counts(event.code)["attended"] == (2 if message.endswith("is checked in.") else 1)


def test_check_in_by_name_search(client, people, door):
    event, registrations = door
    page = client.get(f"/events/{event.code}/check-in?q=an").get_data(as_text=True)
    assert "Check in Ana" in page and "Wendy" not in page and "Ben" not in page
    response = post(client, f"/events/{event.code}/check-in", confirmation_code=registrations["ana"].confirmation_code, q="an")
    assert response.headers["Location"].endswith(f"/events/{event.code}/check-in?q=an")
    assert people.events.registrations.get_registration(registrations["ana"].id).registration.attended
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check in Ana" not in page  # checked in now: no button


def test_check_in_search_by_last_four_digits(client, people):
    event = people.event()
    address = people.seeker("Zoe")
    people.register(event, address)
    page = client.get(f"/events/{event.code}/check-in?q={address[-4:]}").get_data(as_text=True)
    assert "Check in Zoe" in page
    assert address not in page
    missing = client.get(f"/events/{event.code}/check-in?q=Nobody").get_data(as_text=True)
    assert "Nobody registered for this event matches." in missing


# --- export ----------------------------------------------------------------------------------


@pytest.fixture()
def exported_event(people):
    event = people.event(capacity=1)
    people.register(event, people.seeker("Ana", sectors=("transportation", "it")))
    people.register(event, people.seeker("Wendy"), join_waitlist=True)
    return event


def test_export_form_ticks_only_the_first_name(admin_client, exported_event):
    page = admin_client.get(f"/events/{exported_event.code}/export").get_data(as_text=True)
    ticked = re.findall(r'name="fields" value="([^"]+)" checked', page)
    offered = re.findall(r'name="fields" value="([^"]+)"', page)
    assert ticked == ["first_name"]
    assert offered == ["first_name", "phone", "email", "sectors", "status", "checked_in", "answer:shift"]


@pytest.mark.parametrize(
    ("fields", "audience", "rows"),
    [
        (["first_name"], "registered", [["first_name"], ["Ana"]]),
        (["status", "first_name"], "registered_and_waitlist", [["first_name", "status"], ["Ana", "registered"], ["Wendy", "waitlisted"]]),
        (["sectors", "checked_in", "answer:shift"], "registered", [["sectors", "checked_in", "shift"], ["transportation; it", "no", "Night"]]),
        (["first_name", "address", "confirmation_code"], "registered", [["first_name"], ["Ana"]]),
    ],
)
def test_export_has_exactly_the_ticked_columns(console, admin_client, admin, exported_event, fields, audience, rows):
    response = post(admin_client, f"/events/{exported_event.code}/export", fields=fields, audience=audience)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    assert list(csv.reader(io.StringIO(text))) == rows
    entries = [entry for entry in console.staff.audit_entries(subject_type="event") if entry.action == AUDIT_EXPORTED]
    assert [(entry.staff_id, entry.details) for entry in entries] == [
        (admin.id, {"fields": rows[0] if "shift" not in rows[0] else ["sectors", "checked_in", "answer:shift"],
                    "audience": audience, "rows": len(rows) - 1})
    ]
    assert "Ana" not in str(entries[0].details)


def test_export_with_the_phone_number(admin_client, people):
    event = people.event()
    address = people.seeker("Ana")
    people.register(event, address)
    response = post(admin_client, f"/events/{event.code}/export", fields=["first_name", "phone"], audience="registered")
    assert list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))) == [["first_name", "phone"], ["Ana", address]]


def test_export_without_a_field_is_refused(admin_client, exported_event):
    response = post(admin_client, f"/events/{exported_event.code}/export", audience="registered")
    assert response.status_code == 302
    assert "Tick at least one field" in " ".join(flashes(admin_client.get(response.headers["Location"]).get_data(as_text=True)))


# --- broadcast -------------------------------------------------------------------------------


def sent_to(console, address: str) -> list[str]:
    return [message.text for message in console.messages.transcript("twilio", address) if message.direction == DIRECTION_OUT]


@pytest.fixture()
def audience(people):
    event = people.event(capacity=3)
    addresses = {
        "ana": people.seeker("Ana"),
        "lucia": people.seeker("Lucía", language="es"),
        "otto": people.seeker("Otto"),
        "wendy": people.seeker("Wendy"),
    }
    for name in ("ana", "lucia", "otto"):
        people.register(event, addresses[name])
    people.register(event, addresses["wendy"], join_waitlist=True)
    people.console.intake.record_opt_out("twilio", addresses["otto"], "STOP")
    return event, addresses


def broadcast_token(admin_client, code: str) -> str:
    page = admin_client.get(f"/events/{code}/broadcast").get_data(as_text=True)
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize(
    ("chosen", "reached", "queued"),
    [
        ("registered", {"ana", "lucia"}, 2),
        ("registered_and_waitlist", {"ana", "lucia", "wendy"}, 3),
    ],
)
def test_broadcast_skips_people_who_opted_out(console, admin_client, admin, audience, chosen, reached, queued):
    event, addresses = audience
    form = admin_client.get(f"/events/{event.code}/broadcast").get_data(as_text=True)
    assert "(1 opted out, skipped)" in form
    response = post(admin_client, f"/events/{event.code}/broadcast", audience=chosen, text_en="Doors open at 9.",
                    text_es="Las puertas abren a las 9.", form_token=broadcast_token(admin_client, event.code))
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Queued {queued} texts; 1 skipped because they opted out." in flashes(page)
    expected = {"ana": ["Doors open at 9."], "lucia": ["Las puertas abren a las 9."], "wendy": ["Doors open at 9."], "otto": []}
    for name, address in addresses.items():
        assert sent_to(console, address) == (expected[name] if name in reached or name == "otto" else [])
    entries = [entry for entry in console.staff.audit_entries(subject_type="event") if entry.action == AUDIT_BROADCAST]
    assert len(entries) == 1 and entries[0].staff_id == admin.id
    assert {key: entries[0].details[key] for key in ("audience", "recipients", "skipped_opted_out")} == {
        "audience": chosen, "recipients": queued, "skipped_opted_out": 1,
    }
    assert "Doors" not in str(entries[0].details)


def test_a_broadcast_in_one_language_goes_to_everyone(console, admin_client, audience):
    event, addresses = audience
    post(admin_client, f"/events/{event.code}/broadcast", audience="registered", text_en="", text_es="Hola a todos.",
         form_token=broadcast_token(admin_client, event.code))
    assert sent_to(console, addresses["ana"]) == ["Hola a todos."]
    assert sent_to(console, addresses["lucia"]) == ["Hola a todos."]


def test_a_form_sent_twice_broadcasts_once(console, admin_client, audience):
    event, addresses = audience
    token = broadcast_token(admin_client, event.code)
    for _ in range(2):
        response = post(admin_client, f"/events/{event.code}/broadcast", audience="registered", text_en="Reminder", form_token=token)
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert any("already sent" in text for text in flashes(page))
    assert sent_to(console, addresses["ana"]) == ["Reminder"]
    actions = [entry.action for entry in reversed(console.staff.audit_entries(subject_type="event")) if "broadcast" in entry.action]
    assert actions == [AUDIT_BROADCAST, AUDIT_BROADCAST, AUDIT_BROADCAST_REPEAT]
    # A new form (a new token) sends again: only the repeat of one form is held back.
    post(admin_client, f"/events/{event.code}/broadcast", audience="registered", text_en="Second", form_token=broadcast_token(admin_client, event.code))
    assert sent_to(console, addresses["ana"]) == ["Reminder", "Second"]


@pytest.mark.parametrize(
    ("text_en", "text_es", "problem"),
    [
        ("", "  ", "Write the text to send"),
        ("x" * 1601, "", "The English text is longer than 1600 characters"),
        ("ok", "y" * 1601, "The Spanish text is longer than 1600 characters"),
    ],
)
def test_a_broadcast_without_a_sendable_text_is_refused(console, admin_client, audience, text_en, text_es, problem):
    event, addresses = audience
    response = post(admin_client, f"/events/{event.code}/broadcast", audience="registered", text_en=text_en, text_es=text_es,
                    form_token=broadcast_token(admin_client, event.code))
    assert response.status_code == 409
    assert problem in response.get_data(as_text=True)
    assert all(sent_to(console, address) == [] for address in addresses.values())


def stand_at(console, local_time: time) -> None:
    """Moves the console's clock to the next `local_time` in Chicago."""
    now = datetime.now(timezone.utc)
    target = datetime.combine(now.astimezone(CHICAGO).date() + timedelta(days=1), local_time, tzinfo=CHICAGO)
    console.clock.offset = target - now


@pytest.mark.parametrize(("local_time", "refused"), [(time(23, 30), True), (time(6, 0), True), (time(12, 0), False)])
def test_broadcasts_respect_quiet_hours(console_factory, local_time, refused):
    console = console_factory(quiet_hours=QuietHours(time(21, 0), time(8, 0)))
    people = People(console)
    event = people.event()
    address = people.seeker("Ana")
    people.register(event, address)
    stand_at(console, local_time)
    client = console.signed_in(console.add_admin())
    form = client.get(f"/events/{event.code}/broadcast").get_data(as_text=True)
    assert ("It is quiet hours" in form) == refused
    response = post(client, f"/events/{event.code}/broadcast", audience="registered", text_en="Hello",
                    form_token=broadcast_token(client, event.code))
    if refused:
        assert response.status_code == 409
        # The next 8:00 am on the office clock: named with its day when it is not today.
        assert re.search(r"Texts to registrants can be sent from (\w{3} \w{3} \d+, )?8:00 am\.", response.get_data(as_text=True))
        assert sent_to(console, address) == []
    else:
        assert response.status_code == 302
        assert sent_to(console, address) == ["Hello"]


def test_plan_broadcast_picks_each_persons_language():
    from tests.reports.test_registrants import registrant

    people = [
        registrant(1, language="es"),
        registrant(2, language=None),
        registrant(3, language="en", consent_status=CONSENT_OPTED_OUT),
    ]
    plan = plan_broadcast(people, " Hi ", "Hola")
    assert [(message.registrant.registration_id, message.language, message.text) for message in plan.messages] == [
        (1, "es", "Hola"),
        (2, "en", "Hi"),
    ]
    assert plan.opted_out == 1


def test_people_who_opted_out_are_left_out_of_exports(admin_client, audience):
    event, addresses = audience  # Otto is registered and opted out
    response = post(admin_client, f"/events/{event.code}/export", fields=["first_name", "phone"], audience="registered_and_waitlist")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(row[0] for row in rows[1:]) == ["Ana", "Lucía", "Wendy"]
    assert addresses["otto"] not in response.get_data(as_text=True)
