"""Hiring events by text: the Rasa side of the event dialogue (`event_form`) and the actions that
open it. Thin: where the dialogue goes is decided by bot/hiring_events/registration.py (pure);
these actions load what a step needs, carry the decision out against the stores and say it.

The form has one slot, `event_reply`; where the dialogue stands is kept in `event_step`.
`validate_event_form` reads each reply and moves on (or ends the dialogue by clearing the
requested slot); `action_ask_event_reply` says what the current step asks.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import slots
from bot.actions import conversation, handoff, rapid_response, wiring
from bot.actions.off_the_loop import OffTheEventLoop
from bot.actions.intake import FORM_NAME as INTAKE_FORM, keep_answers, read_answers
from bot.answers import FIRST_NAME, SECTORS
from bot.hiring_events import registration as dialogue
from bot.hiring_events import schedule as planning
from bot.hiring_events import wording
from bot.hiring_events.model import EVENT_ZONE, WINDOW_OPEN, Event, code_like, localized, registration_window
from bot.hiring_events.registration import (
    CANCEL_CONFIRM,
    CANCEL_WHICH,
    CHOOSE,
    CONFIRM,
    FOLLOWUP,
    MAX_LISTED,
    NAME,
    OFFER,
    QUESTION,
    REMINDER,
    TRIGGERED_STEPS,
    WAITLIST,
    Next,
)
from bot.store.hiring_event_rows import EventRecord, RegistrationWithEvent
from bot.understanding.events import EventLabel, events_named
from bot.understanding.dialogue_input import HELP_KEYWORD_INTENT
from bot.understanding.names import parse_first_name

logger = logging.getLogger(__name__)

FORM_NAME = "event_form"
REPLY_SLOT = "event_reply"

# Requests that the dialogue leaves to the rules (STOP, HELP and asking for a person work at
# every point).
_LEFT_TO_RULES = frozenset({"opt_out", "help", HELP_KEYWORD_INTENT, "request_human", handoff.FRUSTRATION_INTENT})
_MAX_BARE_NAME_WORDS = 2


def _continue(step: str, **values: Any) -> list[EventType]:
    """Stay in the dialogue at `step`; the form then asks that step's question."""
    events: list[EventType] = [SlotSet(slots.EVENT_STEP, step), SlotSet(REPLY_SLOT, None)]
    events += [SlotSet(name, value) for name, value in values.items()]
    events.append(SlotSet(slots.REQUESTED_SLOT, REPLY_SLOT))
    return events


def _finish() -> list[EventType]:
    return [
        SlotSet(slots.EVENT_STEP, None),
        SlotSet(slots.EVENT_OPTIONS, None),
        SlotSet(REPLY_SLOT, "done"),
        SlotSet(slots.REQUESTED_SLOT, None),
    ]


def _event_values(event: Event, language: str) -> dict[str, str]:
    return {"event": wording.name(event, language), "when": wording.when(event, language)}


def _first_name(tracker: Tracker) -> str | None:
    name = tracker.get_slot(FIRST_NAME)
    return name if name and name != "unknown" else None


def _calendar_link(calendar_token: str, language: str) -> str:
    """The link's key is the registration's long random token, never the short code that
    checks the person in at the door."""
    base = wiring.public_base_url()
    path = f"/webhooks/calendar/{calendar_token}.ics" + ("?lang=es" if language == "es" else "")
    return f"{base}{path}" if base else path


