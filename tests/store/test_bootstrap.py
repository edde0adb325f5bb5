"""bot/bootstrap.py: every process gets the same stores, on one engine, stamped by one clock."""
from __future__ import annotations

import uuid

import dataclasses
from datetime import datetime, timezone

from bot.bootstrap import Stores, build_stores
from bot.store.transactions import TransactionalStore

PINNED = datetime(2031, 3, 4, 15, 30, tzinfo=timezone.utc)


def test_every_store_shares_the_engine_it_was_given(engine):
    stores = build_stores(engine, clock=lambda: PINNED)
    built = [getattr(stores, field.name) for field in dataclasses.fields(Stores) if field.name != "engine"]
    assert built and all(isinstance(store, TransactionalStore) for store in built)
    assert {store.engine for store in built} == {engine}


def test_rows_written_through_any_store_carry_the_processs_clock(engine, address):
    stores = build_stores(engine, clock=lambda: PINNED)
    queued = stores.messages.enqueue("twilio", address, "hello")
    stores.intake.record_opt_out("twilio", address, "STOP")
    assert queued.created_at == PINNED
    assert stores.intake.find_seeker("twilio", address).updated_at == PINNED
    stores.messages.mark_sent(queued.id, f"SM{uuid.uuid4().hex}")  # out of the shared database's send queue
