from __future__ import annotations

import pytest

from bot.handoff.model import PRIORITY_FIRST, PRIORITY_NORMAL, TEAM_GENERAL, pauses_the_bot, priority_for, team_for


@pytest.mark.parametrize(
    "answers, priority",
    [
        ({}, PRIORITY_NORMAL),
        ({"veteran": True}, PRIORITY_FIRST),
        ({"veteran": False, "employment_status": "working"}, PRIORITY_NORMAL),
        ({"veteran": "unknown"}, PRIORITY_NORMAL),
        ({"employment_status": "laid_off"}, PRIORITY_FIRST),
        ({"employment_status": "layoff_notice"}, PRIORITY_FIRST),
        ({"employment_status": "unemployed"}, PRIORITY_NORMAL),
        ({"employment_status": "never_worked"}, PRIORITY_NORMAL),
        ({"military_spouse": True}, PRIORITY_NORMAL),
        ({"veteran": True, "employment_status": "laid_off"}, PRIORITY_FIRST),
    ],
)
def test_veterans_and_laid_off_workers_come_first(answers, priority):
    assert priority_for(answers) == priority


@pytest.mark.parametrize(
    "sectors, team",
    [
        (None, TEAM_GENERAL),
        ([], TEAM_GENERAL),
        (["construction"], "construction"),
        (["it", "healthcare"], "healthcare"),  # the Partnership's sector order, not the seeker's
        (["clean_energy", "transportation"], "transportation"),
        (["unknown"], TEAM_GENERAL),
    ],
)
def test_team_is_the_first_sector_in_the_partnerships_order(sectors, team):
    assert team_for(sectors) == team


@pytest.mark.parametrize(
    "reason, status, pauses",
    [
        ("asked", "waiting", True),
        ("asked", "assigned", True),
        # Not asked for: queued while the bot goes on, until staff claim the conversation.
        ("upset", "waiting", False),
        ("needs_review", "waiting", False),
        ("not_understood", "waiting", False),
        ("upset", "assigned", True),
        ("needs_review", "assigned", True),
    ],
)
def test_only_a_handoff_the_seeker_asked_for_or_staff_claimed_pauses_the_bot(reason, status, pauses):
    assert pauses_the_bot(reason, status) is pauses
