"""What a WARN notice says about a worker's layoff, as intake answers (bot/answers.py). Pure.

A worker on a campaign's roster, or one who names an employer that matches a notice, need not be
asked what the notice already tells: who the employer is, whether the layoff has happened yet
(the notice's layoff date against today), when, and that it is a closure or substantial layoff
(the `warn_notice` answer, route 2 of Dislocated Worker, WIOA 3(15)(B)).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from bot import answers as a
from bot.warn.notices import WarnNotice


def notice_answers(notice: WarnNotice, notice_key: str, today: date) -> dict[str, Any]:
    found: dict[str, Any] = {a.LAYOFF_EMPLOYER: notice.employer}
    if notice.impact_on is not None:
        found[a.LAYOFF_DATE] = notice.impact_on.isoformat()
        # Before the layoff date the worker holds a notice; from it on, they are laid off.
        found[a.EMPLOYMENT_STATUS] = "layoff_notice" if notice.impact_on > today else "laid_off"
    else:
        found[a.EMPLOYMENT_STATUS] = "laid_off"
    if notice.reason:
        found[a.WARN_NOTICE] = {"id": notice_key, "reason": notice.reason}
    return found


def employer_label(notice: WarnNotice) -> str:
    """The name workers know the site by: its DBA name if the state gives one, else the employer."""
    return notice.dba or notice.employer
