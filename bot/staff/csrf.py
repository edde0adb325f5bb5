"""CSRF protection: one random token per session, sent back in a hidden field on every form.

Every POST, PUT, PATCH and DELETE must carry it (form field `csrf_token` or header
X-CSRF-Token); anything else is refused with 400. The token lives in the signed session cookie,
which another site cannot read, so it cannot forge the field. Blueprints that authenticate with
a bearer token instead of the cookie (the JSON API) set `csrf_exempt = True` on the blueprint.
"""
from __future__ import annotations

import hmac
import secrets

from flask import Flask, abort, current_app, request, session

SESSION_KEY = "csrf_token"
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_token() -> str:
    """The session's token, made on first use (templates call it for the hidden field)."""
    token = session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def renew_csrf_token() -> str:
    """A fresh token, for a session that has just changed hands (login)."""
    session.pop(SESSION_KEY, None)
    return csrf_token()


def init_csrf(app: Flask) -> None:
    app.before_request(_check_csrf)
    app.jinja_env.globals["csrf_token"] = csrf_token


def _check_csrf() -> None:
    if request.method not in _UNSAFE_METHODS or _exempt():
        return
    expected = session.get(SESSION_KEY)
    sent = request.form.get(FORM_FIELD) or request.headers.get(HEADER) or ""
    if not expected or not hmac.compare_digest(str(expected).encode(), sent.encode()):
        abort(400, description="This form has expired or did not come from this console. Reload the page and try again.")


def _exempt() -> bool:
    blueprint = current_app.blueprints.get(request.blueprint or "")
    return bool(getattr(blueprint, "csrf_exempt", False))
