"""Signing in and out, and the decorators that keep every other page behind a login.

The session is Flask's signed cookie holding only the staff id and the CSRF token. At login it
is cleared and refilled, so a cookie planted before login (session fixation) is worth nothing
after. Wrong passwords make the account name, and the address they come from, wait before the
next try (bot/staff/login_backoff.py): the fifth in a row for a name starts a minute's wait,
doubling with each further failure up to 15 minutes; while a name waits even the right password
is refused, and tries do not lengthen the wait. Unknown names are treated exactly like real ones.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from bot.staff.csrf import renew_csrf_token
from bot.staff.passwords import HashingBusy, WeakPassword, hash_password, needs_rehash, verify_password
from bot.staff.services import services
from bot.store.staff_store import StaffAccount
from bot.store.vocabulary import ROLE_ADMIN, USERNAME_MAX

SESSION_STAFF_KEY = "staff_id"
# The account's session version when the session began: signing out or a new password raises the
# account's, and every older cookie (a copied one too) stops working.
SESSION_VERSION_KEY = "session_version"
SESSION_SIGNED_IN_AT_KEY = "signed_in_at"
# However much a session is used, it ends this long after sign-in (Flask's own lifetime slides
# with every request).
ABSOLUTE_SESSION_LIFETIME = timedelta(hours=12)
AUDIT_LOGIN_OK = "login_ok"
AUDIT_LOGIN_FAILED = "login_failed"
AUDIT_LOGIN_LOCKED = "login_locked"
AUDIT_LOGOUT = "logout"

WRONG_CREDENTIALS = "Wrong username or password."
LOCKED_OUT = "Too many wrong passwords: this account is locked for a while. Try again later or ask an admin."

auth = Blueprint("auth", __name__)

View = TypeVar("View", bound=Callable[..., Any])


@auth.before_app_request
def load_signed_in_staff() -> None:
    g.staff = None
    staff_id = session.get(SESSION_STAFF_KEY)
    if staff_id is None:
        return
    console = services()
    account = console.staff.get(int(staff_id))
    if account is None or account.disabled or not _session_still_valid(account, console.now()):
        # A deleted or disabled account, a session signed out elsewhere or from before a new
        # password, or one past its absolute lifetime: gone at once.
        session.clear()
        return
    g.staff = account


def _session_still_valid(account: StaffAccount, now: datetime) -> bool:
    if session.get(SESSION_VERSION_KEY) != account.session_version:
        return False
    signed_in_at = session.get(SESSION_SIGNED_IN_AT_KEY)
    if not isinstance(signed_in_at, (int, float)):
        return False
    return now - datetime.fromtimestamp(signed_in_at, tz=timezone.utc) < ABSOLUTE_SESSION_LIFETIME


@auth.app_context_processor
def signed_in_staff() -> dict[str, Any]:
    return {"current_staff": g.get("staff"), "is_admin": is_admin(g.get("staff"))}


def is_admin(account: StaffAccount | None) -> bool:
    return account is not None and account.role == ROLE_ADMIN


def current_staff() -> StaffAccount:
    """The signed-in account; only for views behind `login_required`."""
    account = g.get("staff")
    if account is None:
        raise RuntimeError("current_staff() outside a login_required view")
    return account


def login_required(view: View) -> View:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("staff") is None:
            wanted = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("auth.login", next=wanted))
        return view(*args, **kwargs)

    wrapped.login_required = True  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


def admin_required(view: View) -> View:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_admin(g.get("staff")):
            abort(403)
        return view(*args, **kwargs)

    guarded = login_required(wrapped)
    guarded.admin_only = True  # type: ignore[attr-defined]
    return guarded


@auth.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "GET":
        if g.get("staff") is not None:
            return redirect(_safe_next(request.args.get("next")))
        return render_template("login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    next_url = request.form.get("next", "")
    try:
        account, refusal = _check_credentials(username, password)
    except HashingBusy:
        busy = "Too many sign-ins at once. Try again in a moment."
        return render_template("login.html", error=busy, username=username, next=next_url), 503
    if account is None:
        status = 429 if refusal == LOCKED_OUT else 401
        return render_template("login.html", error=refusal, username=username, next=next_url), status
    _start_session(account)
    return redirect(_safe_next(next_url))


@auth.route("/logout", methods=["POST"])
def logout() -> Response:
    account = g.get("staff")
    if account is not None:
        # Ends this account's other sessions too: a cookie copied from this browser among them.
        services().staff.end_sessions(account.id)
        services().staff.audit(account.id, AUDIT_LOGOUT, "staff", account.id)
    session.clear()
    return redirect(url_for("auth.login"))


def _check_credentials(username: str, password: str) -> tuple[StaffAccount | None, str]:
    """The account when the password is right and the account usable; else None and what to say.

    Known and unknown names go through the same steps (the same backoff, one password check
    each), so neither the answer nor its timing tells which usernames exist."""
    console = services()
    now = console.now()
    account_key = username.strip().lower()[:USERNAME_MAX]
    address_key = request.remote_addr or "unknown"
    try:
        account = console.staff.find_by_username(username)
    except ValueError:  # not even a possible username
        account = None
    usable = account is not None and not account.disabled
    subject = account.id if usable else None
    if console.account_backoff.wait_left(account_key, now) or console.address_backoff.wait_left(address_key, now):
        # Refused without checking the password; the wait is not lengthened.
        console.staff.audit(subject, AUDIT_LOGIN_LOCKED, "staff", subject, now=now)
        return None, LOCKED_OUT
    right = verify_password(account.password_hash if usable else None, password)
    if not right:
        account_wait = console.account_backoff.record_failure(account_key, now)
        console.address_backoff.record_failure(address_key, now)
        details = None
        if usable:
            details = {"failed_logins": console.staff.record_failed_login(account.id, now).failed_logins}
        console.staff.audit(subject, AUDIT_LOGIN_FAILED, "staff", subject, details, now=now)
        return None, LOCKED_OUT if account_wait else WRONG_CREDENTIALS
    console.account_backoff.forget(account_key)
    console.staff.record_successful_login(account.id, now)
    if needs_rehash(account.password_hash):
        try:
            console.staff.set_password_hash(account.id, hash_password(password), end_sessions=False)
        except WeakPassword:
            pass  # a password from before today's rules still signs in; `staff password` replaces it

    console.staff.audit(account.id, AUDIT_LOGIN_OK, "staff", account.id, now=now)
    return account, ""


def _start_session(account: StaffAccount) -> None:
    # Whatever the cookie held before (another person's session, a planted one) is dropped.
    session.clear()
    session[SESSION_STAFF_KEY] = account.id
    session[SESSION_VERSION_KEY] = account.session_version
    session[SESSION_SIGNED_IN_AT_KEY] = services().now().timestamp()
    session.permanent = True
    renew_csrf_token()
    g.staff = account


def _safe_next(target: str | None) -> str:
    """Only a path on this site: `next=https://evil.example` or `//evil.example` goes home."""
    if target:
        parts = urlsplit(target)
        # Browsers read /\host as //host, another site.
        local = target.startswith("/") and not target.startswith("//") and "\\" not in target
        if local and not parts.scheme and not parts.netloc:
            return target.rstrip("?") or "/"
    return url_for("queue.index")
