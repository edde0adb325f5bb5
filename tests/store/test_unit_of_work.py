"""unit_of_work: store calls made inside it share one transaction and commit once, or not at all."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event

from bot.bootstrap import build_stores
from bot.store.transactions import unit_of_work


class Abandoned(Exception):
    pass


@pytest.fixture()
def commits(engine):
    """Every COMMIT on the engine while the test runs."""
    seen: list[str] = []

    def count(_connection) -> None:
        seen.append("commit")

    event.listen(engine, "commit", count)
    yield seen
    event.remove(engine, "commit", count)


def test_writes_of_several_stores_commit_once_together(engine, address, commits):
    stores = build_stores(engine)
    with unit_of_work(engine):
        queued = stores.messages.enqueue("twilio", address, "one")
        stores.intake.record_opt_out("twilio", address, "STOP")
        assert stores.messages.get(queued.id) is not None  # seen inside before the commit
    assert commits == ["commit"]
    assert stores.messages.get(queued.id).text == "one"
    assert stores.intake.find_seeker("twilio", address).consent_status == "opted_out"
    stores.messages.mark_sent(queued.id, f"SM{uuid.uuid4().hex}")  # out of the shared database's send queue


def test_an_exception_inside_leaves_nothing_of_any_store(engine, address):
    stores = build_stores(engine)
    with pytest.raises(Abandoned):
        with unit_of_work(engine):
            queued = stores.messages.enqueue("twilio", address, "never sent")
            stores.intake.record_opt_out("twilio", address, "STOP")
            raise Abandoned
    assert stores.messages.get(queued.id) is None
    assert stores.intake.find_seeker("twilio", address) is None


def test_a_unit_inside_a_unit_joins_it(engine, address):
    stores = build_stores(engine)
    with pytest.raises(Abandoned):
        with unit_of_work(engine) as outer:
            with unit_of_work(engine) as inner:
                assert inner is outer
                queued = stores.messages.enqueue("twilio", address, "inner")
            raise Abandoned
    assert stores.messages.get(queued.id) is None
