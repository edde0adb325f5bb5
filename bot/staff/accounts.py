"""Admin page: who has an account, their role, teams and languages, and whether it is locked.
Accounts are created and changed with `python -m bot.cli staff ...`, not from the browser."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from bot.staff.auth import admin_required
from bot.staff.services import services

accounts = Blueprint("accounts", __name__)


@accounts.route("/accounts")
@admin_required
def index() -> Any:
    console = services()
    return render_template("accounts.html", accounts=console.staff.list_accounts(), now=console.now())