class ActionEventsStart(OffTheEventLoop):
    """"Job fair", "feria de empleo", an event's code or a Telegram deep link."""

    def name(self) -> str:
        return "action_events_start"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        if tracker.get_slot(slots.OPTED_OUT):
            return _finish()
        events = consent_notice_if_first(dispatcher, tracker, message)
        now = wiring.now()
        catalog = wiring.event_catalog()
        code = message.metadata.get("event_code") or code_like(message.text)
        if code:
            record = catalog.get_event(code)
            if record is not None:
                return events + start_registration(dispatcher, tracker, record, message.language, now)
        every_upcoming = catalog.list_upcoming(now)
        named = events_named(message.text, [label_of(record) for record in every_upcoming])
        if len(named) == 1:
            # "I want to register for hospitality hires": straight to it, no list.
            record = next(record for record in every_upcoming if record.code == named[0])
            return events + start_registration(dispatcher, tracker, record, message.language, now)
        if named:
            # Several fit the words ("the hotel job fair"): the choice is among those only.
            return events + _continue(CHOOSE, **{slots.EVENT_OPTIONS: named[:MAX_LISTED]})
        sectors = set(tracker.get_slot(SECTORS) or [])
        upcoming = catalog.list_upcoming(now, sectors) or every_upcoming
        if not upcoming:
            if not tracker.get_slot(slots.SCREENING_DONE):
                # Nothing to sign up for: the person is not left there, the intake asks its next
                # question (the first, or the one a question about events interrupted).
                dispatcher.utter_message(response="utter_no_events_meanwhile_intake")
                return events + [FollowupAction(INTAKE_FORM)]
            dispatcher.utter_message(response="utter_no_events")
            return events + _finish()
        options = [record.code for record in upcoming[:MAX_LISTED]]
        return events + _continue(CHOOSE, **{slots.EVENT_OPTIONS: options})


def label_of(record: EventRecord) -> EventLabel:
    """What a seeker may call the event by: its code, its names, its sectors, its day."""
    event = record.event
    return EventLabel(
        code=record.code,
        names=tuple(str(name) for name in event.name.values()),
        sectors=tuple(event.sectors),
        day=event.starts_at.astimezone(EVENT_ZONE).date(),
    )


def consent_notice_if_first(dispatcher: CollectingDispatcher, tracker: Tracker, message) -> list[EventType]:
    if tracker.get_slot(slots.CONSENT_NOTICE_SHOWN):
        return []
    wiring.store().record_consent_notice(message.channel, message.address, message.language)
    events: list[EventType] = []
    # A worker whose first reply to a WARN outreach text asks about job fairs: that text carried
    # our name, rates, STOP and HELP; they are greeted about their layoff instead, as the intake does.
    answers = conversation.answers_of(tracker)
    from_campaign = rapid_response.welcome_from_campaign(dispatcher, message, answers)
    if from_campaign is None:
        dispatcher.utter_message(response="utter_consent_notice")
    else:
        known, campaign_events = from_campaign
        events += campaign_events + keep_answers(message, answers, known)
    wiring.schedule_nudge(message.channel, message.address)
    events.append(SlotSet(slots.CONSENT_NOTICE_SHOWN, True))
    if tracker.get_slot(slots.LANGUAGE) is None:
        # Settled now, as the intake does, so a name like "Rosa" cannot flip it later.
        events.append(SlotSet(slots.LANGUAGE, message.language))
    return events


def start_registration(
    dispatcher: CollectingDispatcher, tracker: Tracker, record: EventRecord, language: str, now
) -> list[EventType]:
    """The seeker picked an event: say why not, or go on to confirm."""
    event = record.event
    window = registration_window(event, now)
    values = _event_values(event, language)
    seat = None
    if window == WINDOW_OPEN:  # only then can they already hold a seat worth saying so
        message = conversation.read(tracker)
        seat = next(
            (
                held.registration
                for held in wiring.registrations().registrations_of(message.channel, message.address, now)
                if held.event.code == record.code and held.registration.status == "registered"
            ),
            None,
        )
    decision = dialogue.opening(window, already_registered=seat is not None, knows_name=bool(_first_name(tracker)))
    if decision.action == dialogue.MOVE:
        return _continue(decision.step, **{slots.EVENT_CODE: record.code, slots.EVENT_ANSWERS: {}})
    if decision.response == "utter_event_not_open_yet":
        values["opens"] = wording.moment(event.registration_opens_at, language)
    elif decision.response == "utter_event_already_registered":
        values["code"] = seat.confirmation_code
    dispatcher.utter_message(response=decision.response, **values)
    return _finish()


