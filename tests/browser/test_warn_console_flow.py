"""WARN rapid response in a real browser (Playwright driving Debian's chromium) against the
running assistant: an admin finds a notice, creates an outreach campaign with a roster file and
sees the live segment count, starts it; the local Twilio server receives the texts and the
progress on the page updates without a reload; a staff member sees the campaign but has no
button to send it and cannot open the form. Screenshots go to tests/out/screenshots/."""
from __future__ import annotations

import time
import uuid
from datetime import date

from bot.cli.harness import Assistant
from bot.store.warn_store import WarnStore
from bot.warn.notices import WarnNotice
from tests.browser.test_staff_console_flow import (  # noqa: F401 - the fixtures
    LIVE_TIMEOUT_MS,
    add_staff_account,
    browser,
    page,
    screenshot,
    sign_in,
)


def test_an_admin_sends_a_campaign_and_staff_only_watch_it(assistant: Assistant, twilio_api, page, browser, tmp_path) -> None:
    employer = f"Browser Foods {uuid.uuid4().hex[:4]}"
    WarnStore(assistant.store.engine).import_notices([
        WarnNotice(employer=employer, iebs_id=uuid.uuid4().hex[:11], city="Chicago", zip_code="60609", lwia="7",
                   reason="Plant Closure", reported_on=date(2026, 11, 2), expected_layoff=140)
    ])
    # Numbers a roster could hold (libphonenumber checks them: a random exchange may not exist).
    first = uuid.uuid4().int % 9000 + 100
    numbers = [f"+1312555{(first + n) % 10000:04d}" for n in range(3)]
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Nombre,Teléfono,Idioma\n"
        f"Ana López,{numbers[0]},español\nBo Smith,{numbers[1]},\nCy,{numbers[2]},en\nBad,555-12,en\n",
        encoding="utf-8",
    )
    admin = f"admin{uuid.uuid4().hex[:6]}"
    add_staff_account(assistant, admin, "--role", "admin", "--name", "Ada Admin")
    sign_in(page, assistant, admin)

    page.goto(f"{assistant.staff_url}/notices?q={employer.split()[-1]}")
    page.get_by_role("link", name=employer).click()
    page.get_by_text("140 expected").wait_for()
    screenshot(page, "warn_notice")
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Name (for staff)").fill("Browser closure")
    page.get_by_label("First text in English").fill(f"{employer} is closing. We can help you find work.")
    preview = page.locator("#preview-en")
    preview.filter(has_text="segment").wait_for(timeout=LIVE_TIMEOUT_MS)  # the server's live count
    assert "GSM-7" in preview.inner_text() and "STOP" in preview.inner_text()
    page.get_by_label("First text in Spanish").fill(f"{employer} cierra. Le ayudamos a encontrar trabajo.")
    page.set_input_files("input[name=roster]", str(roster))
    screenshot(page, "warn_campaign_form")
    page.get_by_role("button", name="Create (nothing is sent yet)").click()
    page.get_by_text("Campaign created with 3 people").wait_for()
    assert "Roster line 5" in page.content()
    assert twilio_api.messages_to(numbers[0]) == []  # nothing sent before Start

    page.get_by_role("button", name="Start sending").click()
    page.get_by_role("button", name="Pause").wait_for()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(twilio_api.messages_to(number) for number in numbers):
        time.sleep(0.2)
    assert "cierra" in twilio_api.messages_to(numbers[0])[0].body  # in Ana's language
    # The progress table updates without a reload.
    page.evaluate("window.__same_page_marker = 'still here'")
    page.locator('[data-count="sent"]').filter(has_text="3").wait_for(timeout=LIVE_TIMEOUT_MS)
    assert page.evaluate("window.__same_page_marker") == "still here"
    screenshot(page, "warn_campaign_progress")
    campaign_url = page.url

    staff = f"staff{uuid.uuid4().hex[:6]}"
    add_staff_account(assistant, staff, "--role", "staff", "--name", "Sam Staff")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff_page = context.new_page()
    try:
        sign_in(staff_page, assistant, staff)
        staff_page.goto(campaign_url)
        staff_page.get_by_text("Browser closure").first.wait_for()
        assert staff_page.get_by_role("button", name="Pause").count() == 0
        response = staff_page.goto(f"{assistant.staff_url}/notices")
        assert response.status == 200
        staff_page.get_by_role("link", name=employer).click()
        assert staff_page.get_by_role("link", name="New campaign").count() == 0
        denied = staff_page.goto(staff_page.url + "/campaigns/new")
        assert denied.status == 403
    finally:
        context.close()
