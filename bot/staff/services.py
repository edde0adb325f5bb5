"""What the console's views work with: the stores, the clock and the rules, made once per app
by `create_app` and reached from a view with `services()`. Texts are queued in the message log
(`messages.enqueue`); the Rasa process's outbound sender delivers them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.engine import Engine

from bot.bootstrap import Stores
from bot.handoff.sla import SlaClock
from bot.staff.login_backoff import LoginBackoff
from bot.staff.settings import ConsoleSettings
from bot.store import EventCatalog, HandoffStore, IntakeStore, MessageLog, RegistrationStore, StaffStore
from bot.store.report_queries import ReportQueries
from bot.store.campaign_store import CampaignStore
from bot.store.warn_store import WarnStore

EXTENSION_KEY = "staff_console"


@dataclass(frozen=True)
class ConsoleServices:
    settings: ConsoleSettings
    staff: StaffStore
    handoffs: HandoffStore
    messages: MessageLog
    intake: IntakeStore
    sla: SlaClock
    # Injected so tests can stand in the middle of the night or an hour later.
    clock: Callable[[], datetime]
    # For the stores a page needs and the others do not (events pages, reports).
    engine: Engine | None = None
    # Every store on that engine and clock (bot/bootstrap.py), for the pages that need one.
    stores: Stores | None = None
    # Sign-in waits after wrong passwords: by the account name typed (known or not), and by the
    # address they come from (many names tried from one place). An office behind one address
    # has many people who mistype, hence the larger allowance.
    account_backoff: LoginBackoff = field(
        default_factory=lambda: LoginBackoff(free_failures=4, first_wait=timedelta(minutes=1), longest_wait=timedelta(minutes=15))
    )
    address_backoff: LoginBackoff = field(
        default_factory=lambda: LoginBackoff(free_failures=20, first_wait=timedelta(minutes=1), longest_wait=timedelta(minutes=15))
    )

    def now(self) -> datetime:
        return self.clock()


def services() -> ConsoleServices:
    return current_app.extensions[EXTENSION_KEY]


def console_engine() -> Engine:
    """The console's database engine, for stores a view makes on the spot (events, reports)."""
    engine = services().engine
    if engine is None:
        raise RuntimeError("the console was built without a database engine (ConsoleServices.engine)")
    return engine


def console_stores() -> Stores:
    stores = services().stores
    if stores is None:
        raise RuntimeError("the console was built without its stores (ConsoleServices.stores)")
    return stores


def event_catalog() -> EventCatalog:
    """The hiring events, on the console's engine and clock."""
    return console_stores().event_catalog


def registrations() -> RegistrationStore:
    """Registrations, seats and the waitlist, on the console's engine and clock."""
    return console_stores().registrations


def report_queries() -> ReportQueries:
    return console_stores().reports


def warn_store() -> WarnStore:
    return console_stores().warn


def campaign_store() -> CampaignStore:
    return console_stores().campaigns