class ActionEventsCancelStart(OffTheEventLoop):
    """"Cancel my registration", "can't make it", "cancelar mi lugar"."""

    def name(self) -> str:
        return "action_events_cancel_start"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        held = _active(message)
        if not held:
            dispatcher.utter_message(response="utter_no_registrations")
            return _finish()
        if len(held) == 1:
            return _continue(CANCEL_CONFIRM, **{slots.REGISTRATION_ID: held[0].registration.id})
        return _continue(CANCEL_WHICH, **{slots.EVENT_OPTIONS: [item.registration.id for item in held]})


def _active(message) -> list[RegistrationWithEvent]:
    """Registered, waitlisted or offered, for events not over yet."""
    return list(wiring.registrations().registrations_of(message.channel, message.address, wiring.now()))


class ActionListRegistrations(OffTheEventLoop):
    def name(self) -> str:
        return "action_list_registrations"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        held = _active(message)
        if not held:
            dispatcher.utter_message(response="utter_no_registrations")
            return []
        dispatcher.utter_message(response="utter_event_registrations", listing=_registration_lines(held, message.language))
        return []


def _registration_lines(held: list[RegistrationWithEvent], language: str) -> str:
    lines = []
    for number, item in enumerate(held, start=1):
        event = item.event.event
        status = item.registration.status
        note = item.registration.confirmation_code if status == "registered" else _status_word(status, language)
        lines.append(f"{number} {wording.name(event, language)}, {wording.when(event, language)} ({note})")
    return "\n".join(lines)


def _status_word(status: str, language: str) -> str:
    words = {
        "waitlisted": {"en": "waitlist", "es": "lista de espera"},
        "offered": {"en": "spot offered", "es": "lugar ofrecido"},
    }
    return localized(words.get(status, {"en": status}), language)


class ActionEventPrompt(OffTheEventLoop):
    """A message from the scheduler (seat offer, reminder, follow-up) opens its step."""

    def name(self) -> str:
        return "action_event_prompt"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        message = conversation.read(tracker)
        step = TRIGGERED_STEPS.get(message.intent or "")
        registration_id = message.metadata.get("registration_id")
        if step is None or registration_id is None:
            return _finish()
        return _continue(step, **{slots.REGISTRATION_ID: int(registration_id)})


class ActionAskEventReply(OffTheEventLoop):
    """Says what the current step of the event dialogue asks."""

    def name(self) -> str:
        return "action_ask_event_reply"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        language = tracker.get_slot(slots.LANGUAGE) or "en"
        step = tracker.get_slot(slots.EVENT_STEP)
        catalog, registrations = wiring.event_catalog(), wiring.registrations()
        if step == CHOOSE:
            events = [catalog.get_event(code) for code in tracker.get_slot(slots.EVENT_OPTIONS) or []]
            listing = wording.listing([record.event for record in events if record], language)
            dispatcher.utter_message(response="utter_event_list", listing=listing)
        elif step in (NAME, CONFIRM, WAITLIST, QUESTION):
            record = catalog.get_event(tracker.get_slot(slots.EVENT_CODE))
            if record is None:
                return []
            values = _event_values(record.event, language)
            if step == NAME:
                dispatcher.utter_message(response="utter_ask_event_name", **values)
            elif step == CONFIRM:
                dispatcher.utter_message(response="utter_event_confirm", name=_first_name(tracker) or "", **values)
            elif step == WAITLIST:
                dispatcher.utter_message(response="utter_event_full", **values)
            else:
                _ask_event_question(dispatcher, record.event, tracker.get_slot(slots.EVENT_ANSWERS) or {}, language)
        elif step == CANCEL_WHICH:
            held = [registrations.get_registration(ident) for ident in tracker.get_slot(slots.EVENT_OPTIONS) or []]
            listing = _registration_lines([item for item in held if item], language)
            dispatcher.utter_message(response="utter_event_cancel_which", listing=listing)
        elif step in (CANCEL_CONFIRM, OFFER, REMINDER, FOLLOWUP):
            held = registrations.get_registration(tracker.get_slot(slots.REGISTRATION_ID))
            if held is None:
                return []
            event = held.event.event
            values = _event_values(event, language)
            if step == CANCEL_CONFIRM:
                dispatcher.utter_message(response="utter_event_cancel_confirm", **values)
            elif step == OFFER:
                deadline = held.registration.offer_expires_at
                dispatcher.utter_message(
                    response="utter_event_offer",
                    deadline=wording.moment(deadline, language) if deadline else "",
                    **values,
                )
            elif step == REMINDER:
                dispatcher.utter_message(
                    response="utter_event_reminder",
                    place=wording.place(event),
                    bring=wording.bring(event, language),
                    **values,
                )
            else:
                dispatcher.utter_message(response="utter_event_followup", **values)
        return []


