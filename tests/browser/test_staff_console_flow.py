"""The staff console in a real browser (Playwright driving Debian's chromium) against the running
assistant: a seeker texts in through the signed Twilio webhook and asks for a person; a staff
member signs in, finds the handoff in the queue, claims it and replies; the reply reaches the
local Twilio server; the seeker's answer appears on the page without a reload; closing hands the
conversation back to the bot, which answers the next text. Then a registrant is checked in at an
event. Screenshots of the queue, conversation, event and report pages go to tests/out/screenshots/.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from typing import Iterator

import pytest

from bot.cli.harness import Assistant
from bot.cli.settings import REPO_ROOT
from bot.store.timestamps import utc_now
from tests.channels.people import SmsSeeker

playwright_api = pytest.importorskip("playwright.sync_api")

CHICAGO = ZoneInfo("America/Chicago")
SCREENSHOTS = REPO_ROOT / "tests" / "out" / "screenshots"
STAFF_PASSWORD = "queue-worker-password-2026"
# Long enough for a poll (every 2 s) plus the sender's poll (every second) on a busy machine.
LIVE_TIMEOUT_MS = 20_000


def chromium_path() -> str:
    found = shutil.which("chromium")
    if found is None:
        # scripts/browser.sh (run by `make test`) installs it; a run without it must not pass quietly.
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: run scripts/browser.sh")
        pytest.skip("Debian's chromium is not installed (scripts/browser.sh installs it)")
    return found


def add_staff_account(assistant: Assistant, username: str, *extra: str) -> None:
    """Through the real CLI, as an admin would."""
    database_url = os.environ["DATABASE_URL"]  # set for the running assistant by the harness
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "staff", "add", username, "--languages", "en,es", *extra],
        cwd=REPO_ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "STAFF_PASSWORD": STAFF_PASSWORD},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page, assistant: Assistant, username: str) -> None:
    page.goto(f"{assistant.staff_url}/")
    assert "/login" in page.url  # nothing without signing in
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{assistant.staff_url}/**")
    assert "/login" not in page.url


def wait_for_texts_to(twilio_api, number: str, count: int, timeout: float = 20.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        bodies = [message.body for message in twilio_api.messages_to(number)]
        if len(bodies) >= count:
            return bodies
        time.sleep(0.1)
    raise AssertionError(f"expected {count} texts to the seeker, got {bodies}")


def test_a_seeker_asks_for_a_person_and_staff_work_the_handoff_in_a_browser(
    assistant: Assistant, twilio_api, page
) -> None:
    seeker = SmsSeeker(assistant, twilio_api)
    replies = seeker.text("quiero hablar con una persona por favor")
    assert any("personal" in reply.lower() or "equipo" in reply.lower() for reply in replies), replies
    handoff = assistant.handoffs.open_for("twilio", seeker.number)
    assert handoff is not None and handoff.language == "es"

    username = f"maria{handoff.id}"
    add_staff_account(assistant, username, "--role", "staff", "--name", "Maria Browser")
    sign_in(page, assistant, username)

    # The queue lists it (masked number: last four digits only).
    page.goto(f"{assistant.staff_url}/?view=unassigned")
    link = page.get_by_role("link", name=f"#{handoff.id} ")
    link.wait_for()
    assert seeker.number not in page.content()
    assert seeker.number[-4:] in link.inner_text()
    screenshot(page, "queue")

    link.click()
    page.wait_for_url(f"**/handoffs/{handoff.id}")
    page.get_by_role("button", name="Claim").click()
    page.get_by_role("button", name="Close: back to the assistant").wait_for()
    assert assistant.handoffs.get(handoff.id).assignee_id is not None

    texts_before = len(twilio_api.messages_to(seeker.number))
    reply_text = "Hola, soy Maria del equipo. ¿En qué le puedo ayudar?"
    page.locator("#reply-text").fill(reply_text)
    page.get_by_role("button", name="Send").click()
    bodies = wait_for_texts_to(twilio_api, seeker.number, texts_before + 1)
    assert "Maria del equipo" in bodies[-1]
    assert assistant.handoffs.get(handoff.id).first_response_at is not None

    # The seeker answers; while paused the bot says nothing, and the page shows it without a reload.
    page.evaluate("window.__same_page_marker = 'still here'")
    answer = "Necesito ayuda con mi <b>curriculum</b>"
    status, _ = seeker.post(answer)
    assert status == 200
    page.locator("#transcript").get_by_text(answer, exact=False).wait_for(timeout=LIVE_TIMEOUT_MS)
    assert page.evaluate("window.__same_page_marker") == "still here"
    assert page.locator("#transcript b").count() == 0  # shown as text, not markup
    time.sleep(1.5)
    assert len(twilio_api.messages_to(seeker.number)) == texts_before + 1  # the bot stayed quiet
    screenshot(page, "conversation")

    page.get_by_role("button", name="Close: back to the assistant").click()
    page.wait_for_load_state()
    assert assistant.handoffs.open_for("twilio", seeker.number) is None
    bodies = wait_for_texts_to(twilio_api, seeker.number, texts_before + 2)
    assert "asistente" in bodies[-1].lower()

    # Back with the bot: the next text gets a bot answer.
    after_close = seeker.text("hola")
    assert after_close, "the bot answered nothing after the handoff was closed"


def test_staff_create_an_event_a_seeker_registers_by_text_and_is_checked_in(
    assistant: Assistant, twilio_api, page
) -> None:
    code = f"BRW{uuid.uuid4().int % 10**6:06d}"
    username = f"events{code.lower()}"
    add_staff_account(assistant, username, "--role", "staff")
    sign_in(page, assistant, username)

    # Staff create the event in the console.
    starts = datetime.now(CHICAGO).replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=9)
    page.goto(f"{assistant.staff_url}/events/new")
    page.locator("input[name=code]").fill(code)
    page.get_by_label("Name in English").fill("Warehouse Hiring Day")
    page.get_by_label("Name in Spanish").fill("Día de contratación de almacenes")
    page.locator("input[name=sectors][value=transportation]").check()
    page.get_by_label("Starts", exact=True).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends", exact=True).fill((starts + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Venue", exact=True).fill("South Side Job Center")
    page.get_by_label("Address", exact=True).fill("100 Example Ave, Chicago, IL 60609")
    page.get_by_label("Capacity", exact=True).fill("25")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    created = assistant.catalog.get_event(code)
    assert created is not None and created.event.capacity == 25

    # A seeker registers by texting the code, as from a flyer.
    seeker = SmsSeeker(assistant, twilio_api)
    seeker.text(code)
    seeker.text("Rosa")
    confirmation = seeker.text("1")
    (registration,) = [
        found.registration
        for found in assistant.registrations.registrations_of("twilio", seeker.number, utc_now())
        if found.event.code == code
    ]
    assert registration.status == "registered"
    assert registration.confirmation_code in " ".join(confirmation)

    page.goto(f"{assistant.staff_url}/events/{code}")
    page.get_by_text("Rosa").first.wait_for()
    screenshot(page, "event")

    # At the door: the code as the seeker reads it out, in lower case.
    page.goto(f"{assistant.staff_url}/events/{code}/check-in")
    page.get_by_label("Confirmation code").fill(registration.confirmation_code.lower())
    page.get_by_role("button", name="Check in").click()
    page.wait_for_load_state()
    assert assistant.registrations.find_by_code(registration.confirmation_code).registration.attended
    assert "Rosa" in page.content()

    page.goto(f"{assistant.staff_url}/reports/funnel")
    page.locator("svg").first.wait_for()
    screenshot(page, "report")
    for name in ("event", "report"):
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 5_000, name
