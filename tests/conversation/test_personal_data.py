"""Personal data against the running assistant: `python -m bot.cli seeker erase PHONE` keeps only
the opt-out, a stop request in a sentence leaves only a marker in the consent ledger, and
`seeker retention` erases people inactive for RETENTION_DAYS."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from bot.actions.consent import IN_WORDS
from bot.store import IntakeStore, MessageLog, make_engine, migrate
from bot.store.models import Message, Screening, Seeker
from bot.store.timestamps import utc_now
from tests.channels.people import SmsSeeker

ROOT = Path(__file__).resolve().parents[2]


def bot_cli(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *arguments], cwd=ROOT, env={**os.environ, **(env or {})},
        capture_output=True, text=True, timeout=120,
    )


def test_erasing_a_seeker_keeps_only_the_opt_out(assistant, twilio_api):
    person = SmsSeeker(assistant, twilio_api)
    person.text("hi, my name is Rosa and I live in 60623")
    person.text("I want to work in hotels")
    assert assistant.store.latest_screening("twilio", person.number) is not None

    result = bot_cli("seeker", "erase", person.number)
    assert result.returncode == 0, result.stdout + result.stderr
    assert person.number not in result.stdout  # counts only

    assert assistant.messages.transcript("twilio", person.number) == ()
    assert assistant.store.latest_screening("twilio", person.number) is None
    seeker = assistant.store.find_seeker("twilio", person.number)
    assert seeker.consent_status == "opted_out" and seeker.language is None
    assert assistant.store.consent_history("twilio", person.number)[-1].keyword == "ERASE"
    tracker = sqlite3.connect(assistant.log_dir.parent / "tracker.db")
    try:
        assert tracker.execute("SELECT count(*) FROM events WHERE sender_id = ?", (person.number,)).fetchone()[0] == 0
    finally:
        tracker.close()
    assert person.text("hello?") == []  # nothing is sent to them again
    (audited,) = [entry for entry in assistant.staff.audit_entries(subject_type="seeker") if entry.subject_id == str(seeker.id)]
    assert audited.action == "seeker_erased" and audited.details["messages"] >= 4
    assert person.number not in str(audited.details)
    assert bot_cli("seeker", "erase", "+13125550000").returncode == 1  # nobody we know


def test_a_stop_request_in_a_sentence_leaves_a_marker_not_the_sentence_in_the_ledger(assistant, twilio_api):
    person = SmsSeeker(assistant, twilio_api)
    person.text("hi")
    person.text("stop texting me")
    history = assistant.store.consent_history("twilio", person.number)
    assert [event.keyword for event in history if event.event == "opt_out"] == [IN_WORDS]


def test_retention_erases_people_inactive_for_the_retention_period(tmp_path):
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    migrate(url)
    engine = make_engine(url)
    store, log = IntakeStore(engine), MessageLog(engine)
    for address in ("+13125550101", "+13125550102"):
        store.save_answers("twilio", address, {"first_name": "Ana"})
        log.record_inbound("twilio", address, provider_id=f"SM{address}", kind="text", text="hi", status="processed")
    long_ago = utc_now() - timedelta(days=400)
    with engine.begin() as connection:
        old_seeker = select(Seeker.id).where(Seeker.address == "+13125550101").scalar_subquery()
        connection.execute(update(Message).where(Message.seeker_id == old_seeker).values(created_at=long_ago))
        connection.execute(update(Screening).where(Screening.seeker_id == old_seeker).values(updated_at=long_ago))
    env = {"DATABASE_URL": url, "INTAKE_VAR_DIR": str(tmp_path), "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    assert "nothing erased" in bot_cli("seeker", "retention", env=env).stdout
    result = bot_cli("seeker", "retention", env={**env, "RETENTION_DAYS": "365"})
    assert result.returncode == 0 and "Erased the data of 1 people" in result.stdout, result.stdout + result.stderr
    assert log.transcript("twilio", "+13125550101") == () and store.latest_screening("twilio", "+13125550101") is None
    assert log.transcript("twilio", "+13125550102") and store.latest_screening("twilio", "+13125550102") is not None
    # Retention is no opt-out: the person may still be texted if they write again.
    assert store.find_seeker("twilio", "+13125550101").consent_status != "opted_out"
    engine.dispose()