def _ask_event_question(dispatcher: CollectingDispatcher, event: Event, answers: dict[str, Any], language: str) -> None:
    question = dialogue.next_question(event, answers)
    if question is None:
        return
    buttons = [
        {"title": localized(choice.title, language), "payload": str(number)}
        for number, choice in enumerate(question.choices, start=1)
    ]
    dispatcher.utter_message(
        response="utter_event_question", question=localized(question.prompt, language), buttons=buttons or None
    )




class ValidateEventForm(OffTheEventLoop):
    """Reads each reply of the event dialogue and moves it on."""

    def name(self) -> str:
        return "validate_event_form"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        step = tracker.get_slot(slots.EVENT_STEP)
        if not conversation.is_fresh_reply(tracker, FORM_NAME):
            # Opening the dialogue, or back after a rule answered: ask the current step.
            return [SlotSet(slots.REQUESTED_SLOT, REPLY_SLOT if step else None)]
        message = conversation.read(tracker)
        if message.intent in _LEFT_TO_RULES and message.intent_confidence >= conversation.CONFIDENT_INTENT:
            return []  # no answer: the form steps aside and the STOP/HELP rules answer
        known = _KnownEvents()
        reply = dialogue.Reply(message.text, message.intent, message.language)
        decision = dialogue.read_reply(step, reply, _context(step, tracker, known))
        return await _carry_out(decision, dispatcher, tracker, message, known)


class _KnownEvents:
    """The events this turn has loaded, by code, so the one picked costs no second query."""

    def __init__(self) -> None:
        self.records: dict[str, EventRecord] = {}

    def keep(self, records: Sequence[EventRecord]) -> list[EventLabel]:
        for record in records:
            self.records[record.code] = record
        return [label_of(record) for record in records]

    def event(self, code: str | None) -> EventRecord | None:
        if code is None:
            return None
        if code not in self.records:
            record = wiring.event_catalog().get_event(code)
            if record is None:
                return None
            self.records[code] = record
        return self.records[code]


def _context(step: str | None, tracker: Tracker, known: _KnownEvents) -> dialogue.Context:
    """What the step needs from the stores to read the reply (nothing for the yes/no steps)."""
    if step == CHOOSE:
        catalog = wiring.event_catalog()
        codes = tracker.get_slot(slots.EVENT_OPTIONS) or []
        listed = [record for record in (catalog.get_event(code) for code in codes) if record is not None]
        return dialogue.Context(
            listed=known.keep(listed), every_upcoming=lambda: known.keep(catalog.list_upcoming(wiring.now()))
        )
    if step in (CONFIRM, QUESTION, WAITLIST):
        record = known.event(tracker.get_slot(slots.EVENT_CODE))
        return dialogue.Context(
            event=record.event if record is not None else None, answers=tracker.get_slot(slots.EVENT_ANSWERS) or {}
        )
    if step == CANCEL_WHICH:
        return dialogue.Context(options=tracker.get_slot(slots.EVENT_OPTIONS) or [])
    return dialogue.Context()


