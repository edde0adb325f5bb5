"""A seeker's personal data from the command line:

    python -m bot.cli seeker erase PHONE [--channel twilio|telegram]   # on request; keeps the opt-out
    python -m bot.cli seeker retention                                 # erases everyone inactive for RETENTION_DAYS

`retention` does nothing while RETENTION_DAYS is unset; with it set, the scheduler already runs
the same sweep once a day (bot/channels/scheduler.py), so this is for doing it now.
Erasing while the assistant runs is safe for the database; the Rasa server's in-memory cache of a
conversation (embedded profile) lasts until its next restart. What is erased and what is kept:
bot/store/erasure.py. Exit status 0 on success, 1 when there is nothing to erase or the request is
malformed.
"""
from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine

from bot.channels.phones import to_e164
from bot.cli.settings import load_settings
from bot.bootstrap import build_stores
from bot.store.engine import make_engine
from bot.store.erasure import SeekerEraser, describe
from bot.store.timestamps import utc_now

RETENTION_SETTING = "RETENTION_DAYS"
AUDIT_ERASED = "seeker_erased"
AUDIT_RETENTION = "retention_applied"


def main(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(prog="python -m bot.cli seeker")
    commands = parser.add_subparsers(dest="action", required=True)
    erase = commands.add_parser("erase", help="erase one person's data, keeping only their opt-out")
    erase.add_argument("address", help="phone number (SMS) or chat id (Telegram)")
    erase.add_argument("--channel", choices=("twilio", "telegram"), default="twilio")
    commands.add_parser("retention", help=f"erase everyone inactive for {RETENTION_SETTING} days")
    arguments = parser.parse_args(list(argv))
    settings = load_settings(dict(env))
    engine = make_engine(settings.database_url)
    eraser = SeekerEraser(engine, _tracker_engine(settings.tracker_database_url))
    if arguments.action == "erase":
        address = to_e164(arguments.address) if arguments.channel == "twilio" else arguments.address.strip()
        if not address:
            print("Not a phone number.")
            return 1
        seeker = build_stores(engine).intake.find_seeker(arguments.channel, address)
        report = eraser.erase(arguments.channel, address)
        if report is None or seeker is None:
            print("Nothing is held about this person.")
            return 1
        # That an erasure happened, and when, by the seeker row's id (which stays): counts only.
        build_stores(engine).staff.audit(None, AUDIT_ERASED, "seeker", seeker.id, asdict(report))
        print(describe(report))
        return 0
    days = (env.get(RETENTION_SETTING) or "").strip()
    if not days:
        print(f"{RETENTION_SETTING} is not set: nothing erased.")
        return 0
    if not days.isdigit() or int(days) < 1:
        print(f"{RETENTION_SETTING} must be a whole number of days, not {days!r}.")
        return 1
    erased = eraser.apply_retention(utc_now() - timedelta(days=int(days)))
    build_stores(engine).staff.audit(None, AUDIT_RETENTION, "seeker", None, {"days": int(days), "people": erased})
    print(f"Erased the data of {erased} people inactive for {days} days or more.")
    return 0


def _tracker_engine(url: str) -> Engine | None:
    """Rasa's tracker database, when it exists (a SQLite file is only made by the Rasa server)."""
    if url.startswith("sqlite"):
        path = urlsplit(url).path[1:]
        if not path or not Path(path).exists():
            return None
    return make_engine(url)
