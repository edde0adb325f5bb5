"""The staff console as a Flask app: `create_app(settings)`; `python -m bot.staff` serves it.

Blueprints are registered from two lists below. Pages of this package are always there; the
events pages, the funnel report and the JSON API (bot/staff/events.py, reports.py, api.py) are
registered when their module exists, each exposing its Blueprint under the name given here. A
blueprint that authenticates with a bearer token instead of the session cookie sets
`csrf_exempt = True` on itself (bot/staff/csrf.py).
"""
from __future__ import annotations

import hmac
import importlib
import importlib.util
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Flask, current_app, g, jsonify, render_template, request
from sqlalchemy.engine import Engine
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from bot.bootstrap import build_stores
from bot.handoff.sla import SlaClock
from bot.health import HEALTH_PATH, READY_PATH, database_answers, readiness
from bot.metrics import CONSOLE_REQUEST_SECONDS, CONSOLE_REQUESTS, REGISTRY, register_console_metrics
from bot.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from bot.staff import display
from bot.staff.csrf import init_csrf
from bot.staff.services import EXTENSION_KEY, ConsoleServices
from bot.staff.settings import ConsoleSettings
from bot.store.timestamps import utc_now

# (module, attribute): always registered, in this order.
CORE_BLUEPRINTS = (
    ("bot.staff.auth", "auth"),
    ("bot.staff.queue", "queue"),
    ("bot.staff.conversation", "conversation"),
    ("bot.staff.accounts", "accounts"),
)
# Registered when the module exists (written separately: events pages, report, JSON API).
OPTIONAL_BLUEPRINTS = (
    ("bot.staff.events", "events"),
    ("bot.staff.reports", "reports"),
    ("bot.staff.notices", "notices"),
    ("bot.staff.campaigns", "campaigns"),
    ("bot.staff.recontact", "recontact"),
    ("bot.staff.api", "api"),
)

# Staff sign in once per working day.
SESSION_LIFETIME = timedelta(hours=12)
SESSION_COOKIE_NAME = "staff_session"

_SECURITY_HEADERS = {
    # Scripts only from our own files: even an escaping slip cannot run injected script.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


# Flask refuses bodies over this; waitress (bot/staff/__main__.py) refuses them too, before reading
# them, instead of buffering up to its own default of 1 GB first.
MAX_REQUEST_BODY_BYTES = 64 * 1024


def create_app(
    settings: ConsoleSettings,
    *,
    engine: Engine | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME=SESSION_COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        # A form is a few kilobytes; anything much bigger is not from our pages.
        MAX_CONTENT_LENGTH=MAX_REQUEST_BODY_BYTES,
    )
    stores = build_stores(engine, database_url=settings.database_url, clock=clock)
    app.extensions[EXTENSION_KEY] = ConsoleServices(
        settings=settings,
        staff=stores.staff,
        handoffs=stores.handoffs,
        messages=stores.messages,
        intake=stores.intake,
        sla=SlaClock(settings.business_calendar, settings.sla_target),
        clock=clock,
        engine=stores.engine,
        stores=stores,
    )
    app.before_request(_blueprint_body_limit)  # before the CSRF check reads the form
    init_csrf(app)
    _register_template_helpers(app, settings)
    for blueprint in registered_blueprints():
        app.register_blueprint(blueprint)
    app.add_url_rule("/healthz", "healthz", _healthz)
    app.add_url_rule(HEALTH_PATH, "health", _alive)
    app.add_url_rule(READY_PATH, "ready", _ready)
    _serve_metrics(app, settings.metrics_token)
    app.register_error_handler(HTTPException, _error_page)
    app.after_request(_secure_headers)
    if settings.secure_cookies:
        app.after_request(_strict_transport_security)
    return app


def registered_blueprints() -> list[Blueprint]:
    blueprints = [_blueprint(module, attribute) for module, attribute in CORE_BLUEPRINTS]
    for module, attribute in OPTIONAL_BLUEPRINTS:
        if importlib.util.find_spec(module) is not None:
            blueprints.append(_blueprint(module, attribute))
    return blueprints


def _blueprint(module: str, attribute: str) -> Blueprint:
    found = getattr(importlib.import_module(module), attribute)
    if not isinstance(found, Blueprint):
        raise TypeError(f"{module}.{attribute} is not a Flask Blueprint")
    return found


def _register_template_helpers(app: Flask, settings: ConsoleSettings) -> None:
    zone = settings.business_calendar.zone
    app.jinja_env.filters["masked"] = display.mask_address
    app.jinja_env.filters["local_time"] = lambda moment: display.local_moment(
        moment, zone, app.extensions[EXTENSION_KEY].now()
    )
    app.jinja_env.filters["iso"] = lambda moment: moment.isoformat() if moment else ""


def _blueprint_body_limit() -> None:
    """A blueprint that takes uploads (a campaign roster) sets `max_content_length` on itself;
    every other request keeps the app's 64 KB."""
    blueprint = current_app.blueprints.get(request.blueprint or "")
    limit = getattr(blueprint, "max_content_length", None)
    if limit:
        request.max_content_length = limit


def _healthz() -> tuple[str, int, dict[str, str]]:
    """For the supervisor and load balancers: says nothing but that the process answers."""
    return "ok", 200, {"Content-Type": "text/plain"}


def _alive() -> Any:
    """`/health` as every process answers it (bot/health.py)."""
    return jsonify({"status": "ok"})


def _ready() -> tuple[Any, int]:
    """200 while the database answers, else 503 (bot/health.py); no sign-in needed, no data."""
    engine = current_app.extensions[EXTENSION_KEY].engine
    status, body = readiness({"database": lambda: engine is not None and database_answers(engine)})
    return jsonify(body), status


def _serve_metrics(app: Flask, token: str | None) -> None:
    """`GET /metrics` for Prometheus with `Authorization: Bearer METRICS_TOKEN` (401 without it,
    and to everyone when no token is set): the console's requests by status class and their
    time, counts only. A token rather than the caller's address: behind a proxy on the same
    machine every request comes from 127.0.0.1."""
    register_console_metrics()

    @app.before_request
    def _start_timing() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _count_request(response: Response) -> Response:
        started = g.get("request_started")
        if started is not None:
            CONSOLE_REQUEST_SECONDS.observe(time.perf_counter() - started)
        CONSOLE_REQUESTS.inc(status=f"{response.status_code // 100}xx")
        return response

    def metrics() -> Response:
        offered = request.headers.get("Authorization", "")
        expected = f"Bearer {token}" if token else None
        if expected is None or not hmac.compare_digest(offered.encode(), expected.encode()):
            return Response("metrics need the bearer token\n", 401, {"WWW-Authenticate": "Bearer", "Content-Type": "text/plain"})
        return Response(REGISTRY.render(), 200, {"Content-Type": METRICS_CONTENT_TYPE})

    app.add_url_rule("/metrics", "metrics", metrics)


def _error_page(error: HTTPException) -> Any:
    return render_template("error.html", error=error), error.code or 500


# Served over https: browsers must never come back over plain http (a year, as is usual).
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def _strict_transport_security(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def _secure_headers(response: Response) -> Response:
    for header, value in _SECURITY_HEADERS.items():
        response.headers.setdefault(header, value)
    # Pages show seekers' messages and numbers: no copy kept by the browser or a proxy.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