async def _carry_out(
    decision: Next, dispatcher: CollectingDispatcher, tracker: Tracker, message, known: _KnownEvents
) -> list[EventType]:
    """Does what the dialogue decided, against the stores, and says it."""
    action = decision.action
    registration_id = tracker.get_slot(slots.REGISTRATION_ID)
    if action == dialogue.MOVE:
        values: dict[str, Any] = {}
        if decision.answers is not None:
            values[slots.EVENT_ANSWERS] = dict(decision.answers)
        if decision.registration_id is not None:
            values[slots.REGISTRATION_ID] = decision.registration_id
        return _continue(decision.step, **values)
    if action == dialogue.FINISH:
        if decision.response:
            dispatcher.utter_message(response=decision.response)
        return _finish()
    if action == dialogue.NOT_UNDERSTOOD:
        return await _not_understood(dispatcher, tracker, decision.step)
    if action == dialogue.START:
        record = known.event(decision.event_code)
        if record is None:
            return _finish()
        return start_registration(dispatcher, tracker, record, message.language, wiring.now())
    if action == dialogue.SAVE_NAME:
        wiring.store().save_answers(message.channel, message.address, {FIRST_NAME: decision.name})
        return [SlotSet(FIRST_NAME, decision.name)] + _continue(decision.step)
    if action == dialogue.REGISTER:
        record = known.event(tracker.get_slot(slots.EVENT_CODE))
        if record is None:
            return _finish()
        return _register(dispatcher, message, record, dict(decision.answers or {}), decision.join_waitlist)
    if action == dialogue.CANCEL:
        return _cancel(dispatcher, message, registration_id)
    if action == dialogue.KEEP:
        held = wiring.registrations().get_registration(registration_id)
        if held is not None:
            dispatcher.utter_message(response="utter_event_kept", **_event_values(held.event.event, message.language))
        return _finish()
    if action in (dialogue.ACCEPT_OFFER, dialogue.DECLINE_OFFER):
        return _answer_offer(dispatcher, message, registration_id, accept=action == dialogue.ACCEPT_OFFER)
    if action == dialogue.CONFIRM_ATTENDANCE:
        confirmed = wiring.registrations().confirm_attendance(registration_id, wiring.now())
        dispatcher.utter_message(response="utter_event_see_you", code=confirmed.confirmation_code if confirmed else "")
        return _finish()
    if action == dialogue.RECORD_OUTCOME:
        wiring.registrations().record_outcome(registration_id, decision.outcome)
        dispatcher.utter_message(response="utter_event_followup_thanks")
        return _finish()
    raise ValueError(f"the event dialogue decided {action!r}, which no action carries out")


async def _not_understood(dispatcher: CollectingDispatcher, tracker: Tracker, step: str) -> list[EventType]:
    """The reply answers nothing this step asks. An answer to another question (a name, a ZIP,
    an age) is kept, as the intake would, and the step asked again without counting a
    misunderstanding; anything else is counted, and the count may offer a person."""
    kept = await _keep_other_answers(tracker, step)
    if kept:
        dispatcher.utter_message(response="utter_event_noted")
        return kept + _continue(step)
    dispatcher.utter_message(response=dialogue.AGAIN_RESPONSES.get(step, dialogue.PICK_AGAIN_RESPONSE))
    return handoff.note_misunderstanding(dispatcher, tracker) + _continue(step)


