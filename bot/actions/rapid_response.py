"""Laid-off workers in the intake: a reply to a WARN outreach campaign, and an employer named.

Thin: the campaign and notice come from the stores, what they mean from bot/warn/.

- A worker on a campaign's roster who writes back is greeted about that employer's layoff (the
  campaign text already carried who we are, rates, STOP and HELP), and the intake starts with
  what the notice says (employer, layoff date, notice or laid off, the closure) and the first name
  on the roster, so it asks only what is missing. The summary offers the campaign's sessions.
- A worker not on any roster who names the employer of their layoff gets it matched against this
  area's notices of the last 24 months; when the match is clear, the notice is kept as their
  `warn_notice` answer, which settles route 2 of Dislocated Worker.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import answers as a
from bot.actions import conversation, slots, wiring
from bot.warn.employers import EmployerCandidate, EmployerIndex, name_words
from bot.warn.layoff import employer_label, notice_answers
from bot.warn.notices import CHICAGO_COOK_LWIA

# A worker names an employer laid off recently: older notices are not theirs.
NOTICE_LOOKBACK = timedelta(days=730)


def welcome_from_campaign(
    dispatcher: CollectingDispatcher, message: conversation.Conversation, answers: dict[str, Any]
) -> tuple[dict[str, Any], list[EventType]] | None:
    """For a campaign's worker writing in for the first time: the welcome about their layoff,
    and the answers the notice and roster give. None for anyone else."""
    found = wiring.campaign_store().latest_membership(message.channel, message.address)
    if found is None:
        return None
    campaign, first_name = found
    record = wiring.warn_store().get(campaign.notice_id)
    if record is None:
        return None
    known = notice_answers(record.notice, f"warn_notice:{record.id}", wiring.today())
    if first_name and not answers.get(a.FIRST_NAME):
        known[a.FIRST_NAME] = first_name
    dispatcher.utter_message(
        response="utter_rapid_response_welcome",
        employer=employer_label(record.notice),
        name_part=conversation.name_part({**answers, **known}),
    )
    return {key: value for key, value in known.items() if answers.get(key) is None}, [SlotSet(slots.CAMPAIGN_ID, campaign.id)]


def notice_for_named_employer(
    dispatcher: CollectingDispatcher, answers: dict[str, Any], updates: dict[str, Any]
) -> dict[str, Any]:
    """The `warn_notice` answer when the employer just named clearly matches this area's recent
    notices (one employer: its latest notice); nothing when it matches none or several."""
    named = updates.get(a.LAYOFF_EMPLOYER)
    if not isinstance(named, str) or answers.get(a.WARN_NOTICE) or updates.get(a.WARN_NOTICE):
        return {}
    today = wiring.today()
    recent = [
        record for record in wiring.warn_store().recent_notices(today - NOTICE_LOOKBACK, lwia=CHICAGO_COOK_LWIA)
        if record.notice.reason
    ]
    index = EmployerIndex([
        EmployerCandidate(record.id, record.notice.employer, record.notice.dba, record.notice.city, record.notice.reported_on)
        for record in recent
    ])
    matches = index.match(named)
    employers = {" ".join(name_words(match.candidate.employer)) for match in matches}
    if len(employers) != 1:
        return {}  # none, or several employers: staff check the closure (the summary says so)
    chosen = max(matches, key=lambda match: match.candidate.reported_on or today).candidate
    record = next(record for record in recent if record.id == chosen.notice_id)
    dispatcher.utter_message(response="utter_layoff_on_notice", employer=employer_label(record.notice))
    return {a.WARN_NOTICE: {"id": f"warn_notice:{record.id}", "reason": record.notice.reason}}


def campaign_sessions(dispatcher: CollectingDispatcher, campaign_id: int, language: str) -> bool:
    """Offers the campaign's upcoming sessions; True when there were any."""
    from bot.events import wording

    campaign = wiring.campaign_store().get(campaign_id)
    if campaign is None or not campaign.event_codes:
        return False
    upcoming = [
        record for record in wiring.event_store().list_upcoming(wiring.now())
        if record.code in campaign.event_codes
    ]
    if not upcoming:
        return False
    listing = "; ".join(
        f"{wording.name(record.event, language)} ({wording.day(record.event.starts_at, language)}): {record.code}"
        for record in upcoming[:2]
    )
    dispatcher.utter_message(response="utter_campaign_sessions", listing=listing)
    return True
