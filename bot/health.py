"""Liveness and readiness, the same in every process (webhook ingest, Rasa server, action server,
staff console):

- `GET /health`: the process answers (a supervisor or load balancer restarts it when it does not);
- `GET /ready`: it can do its work now: the database answers (and, in the Rasa server, the model
  is loaded). 200 with each check true, else 503 with the failing ones false, so a load balancer
  takes it out of rotation while the database is away without restarting it.

Bodies carry no personal data and no error text, only check names and true/false.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

HEALTH_PATH = "/health"
READY_PATH = "/ready"
Check = Callable[[], bool]


def database_answers(engine: Engine) -> bool:
    """True when the database runs `SELECT 1` now (a dropped pooled connection is replaced by
    the engine's pre-ping; a refused one is a False)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception as trouble:  # any failure means "not ready", never a crash of the probe
        logger.debug("readiness: database check failed: %s", type(trouble).__name__)
        return False


@lru_cache(maxsize=4)
def probe_engine(url: str) -> Engine:
    """One small engine per database URL for a process's readiness checks."""
    from bot.store import make_engine

    return make_engine(url)


def readiness(checks: Mapping[str, Check]) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) for `GET /ready`."""
    results = {name: _passes(check) for name, check in checks.items()}
    ready = all(results.values())
    return (200 if ready else 503), {"status": "ready" if ready else "not ready", "checks": results}


def _passes(check: Check) -> bool:
    try:
        return bool(check())
    except Exception as trouble:
        logger.debug("readiness check failed: %s", type(trouble).__name__)
        return False


def add_sanic_routes(app: Any, checks: Mapping[str, Check], *, health: bool = True) -> None:
    """Adds `/ready` (and `/health` unless the app has its own) to a Sanic app; the checks run
    in a thread, so a slow database never holds the server's loop."""
    import asyncio

    from sanic.response import json as json_response

    if health:

        async def alive(_: Any) -> Any:
            return json_response({"status": "ok"})

        app.add_route(alive, HEALTH_PATH, methods=["GET"], name="intake_health")

    async def ready(_: Any) -> Any:
        status, body = await asyncio.to_thread(readiness, checks)
        return json_response(body, status=status)

    app.add_route(ready, READY_PATH, methods=["GET"], name="intake_ready")


def add_metrics_route(app: Any) -> None:
    """`/metrics` for Prometheus on a Sanic app (bot/metrics.py): this process's counters and
    the gauges registered in it; counts and durations only, no personal data."""
    import asyncio

    from sanic.response import text as text_response

    from bot.metrics import CONTENT_TYPE, REGISTRY

    async def metrics(_: Any) -> Any:
        return text_response(await asyncio.to_thread(REGISTRY.render), content_type=CONTENT_TYPE)

    app.add_route(metrics, "/metrics", methods=["GET"], name="intake_metrics")