async def _keep_other_answers(tracker: Tracker, step: str) -> list[EventType]:
    message = conversation.read(tracker)
    updates, _ = await read_answers(message.text, None, message.language)
    if not updates and step == CHOOSE and not _first_name(tracker) and len(message.text.split()) <= _MAX_BARE_NAME_WORDS:
        # A bare "Jordan" while the event list is up: the name we would ask for next anyway.
        # Only there, and only a word or two: at other steps "see you there" is no name.
        name = parse_first_name(message.text)
        updates = {FIRST_NAME: name} if name else {}
    if not updates:
        return []
    return keep_answers(message, conversation.answers_of(tracker), updates)


def _register(dispatcher, message, record: EventRecord, answers: dict[str, Any], join_waitlist: bool = False) -> list[EventType]:
    now = wiring.now()
    outcome = wiring.registrations().register(
        record.code, message.channel, message.address, answers, now, join_waitlist=join_waitlist
    )
    event = record.event
    decision = dialogue.after_registering(outcome.kind, answers, opens_known=event.registration_opens_at is not None)
    if decision.action == dialogue.CONFIRM_SEAT:
        _confirm_registration(dispatcher, message, event, outcome.registration, now)
        return _finish()
    if decision.action == dialogue.MOVE:
        return _continue(decision.step, **{slots.EVENT_ANSWERS: dict(decision.answers or {})})
    values = _event_values(event, message.language)
    if decision.response == "utter_event_already_registered":
        values["code"] = outcome.registration.confirmation_code
    elif decision.response == "utter_event_waitlisted":
        values["position"] = outcome.waitlist_place or 1
    elif decision.response == "utter_event_not_open_yet":
        values["opens"] = wording.moment(event.registration_opens_at, message.language)
    dispatcher.utter_message(response=decision.response, **values)
    return _finish()


def _confirm_registration(dispatcher, message, event: Event, registration, now) -> None:
    """A seat is theirs: plan the reminders and the follow-up, and say everything they need."""
    scheduled = wiring.scheduled_messages()
    for planned in planning.reminder_plan(event, now):
        scheduled.schedule(planned.kind, message.channel, message.address, planned.due_at, planned.deadline, registration.id)
    dispatcher.utter_message(
        response="utter_event_registered",
        place=wording.place(event),
        bring=wording.bring(event, message.language),
        code=registration.confirmation_code,
        calendar=_calendar_link(registration.calendar_token or "", message.language),
        **_event_values(event, message.language),
    )


def _cancel(dispatcher, message, registration_id: int) -> list[EventType]:
    registrations = wiring.registrations()
    held = registrations.get_registration(registration_id)
    outcome = registrations.cancel(registration_id, wiring.now())
    if held is not None and outcome.kind == "cancelled":
        dispatcher.utter_message(response="utter_event_cancelled", **_event_values(held.event.event, message.language))
        offer_seats(outcome.promoted)
    return _finish()


def _answer_offer(dispatcher, message, registration_id: int, *, accept: bool) -> list[EventType]:
    registrations = wiring.registrations()
    now = wiring.now()
    held = registrations.get_registration(registration_id)
    if held is None:
        return _finish()
    if not accept:
        outcome = registrations.decline_offer(registration_id, now)
        dispatcher.utter_message(response="utter_event_offer_declined")
        offer_seats(outcome.promoted)
        return _finish()
    outcome = registrations.accept_offer(registration_id, now)
    decision = dialogue.after_offer_answer(outcome.kind)
    if decision.action == dialogue.CONFIRM_SEAT and outcome.registration is not None:
        _confirm_registration(dispatcher, message, held.event.event, outcome.registration, now)
    else:
        dispatcher.utter_message(response=decision.response or "utter_event_offer_gone")
        offer_seats(outcome.promoted)
    return _finish()


def offer_seats(promoted) -> None:
    """Each person a freed seat went to gets the offer, sent by the scheduler right away."""
    scheduled = wiring.scheduled_messages()
    now = wiring.now()
    for registration in promoted:
        deadline = registration.offer_expires_at or now
        scheduled.schedule("offer", registration.channel, registration.address, now, max(deadline, now), registration.id)
