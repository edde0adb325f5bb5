"""Hiring events by text: the event dialogue (`event_form`) and the actions that open it.

The form has one slot, `event_reply`; where the dialogue stands is kept in `event_step`:

    choose ─► (name) ─► confirm ─► question* ─► registered
       │                   └─ full ─► waitlist
    cancel_which ─► cancel_confirm          offer / reminder / followup (sent by the scheduler)

`validate_event_form` reads each reply and moves on (or ends the dialogue by clearing the
requested slot); `action_ask_event_reply` says what the current step asks.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import slots
from bot.actions import conversation, handoff, wiring
from bot.actions.off_the_loop import OffTheEventLoop
from bot.actions.intake import keep_answers, read_answers
from bot.answers import FIRST_NAME, SECTORS
from bot.understanding.numbered_choices import select_choice
from bot.hiring_events import schedule as planning
from bot.hiring_events import wording
from bot.hiring_events.model import EVENT_ZONE, Event, code_like, localized
from bot.store.hiring_event_rows import EventRecord, RegistrationWithEvent
from bot.understanding.events import EventLabel, events_named, pick_from_list
from bot.understanding.names import parse_first_name
from bot.understanding.yes_no import parse_yes_no

logger = logging.getLogger(__name__)

FORM_NAME = "event_form"
REPLY_SLOT = "event_reply"

CHOOSE, NAME, CONFIRM, QUESTION, WAITLIST = "choose", "name", "confirm", "question", "waitlist"
CANCEL_WHICH, CANCEL_CONFIRM = "cancel_which", "cancel_confirm"
OFFER, REMINDER, FOLLOWUP = "offer", "reminder", "followup"

# The intents the scheduler sends and the step each opens.
TRIGGERED_STEPS = {"event_offer": OFFER, "event_reminder": REMINDER, "event_followup": FOLLOWUP}
# Requests that the dialogue leaves to the rules (STOP, HELP and asking for a person work at
# every point).
_LEFT_TO_RULES = frozenset({"opt_out", "help", "request_human", handoff.FRUSTRATION_INTENT})
_OUTCOMES = {"1": "offer", "2": "no_offer", "3": "no_show"}
_YES_NO_BUTTONS = ({"title": "yes", "payload": "1"}, {"title": "no", "payload": "2"})
MAX_LISTED = 5  # an SMS-sized list
_MAX_BARE_NAME_WORDS = 2
# "Say that again" for the steps whose reply is not a number (the step's question follows).
_AGAIN_RESPONSES = {CHOOSE: "utter_event_pick_by_number_or_name", NAME: "utter_did_not_understand"}


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


def yes_or_no(text: str) -> str | None:
    """'1'/'yes'/'si' -> 'yes', '2'/'no' -> 'no' (the buttons are always yes first)."""
    picked = select_choice(text, list(_YES_NO_BUTTONS))
    if picked is not None:
        return "yes" if picked == "1" else "no"
    answer = parse_yes_no(text)
    return answer if answer in ("yes", "no") else None


def pick_number(text: str, count: int) -> int | None:
    """The 1-based option a reply picks out of `count` numbered ones."""
    buttons = [{"title": str(number), "payload": str(number)} for number in range(1, count + 1)]
    picked = select_choice(text, buttons)
    return int(picked) if picked is not None else None


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
        store = wiring.event_catalog()
        code = message.metadata.get("event_code") or code_like(message.text)
        if code:
            record = store.get_event(code)
            if record is not None:
                return events + start_registration(dispatcher, tracker, record, message.language, now)
        every_upcoming = store.list_upcoming(now)
        named = events_named(message.text, [label_of(record) for record in every_upcoming])
        if len(named) == 1:
            # "I want to register for hospitality hires": straight to it, no list.
            record = next(record for record in every_upcoming if record.code == named[0])
            return events + start_registration(dispatcher, tracker, record, message.language, now)
        if named:
            # Several fit the words ("the hotel job fair"): the choice is among those only.
            return events + _continue(CHOOSE, **{slots.EVENT_OPTIONS: named[:MAX_LISTED]})
        sectors = set(tracker.get_slot(SECTORS) or [])
        upcoming = store.list_upcoming(now, sectors) or every_upcoming
        if not upcoming:
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
    dispatcher.utter_message(response="utter_consent_notice")
    wiring.schedule_nudge(message.channel, message.address)
    events: list[EventType] = [SlotSet(slots.CONSENT_NOTICE_SHOWN, True)]
    if tracker.get_slot(slots.LANGUAGE) is None:
        # Settled now, as the intake does, so a name like "Rosa" cannot flip it later.
        events.append(SlotSet(slots.LANGUAGE, message.language))
    return events


def start_registration(
    dispatcher: CollectingDispatcher, tracker: Tracker, record: EventRecord, language: str, now
) -> list[EventType]:
    """The seeker picked an event: say why not, or go on to confirm."""
    from bot.hiring_events.model import registration_window

    event = record.event
    window = registration_window(event, now)
    values = _event_values(event, language)
    if window == "not_open_yet":
        dispatcher.utter_message(
            response="utter_event_not_open_yet",
            opens=wording.moment(event.registration_opens_at, language),
            **values,
        )
        return _finish()
    if window in ("closed", "past"):
        dispatcher.utter_message(response="utter_event_closed", **values)
        return _finish()
    message = conversation.read(tracker)
    for held in wiring.registrations().registrations_of(message.channel, message.address, now):
        if held.event.code == record.code and held.registration.status == "registered":
            dispatcher.utter_message(
                response="utter_event_already_registered", code=held.registration.confirmation_code, **values
            )
            return _finish()
    step = CONFIRM if _first_name(tracker) else NAME
    return _continue(step, **{slots.EVENT_CODE: record.code, slots.EVENT_ANSWERS: {}})


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


def _next_question(event: Event, answers: dict[str, Any]):
    return next((question for question in event.questions if question.key not in answers), None)


def _ask_event_question(dispatcher: CollectingDispatcher, event: Event, answers: dict[str, Any], language: str) -> None:
    question = _next_question(event, answers)
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
        handler = _STEPS.get(step)
        if handler is None:
            return _finish()
        return await handler(dispatcher, tracker, message)


async def _not_understood(dispatcher: CollectingDispatcher, tracker: Tracker, step: str) -> list[EventType]:
    """The reply answers nothing this step asks. An answer to another question (a name, a ZIP,
    an age) is kept, as the intake would, and the step asked again without counting a
    misunderstanding; anything else is counted, and the count may offer a person."""
    kept = await _keep_other_answers(tracker, step)
    if kept:
        dispatcher.utter_message(response="utter_event_noted")
        return kept + _continue(step)
    dispatcher.utter_message(response=_AGAIN_RESPONSES.get(step, "utter_event_pick_again"))
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


def _listed_records(options: list[str]) -> list[EventRecord]:
    store = wiring.event_catalog()
    return [record for record in (store.get_event(code) for code in options) if record is not None]


async def _on_choose(dispatcher, tracker, message) -> list[EventType]:
    listed = _listed_records(tracker.get_slot(slots.EVENT_OPTIONS) or [])
    now = wiring.now()
    number = pick_number(message.text, len(listed)) or pick_from_list(message.text, [label_of(r) for r in listed])
    record = listed[number - 1] if number else None
    if record is None:
        # An event named that the list left out (a list by sector, a code typed).
        every_upcoming = wiring.event_catalog().list_upcoming(now)
        named = events_named(message.text, [label_of(r) for r in every_upcoming])
        if len(named) == 1:
            record = next(r for r in every_upcoming if r.code == named[0])
    if record is None:
        if yes_or_no(message.text) == "no" or message.intent in ("deny", "goodbye", "thanks"):
            dispatcher.utter_message(response="utter_event_not_signed_up")
            return _finish()
        return await _not_understood(dispatcher, tracker, CHOOSE)
    return start_registration(dispatcher, tracker, record, message.language, now)


async def _on_name(dispatcher, tracker, message) -> list[EventType]:
    name = parse_first_name(message.text)
    if not name:
        return await _not_understood(dispatcher, tracker, NAME)
    events = [SlotSet(FIRST_NAME, name)]
    wiring.store().save_answers(message.channel, message.address, {FIRST_NAME: name})
    return events + _continue(CONFIRM)


async def _on_confirm(dispatcher, tracker, message) -> list[EventType]:
    answer = yes_or_no(message.text)
    if answer == "no":
        dispatcher.utter_message(response="utter_event_not_signed_up")
        return _finish()
    if answer != "yes":
        return await _not_understood(dispatcher, tracker, CONFIRM)
    record = wiring.event_catalog().get_event(tracker.get_slot(slots.EVENT_CODE))
    if record is None:
        return _finish()
    if _next_question(record.event, {}) is not None:
        return _continue(QUESTION, **{slots.EVENT_ANSWERS: {}})
    return _register(dispatcher, tracker, message, record, {})


async def _on_question(dispatcher, tracker, message) -> list[EventType]:
    record = wiring.event_catalog().get_event(tracker.get_slot(slots.EVENT_CODE))
    if record is None:
        return _finish()
    answers = dict(tracker.get_slot(slots.EVENT_ANSWERS) or {})
    question = _next_question(record.event, answers)
    if question is None:
        return _register(dispatcher, tracker, message, record, answers)
    if question.choices:
        titles = [
            {"title": localized(choice.title, message.language), "payload": choice.value}
            for choice in question.choices
        ]
        number = pick_number(message.text, len(question.choices))
        value = question.choices[number - 1].value if number else select_choice(message.text, titles)
        if value is None:
            return await _not_understood(dispatcher, tracker, QUESTION)
        answers[question.key] = value
    else:
        text = message.text.strip()
        if not text:
            return await _not_understood(dispatcher, tracker, QUESTION)
        answers[question.key] = text[:200]
    if _next_question(record.event, answers) is not None:
        return _continue(QUESTION, **{slots.EVENT_ANSWERS: answers})
    return _register(dispatcher, tracker, message, record, answers)


def _register(dispatcher, tracker, message, record: EventRecord, answers: dict[str, Any], join_waitlist: bool = False) -> list[EventType]:
    now = wiring.now()
    store = wiring.registrations()
    outcome = store.register(record.code, message.channel, message.address, answers, now, join_waitlist=join_waitlist)
    event = record.event
    values = _event_values(event, message.language)
    if outcome.kind in ("registered", "already_registered"):
        registration = outcome.registration
        if outcome.kind == "already_registered":
            dispatcher.utter_message(response="utter_event_already_registered", code=registration.confirmation_code, **values)
            return _finish()
        _confirm_registration(dispatcher, message, event, registration, now)
        return _finish()
    if outcome.kind in ("waitlisted", "already_waitlisted"):
        dispatcher.utter_message(response="utter_event_waitlisted", position=outcome.waitlist_place or 1, **values)
        return _finish()
    if outcome.kind == "full":
        return _continue(WAITLIST, **{slots.EVENT_ANSWERS: answers})
    if outcome.kind == "not_open_yet" and event.registration_opens_at:
        dispatcher.utter_message(response="utter_event_not_open_yet", opens=wording.moment(event.registration_opens_at, message.language), **values)
    else:
        dispatcher.utter_message(response="utter_event_closed", **values)
    return _finish()


def _confirm_registration(dispatcher, message, event: Event, registration, now) -> None:
    """A seat is theirs: plan the reminders and the follow-up, and say everything they need."""
    store = wiring.scheduled_messages()
    for planned in planning.reminder_plan(event, now):
        store.schedule(planned.kind, message.channel, message.address, planned.due_at, planned.deadline, registration.id)
    dispatcher.utter_message(
        response="utter_event_registered",
        place=wording.place(event),
        bring=wording.bring(event, message.language),
        code=registration.confirmation_code,
        calendar=_calendar_link(registration.calendar_token or "", message.language),
        **_event_values(event, message.language),
    )


async def _on_waitlist(dispatcher, tracker, message) -> list[EventType]:
    answer = yes_or_no(message.text)
    if answer == "no":
        dispatcher.utter_message(response="utter_event_not_signed_up")
        return _finish()
    if answer != "yes":
        return await _not_understood(dispatcher, tracker, WAITLIST)
    record = wiring.event_catalog().get_event(tracker.get_slot(slots.EVENT_CODE))
    if record is None:
        return _finish()
    return _register(dispatcher, tracker, message, record, tracker.get_slot(slots.EVENT_ANSWERS) or {}, join_waitlist=True)


async def _on_cancel_which(dispatcher, tracker, message) -> list[EventType]:
    options = tracker.get_slot(slots.EVENT_OPTIONS) or []
    number = pick_number(message.text, len(options))
    if number is None:
        if yes_or_no(message.text) == "no":
            return _finish()
        return await _not_understood(dispatcher, tracker, CANCEL_WHICH)
    return _continue(CANCEL_CONFIRM, **{slots.REGISTRATION_ID: options[number - 1]})


def _cancel(dispatcher, message, registration_id: int) -> list[EventType]:
    store = wiring.registrations()
    held = store.get_registration(registration_id)
    outcome = store.cancel(registration_id, wiring.now())
    if held is not None and outcome.kind == "cancelled":
        dispatcher.utter_message(response="utter_event_cancelled", **_event_values(held.event.event, message.language))
        offer_seats(outcome.promoted)
    return _finish()


def offer_seats(promoted) -> None:
    """Each person a freed seat went to gets the offer, sent by the scheduler right away."""
    store = wiring.scheduled_messages()
    now = wiring.now()
    for registration in promoted:
        deadline = registration.offer_expires_at or now
        store.schedule("offer", registration.channel, registration.address, now, max(deadline, now), registration.id)


async def _on_cancel_confirm(dispatcher, tracker, message) -> list[EventType]:
    answer = yes_or_no(message.text)
    registration_id = tracker.get_slot(slots.REGISTRATION_ID)
    if answer == "yes":
        return _cancel(dispatcher, message, registration_id)
    if answer == "no":
        held = wiring.registrations().get_registration(registration_id)
        if held is not None:
            dispatcher.utter_message(response="utter_event_kept", **_event_values(held.event.event, message.language))
        return _finish()
    return await _not_understood(dispatcher, tracker, CANCEL_CONFIRM)


async def _on_offer(dispatcher, tracker, message) -> list[EventType]:
    answer = yes_or_no(message.text)
    if answer is None:
        return await _not_understood(dispatcher, tracker, OFFER)
    store = wiring.registrations()
    registration_id = tracker.get_slot(slots.REGISTRATION_ID)
    now = wiring.now()
    held = store.get_registration(registration_id)
    if held is None:
        return _finish()
    if answer == "no":
        outcome = store.decline_offer(registration_id, now)
        dispatcher.utter_message(response="utter_event_offer_declined")
        offer_seats(outcome.promoted)
        return _finish()
    outcome = store.accept_offer(registration_id, now)
    if outcome.kind in ("registered", "already_registered") and outcome.registration is not None:
        _confirm_registration(dispatcher, message, held.event.event, outcome.registration, now)
    else:
        dispatcher.utter_message(response="utter_event_offer_gone")
        offer_seats(outcome.promoted)
    return _finish()


async def _on_reminder(dispatcher, tracker, message) -> list[EventType]:
    answer = yes_or_no(message.text)
    registration_id = tracker.get_slot(slots.REGISTRATION_ID)
    if answer == "no" or message.intent == "cancel_registration":
        return _cancel(dispatcher, message, registration_id)
    if answer == "yes":
        store = wiring.registrations()
        confirmed = store.confirm_attendance(registration_id, wiring.now())
        code = confirmed.confirmation_code if confirmed else ""
        dispatcher.utter_message(response="utter_event_see_you", code=code)
        return _finish()
    return await _not_understood(dispatcher, tracker, REMINDER)


async def _on_followup(dispatcher, tracker, message) -> list[EventType]:
    number = pick_number(message.text, 3)
    if number is None:
        return await _not_understood(dispatcher, tracker, FOLLOWUP)
    wiring.registrations().record_outcome(tracker.get_slot(slots.REGISTRATION_ID), _OUTCOMES[str(number)])
    dispatcher.utter_message(response="utter_event_followup_thanks")
    return _finish()


_STEPS = {
    CHOOSE: _on_choose,
    NAME: _on_name,
    CONFIRM: _on_confirm,
    QUESTION: _on_question,
    WAITLIST: _on_waitlist,
    CANCEL_WHICH: _on_cancel_which,
    CANCEL_CONFIRM: _on_cancel_confirm,
    OFFER: _on_offer,
    REMINDER: _on_reminder,
    FOLLOWUP: _on_followup,
}
