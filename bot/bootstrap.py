"""Builds the stores, the same way for every process: the action server (bot/actions/wiring.py),
the Rasa server's channels and the webhook ingest (bot/channels/runtime.py, reception.py), the
staff console (bot/staff/app.py), the command-line tools (bot/cli) and the test and benchmark
harness (bot/cli/harness.py).

Each process passes its own engine options (the ingest polls SQLite's lock faster) and its one
clock, which stamps every row every store writes. Building opens no connection: the engine's pool
connects on first use.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from bot.store.campaign_store import CampaignStore
from bot.store.engine import make_engine
from bot.store.event_catalog import EventCatalog
from bot.store.handoff_store import HandoffStore
from bot.store.message_log import MessageLog
from bot.store.registration_store import RegistrationStore
from bot.store.report_queries import ReportQueries
from bot.store.scheduled_message_store import ScheduledMessageStore
from bot.store.intake_store import IntakeStore
from bot.store.staff_store import StaffStore
from bot.store.timestamps import utc_now
from bot.store.turn_context import TurnContextQuery
from bot.store.warn_store import WarnStore


@dataclass(frozen=True)
class Stores:
    engine: Engine
    intake: IntakeStore
    messages: MessageLog
    event_catalog: EventCatalog
    registrations: RegistrationStore
    scheduled_messages: ScheduledMessageStore
    handoffs: HandoffStore
    campaigns: CampaignStore
    warn: WarnStore
    staff: StaffStore
    reports: ReportQueries
    turn_context: TurnContextQuery


def build_stores(
    engine: Engine | None = None,
    *,
    database_url: str | None = None,
    clock: Callable[[], datetime] = utc_now,
    claim_reads_tracker_version: bool = False,
) -> Stores:
    """Every store on one engine: `engine` when given, else one for `database_url` (DATABASE_URL
    when that is None too). `claim_reads_tracker_version`: Rasa's tracker is in that database, and
    the inbound claim reads the conversation's version with the message (bot/tracker_versions.py)."""
    engine = engine if engine is not None else make_engine(database_url)
    return Stores(
        engine=engine,
        intake=IntakeStore(engine, clock=clock),
        messages=MessageLog(engine, clock=clock),
        event_catalog=EventCatalog(engine, clock=clock),
        registrations=RegistrationStore(engine, clock=clock),
        scheduled_messages=ScheduledMessageStore(engine, clock=clock),
        handoffs=HandoffStore(engine, clock=clock),
        campaigns=CampaignStore(engine, clock=clock),
        warn=WarnStore(engine, clock=clock),
        staff=StaffStore(engine, clock=clock),
        reports=ReportQueries(engine, clock=clock),
        turn_context=TurnContextQuery(engine, clock=clock, tracker_version=claim_reads_tracker_version),
    )
