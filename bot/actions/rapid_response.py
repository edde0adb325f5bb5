"""Laid-off workers in the intake: a reply to a WARN outreach campaign, and an employer named.

Thin: the campaign and notice come from the stores, what they mean from bot/warn/.

- A worker on a campaign's roster who writes back is greeted about that employer's layoff (the
  campaign text already carried who we are, rates, STOP and HELP), and the intake starts with
  what the notice says (employer, layoff date, notice or laid off, the closure) and the first name
  on the roster, so it asks only what is missing. The summary offers the campaign's sessions.
- A worker not on any roster who names the employer of their layoff gets it matched against this
  area's notices of the last 24 months; when the match is clear, the notice is kept as their
  `warn_notice` answer, which settles route 2 of Dislocated Worker; when several employers match,
  the worker picks theirs from a numbered list, or "none of these".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import answers as a
from bot import slots
from bot.actions import conversation, wiring
from bot.understanding.numbered_choices import select_choice
from bot.understanding.events import EventLabel, pick_from_list
from bot.warn.employers import EmployerCandidate, EmployerIndex, name_words
from bot.warn.layoff import employer_label, notice_answers
from bot.warn.notices import CHICAGO_COOK_LWIA

# A worker names an employer laid off recently: older notices are not theirs.
NOTICE_LOOKBACK = timedelta(days=730)
# At most this many employers are offered to choose from; more means the words named none.
MAX_NOTICE_OPTIONS = 4
NONE_OF_THESE = {"en": "None of these", "es": "Ninguno de estos"}


@dataclass(frozen=True)
class NoticeLookup:
    """What an employer's name found: the answers it settles, or notices to choose among."""

    answers: dict[str, Any] = field(default_factory=dict)
    options: list[int] = field(default_factory=list)


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
) -> NoticeLookup:
    """The `warn_notice` answer when the employer just named clearly matches this area's recent
    notices (one employer: its latest notice); the notices to choose among when it matches a few
    employers; nothing when it matches none."""
    named = updates.get(a.LAYOFF_EMPLOYER)
    if not isinstance(named, str) or answers.get(a.WARN_NOTICE) or updates.get(a.WARN_NOTICE):
        return NoticeLookup()
    today = wiring.today()
    recent = {
        record.id: record
        for record in wiring.warn_store().recent_notices(today - NOTICE_LOOKBACK, lwia=CHICAGO_COOK_LWIA)
        if record.notice.reason
    }
    index = EmployerIndex([
        EmployerCandidate(record.id, record.notice.employer, record.notice.dba, record.notice.city, record.notice.reported_on)
        for record in recent.values()
    ])
    latest_per_employer: dict[str, int] = {}
    for match in index.match(named):  # best first, and the newest first among equals
        latest_per_employer.setdefault(" ".join(name_words(match.candidate.employer)), match.candidate.notice_id)
    if len(latest_per_employer) == 1:
        (notice_id,) = latest_per_employer.values()
        record = recent[notice_id]
        dispatcher.utter_message(response="utter_layoff_on_notice", employer=employer_label(record.notice))
        return NoticeLookup(answers=_notice_answer(record))
    if 1 < len(latest_per_employer) <= MAX_NOTICE_OPTIONS:
        return NoticeLookup(options=list(latest_per_employer.values()))
    return NoticeLookup()


def _notice_answer(record) -> dict[str, Any]:
    return {a.WARN_NOTICE: {"id": f"warn_notice:{record.id}", "reason": record.notice.reason}}


def picked_notice(text: str, options: list[int], language: str) -> dict[str, Any] | None:
    """The answer a reply to the numbered list gives: a notice, "unknown" for "none of these",
    or None when the reply picks nothing."""
    labels = _option_labels(options, language)
    buttons = [{"title": label, "payload": str(number)} for number, label in enumerate(labels, start=1)]
    picked = select_choice(text, buttons)
    # Words pick too, as in any numbered list ("the metals one", "la segunda").
    number = int(picked) if picked is not None else pick_from_list(text, [EventLabel(str(n), (label,)) for n, label in enumerate(labels, 1)])
    if number is None:
        return None
    if number > len(options):
        return {a.WARN_NOTICE: a.UNKNOWN}  # staff check how the job ended, as for anyone else
    record = wiring.warn_store().get(options[number - 1])
    return _notice_answer(record) if record is not None else {a.WARN_NOTICE: a.UNKNOWN}


def _option_labels(options: list[int], language: str) -> list[str]:
    """The numbered list's lines, in order: each notice, then "none of these"."""
    return [_option_label(notice_id) for notice_id in options] + [NONE_OF_THESE.get(language, NONE_OF_THESE["en"])]


def _option_label(notice_id: int) -> str:
    record = wiring.warn_store().get(notice_id)
    if record is None:
        return "?"
    notice = record.notice
    where = f", {notice.city.title()}" if notice.city else ""
    return f"{employer_label(notice)}{where}"


def ask_which_notice(dispatcher: CollectingDispatcher, options: list[int], language: str) -> None:
    """Asks which of the notices (ids) a named employer matched is the worker's (the intake's
    question for `warn_notice`)."""
    labels = _option_labels(options, language)
    listing = "\n".join(f"{number} {label}" for number, label in enumerate(labels, start=1))
    dispatcher.utter_message(response="utter_which_notice", listing=listing)


def campaign_sessions(dispatcher: CollectingDispatcher, campaign_id: int, language: str) -> bool:
    """Offers the campaign's upcoming sessions; True when there were any."""
    from bot.hiring_events import wording

    campaign = wiring.campaign_store().get(campaign_id)
    if campaign is None or not campaign.event_codes:
        return False
    upcoming = [
        record for record in wiring.event_catalog().list_upcoming(wiring.now())
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
