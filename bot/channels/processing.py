"""Processes stored inbound messages after the webhook has answered: one worker per person,
oldest message first, so each person's messages reach the dialogue one at a time and in order.

A message is marked `processing` before the dialogue sees it and `processed` after. At start,
anything still `received` or `processing` is picked up again; a `processing` message the
dialogue already recorded (its id is in the Rasa tracker) is not run a second time: the replies
its recorded turn made are queued instead (they are queued only with the processed mark).

While a handoff is open, every message of that person is marked with it for the staff console,
whether the bot answers it or not. The bot is paused only when the seeker asked for a person or
staff have claimed the conversation (bot.handoff.model.pauses_the_bot): then STOP, START, HELP,
requests about events and registrations, and replies within an event dialogue still reach the
dialogue, and anything else is kept for staff with no answer from the bot.

A turn's replies are queued with the message's `processed` mark, in one transaction, once Rasa
has recorded the turn. A turn that cannot be recorded (the tracker store or the action server
unavailable or answering 5xx, bot/turn_recording.py; the database gone) leaves the message
unprocessed and stops that person's worker: the poll runs it again later, whole, and nothing was
queued for it. After MAX_TURN_ATTEMPTS such failures in a row the message is given up and
answered with an apology (TURN_UNANSWERED), so it holds that person's later messages no longer.

A message can be announced three ways: `wake` (stored by this process), `announce` (stored by
the webhook process, which sent its id; see wake.py) and `keep_polling`, which finds anything
stored that no announcement reached, so a lost wake delays a message but never loses it.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from sqlalchemy.exc import DBAPIError

from bot.channels import inbound as kinds
from bot import channel_replies as replies
from bot.understanding.dialogue_input import (
    ASK_EVENTS,
    HELP,
    OPT_IN,
    OPT_OUT,
    REQUEST_HUMAN,
    DialogueInput,
    asks_for_a_person,
    dialogue_input,
)
from bot.hiring_events.model import code_like
from bot.handoff.model import pauses_the_bot
from bot.metrics import TURN_SECONDS, TURNS
from bot.understanding.events import asks_about_events
from bot.channels.outbox import Outbox
from bot.channels.providers import telegram_message_ref
from bot.responses import ALWAYS_ANSWERED, OPTED_OUT_CONFIRMATION
from bot.store import IntakeStore, MessageLog, MessageRecord, OutboundToQueue, address_digest
from bot.store.handoff_store import HandoffStore, OpenHandoffState
from bot.store.person_claims import PersonClaims
from bot.store.records import SeekerRecord
from bot.store.transactions import unit_of_work
from bot.turn_recording import TurnNotRecorded, begin_turn
from bot.store.vocabulary import (
    CONSENT_OPTED_OUT,
    DIRECTION_IN,
    HANDOFF_WAITING,
    INBOUND_IGNORED,
    INBOUND_PROCESSED,
    INBOUND_PROCESSING,
    INBOUND_RECEIVED,
)

logger = logging.getLogger(__name__)

HandleMessage = Callable[[UserMessage], Awaitable[Any]]
# (sender, message id) -> None if the dialogue has no record of that message, else the replies
# its recorded turn made (Rasa's BotUttered messages).
AlreadyHandled = Callable[[str, str], Awaitable[list[dict[str, Any]] | None]]
# Whether this sender's conversation is in the middle of the event dialogue (an open event_form).
InEventDialogue = Callable[[str], Awaitable[bool]]


def _run_again_later() -> tuple[type[BaseException], ...]:
    """What leaves a message to be run again later: the turn was not recorded, the database or
    the Redis lock store could not be reached, the conversation's lock was not had in time.
    Anything else is a fault of the message itself."""
    from rasa.core.lock_store import LockError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (TurnNotRecorded, DBAPIError, LockError, RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


RUN_AGAIN_LATER = _run_again_later()
# A message whose turn fails to be recorded this many times in a row is given up (logged), so
# that a turn that always fails cannot hold that person's messages for ever.
MAX_TURN_ATTEMPTS = 10

# Carrier keywords must work whoever has the conversation; everything else waits for staff.
REACHES_A_PAUSED_DIALOGUE = frozenset({OPT_OUT, OPT_IN, HELP})


@dataclass(frozen=True)
class _TurnContext:
    seeker: SeekerRecord | None
    offered_buttons: list[dict[str, str]] | None  # the choices the bot's last text offered
    event_code: str | None  # the event the message names, if it is one's code
    handoff: OpenHandoffState | None


class DurableOutput(OutputChannel):
    """Rasa's replies to one inbound message, queued in the outbox as the dialogue makes them."""

    def __init__(
        self,
        channel: str,
        outbox: Outbox,
        inbound: MessageRecord | None,
        suppressed: frozenset[str] = frozenset(),
        collected: list[OutboundToQueue] | None = None,
    ) -> None:
        self._channel = channel
        self._outbox = outbox
        self._inbound = inbound
        self._suppressed = suppressed
        # Given: replies are kept there, to be queued once the turn is recorded.
        self._collected = collected
        # Whether the dialogue said anything, even what was then withheld (an opted-out person).
        self.spoke = False

    def name(self) -> str:  # type: ignore[override]
        return self._channel

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.spoke = True
        text = (message.get("text") or "").strip()
        utterance = message.get("utter_action")
        if not text or utterance in self._suppressed:
            return  # withheld by the consent-aware NLG, or already said by the carrier
        buttons = [
            {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
            for button in message.get("buttons") or []
        ]
        reply = OutboundToQueue(
            self._channel,
            recipient_id,
            text,
            buttons=buttons or None,
            language=message.get("language"),
            in_reply_to=self._inbound.id if self._inbound is not None else None,
            consent_exempt=utterance in ALWAYS_ANSWERED,
        )
        if self._collected is not None:
            self._collected.append(reply)
            return
        await self._outbox.queue_async(reply)


class InboundProcessor:
    def __init__(
        self,
        log: MessageLog,
        store: IntakeStore,
        outbox: Outbox,
        handle_message: HandleMessage,
        already_handled: AlreadyHandled | None = None,
        is_event_code: Callable[[str], bool] | None = None,
        handoffs: HandoffStore | None = None,
        in_event_dialogue: InEventDialogue | None = None,
        claims: PersonClaims | None = None,
    ) -> None:
        # Across instances: a person's messages are worked on by one process at a time.
        self._claims = claims
        self._in_event_dialogue = in_event_dialogue
        self._is_event_code = is_event_code
        self._handoffs = handoffs
        self._log = log
        self._store = store
        self._outbox = outbox
        self._handle_message = handle_message
        self._already_handled = already_handled
        self._workers: dict[tuple[str, str], asyncio.Task] = {}
        # Set when a message arrives while that person's worker is busy: look again.
        self._more: set[tuple[str, str]] = set()
        self._lookups: set[asyncio.Task] = set()  # announcements being resolved to a person
        self._failed_turns: dict[int, int] = {}  # message id -> turns not recorded in a row

    def wake(self, channel: str, address: str) -> None:
        person = (channel, address)
        self._more.add(person)
        if person not in self._workers:
            self._workers[person] = asyncio.get_running_loop().create_task(self._work(person))

    def announce(self, message_id: int) -> None:
        """Another process stored inbound message `message_id`: wakes its sender's worker."""
        lookup = asyncio.get_running_loop().create_task(self._wake_sender_of(message_id))
        self._lookups.add(lookup)
        lookup.add_done_callback(self._lookups.discard)

    async def _wake_sender_of(self, message_id: int) -> None:
        try:
            record = await asyncio.to_thread(self._log.get, message_id)
        except Exception:
            logger.exception("could not read announced message %d; the poll will find it", message_id)
            return
        if record is not None and record.direction == DIRECTION_IN and record.status == INBOUND_RECEIVED:
            self.wake(record.channel, record.address)

    async def wake_waiting(self) -> int:
        """Starts a worker for everyone with messages stored but not processed and no worker;
        returns how many. A person who has a worker is left to it: it reads on until nothing is
        left, and should it stop just before such a message was stored, the next call finds it."""
        waiting = await asyncio.to_thread(self._log.people_with_waiting_inbound)
        unattended = [person for person in waiting if person not in self._workers]
        for channel, address in unattended:
            self.wake(channel, address)
        return len(unattended)

    async def recover(self) -> int:
        """Starts workers for everyone with messages stored but not processed; returns how many."""
        resumed = await self.wake_waiting()
        if resumed:
            logger.info("resuming unprocessed messages of %d people", resumed)
        return resumed

    async def keep_polling(self, interval_seconds: float) -> None:
        """Runs until cancelled: every `interval_seconds`, wakes people whose stored messages no
        announcement reached (a lost wake datagram, or stored while this process was down)."""
        while True:
            await asyncio.sleep(interval_seconds)
            try:
                found = await self.wake_waiting()
            except Exception:
                logger.exception("looking for waiting messages failed; trying again")
                continue
            if found:
                logger.debug("found waiting messages of %d people that no wake announced", found)

    async def idle(self) -> None:
        """Waits until every worker has finished (for shutdown and tests)."""
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)

    async def _work(self, person: tuple[str, str]) -> None:
        channel, address = person
        try:
            if self._claims is not None and not await asyncio.to_thread(self._claims.try_claim, channel, address):
                # Another instance is working through this person's messages and reads on until
                # none is left; one it stops just short of is found by the poll.
                self._more.discard(person)
                return
            try:
                while person in self._more:
                    self._more.discard(person)
                    record = await asyncio.to_thread(self._log.next_inbound, channel, address)
                    while record is not None:
                        record = await self._process_safely(record)
            finally:
                if self._claims is not None:
                    await asyncio.to_thread(self._claims.release, channel, address)
        except RUN_AGAIN_LATER as trouble:
            # The message stays `received` or `processing`; the poll wakes this person again.
            logger.warning(
                "messages of %s left for later: %s", address_digest(channel, address), _described(trouble)
            )
        finally:
            self._workers.pop(person, None)

    async def _process_safely(self, record: MessageRecord) -> MessageRecord | None:
        """Processes `record`; returns the person's next message, taken in the transaction that
        marks this one finished."""
        noted: dict[str, Any] | None = None
        answers: list[OutboundToQueue] = []
        started = time.perf_counter()
        outcome = "processed"
        try:
            status, noted = await self._process(record, answers)
        except RUN_AGAIN_LATER as trouble:
            failures = self._failed_turns.get(record.id, 0) + 1
            if failures < MAX_TURN_ATTEMPTS:
                self._failed_turns[record.id] = failures
                TURNS.inc(outcome="run_again_later")
                raise
            logger.error("message %d: its turn failed %d times (%s); given up", record.id, failures, _described(trouble))
            status, outcome = INBOUND_PROCESSED, "failed"
            answers = await self._apology_for_a_turn_given_up(record)
        except Exception:
            # Marked processed anyway: a message that crashes the dialogue would otherwise be
            # retried forever and block everything this person sends after it.
            logger.exception("processing message %d failed", record.id)
            status, answers, outcome = INBOUND_PROCESSED, [], "failed"
        TURNS.inc(outcome=outcome)
        TURN_SECONDS.observe(time.perf_counter() - started)
        self._failed_turns.pop(record.id, None)
        extra = {"details": noted} if noted else {}
        following = await asyncio.to_thread(self._finish_and_take_next, record, status, answers, extra)
        if answers:
            self._outbox.notify()
        return following

    async def _apology_for_a_turn_given_up(self, record: MessageRecord) -> list[OutboundToQueue]:
        """The last resort for a message whose turn failed every time (the action server down
        all along): the person is asked to try again, unless they opted out."""
        seeker = await asyncio.to_thread(self._store.find_seeker, record.channel, record.address)
        if seeker is not None and seeker.consent_status == CONSENT_OPTED_OUT:
            return []
        apology: list[OutboundToQueue] = []
        language = _reply_language(record)
        output = DurableOutput(record.channel, self._outbox, record, collected=apology)
        await output.send_response(
            record.address, {"text": replies.reply(replies.TURN_UNANSWERED, language), "language": language}
        )
        return apology

    def _finish_and_take_next(
        self, record: MessageRecord, status: str, answers: list[OutboundToQueue], extra: dict[str, Any]
    ) -> MessageRecord | None:
        """Marks the message finished with its replies queued, and takes the person's next one, in
        one transaction."""
        with unit_of_work(self._log.engine):
            self._log.finish_inbound(record.id, status, replies=answers, **extra)
            return self._log.next_inbound(record.channel, record.address)

    async def _process(
        self, record: MessageRecord, answers: list[OutboundToQueue]
    ) -> tuple[str, dict[str, Any] | None]:
        """(status, details to add to the stored message); the dialogue's replies go to
        `answers`."""
        details = record.details or {}
        if record.kind == kinds.BLOCKED:
            await asyncio.to_thread(self._store.record_opt_out, record.channel, record.address, "blocked")
            return INBOUND_PROCESSED, None
        if record.kind == kinds.UNBLOCKED:
            # Not an opt-in by itself: the person opts back in with the /start that follows
            # (Telegram's Restart button), which the dialogue confirms.
            return INBOUND_PROCESSED, None
        if record.kind == kinds.BUTTON and await self._is_stale_press(record):
            logger.info("message %d: a button of an earlier question, ignored", record.id)
            return INBOUND_IGNORED, None
        if record.kind == kinds.GROUP:
            await self._answer_group(record)
            return INBOUND_IGNORED, None
        if record.kind in (kinds.MEDIA, kinds.LOCATION, kinds.CONTACT):
            key = {
                kinds.MEDIA: replies.CANNOT_READ_MEDIA,
                kinds.LOCATION: replies.LOCATION_RECEIVED,
                kinds.CONTACT: replies.CONTACT_RECEIVED,
            }[record.kind]
            await self._canned_reply(record, key)
            if not record.text.strip():
                return INBOUND_PROCESSED, None  # a caption, if any, goes on to the dialogue
        if record.kind == kinds.OTHER:
            return INBOUND_IGNORED, None
        interrupted = record.status == INBOUND_PROCESSING  # started before a crash
        if interrupted and self._already_handled is not None:
            recorded = await self._already_handled(record.address, str(record.id))
            if recorded is not None:
                # Its replies are queued only with the processed mark, so they were lost with
                # it: queued now from what the recorded turn said, and the turn is not repeated.
                output = DurableOutput(record.channel, self._outbox, record, _suppressed_for(details), answers)
                for reply in recorded:
                    await output.send_response(record.address, reply)
                logger.info("message %d was handled before a restart; its %d replies queued, not repeated", record.id, len(answers))
                return INBOUND_PROCESSED, None
        return INBOUND_PROCESSED, await self._run_dialogue(record, details, answers)

    async def _run_dialogue(
        self, record: MessageRecord, details: dict[str, Any], answers: list[OutboundToQueue]
    ) -> dict[str, Any] | None:
        """One dialogue turn for the message, unless a handoff pauses the bot: then the message
        is only noted as staff's. Returns what to add to the stored message: during an open
        handoff {"handoff_id": ...}, plus "answered_by_bot" when the bot answered it."""
        known = await asyncio.to_thread(self._what_the_turn_needs, record, details)
        seeker = known.seeker
        opted_out = seeker is not None and seeker.consent_status == CONSENT_OPTED_OUT
        given = dialogue_input(
            record.text,
            opted_out=opted_out,
            offered_buttons=known.offered_buttons,
            command=details.get("command"),
            command_payload=details.get("command_payload"),
            language=seeker.language if seeker is not None else None,
        )
        if known.event_code is not None:
            # An event's code ("HHC") or a deep link to it (/start HHC) starts its registration.
            given = DialogueInput(ASK_EVENTS, {"event_code": known.event_code})
        noted: dict[str, Any] | None = None
        if self._handoffs is not None:
            state = known.handoff
            if state is not None:
                noted = {"handoff_id": state.id}  # in the staff console's transcript either way
                if pauses_the_bot(state.reason, state.status) and not _opened_by_this_message(state, record):
                    if state.status == HANDOFF_WAITING and asks_for_a_person(record.text):
                        # Asking again before anyone has it gets an answer: in line, and the wait.
                        given = DialogueInput(REQUEST_HUMAN, {"keyword": record.text.strip()[:40]})
                    elif not await self._reaches_a_paused_dialogue(record, given):
                        logger.debug("message %d is for staff (handoff %d): the bot stays quiet", record.id, state.id)
                        return noted
        metadata = dict(given.metadata)
        hint = details.get("language_hint")
        if given.text.startswith("/") and hint in ("en", "es"):
            metadata.setdefault("keyword_language", hint)  # the phone's language, for /start
        output = DurableOutput(record.channel, self._outbox, record, _suppressed_for(details), collected=answers)
        begin_turn()
        logger.debug("dialogue turn for %s (message %d)", address_digest(record.channel, record.address), record.id)
        await self._handle_message(
            UserMessage(
                given.text,
                output,
                record.address,
                input_channel=record.channel,
                message_id=str(record.id),
                metadata=metadata or None,
            )
        )
        if not output.spoke and not opted_out:
            # The dialogue said nothing at all to someone who has not opted out: an action failed
            # (Rasa goes on without its events) or no rule fit. Nobody is left without an answer.
            logger.warning("message %d: the dialogue gave no reply; the person is asked to try again", record.id)
            # Through the turn's own output: queued with the processed mark, like any reply.
            language = _reply_language(record)
            await output.send_response(
                record.address, {"text": replies.reply(replies.TURN_UNANSWERED, language), "language": language}
            )
        return {**noted, "answered_by_bot": True} if noted else None

    def _what_the_turn_needs(self, record: MessageRecord, details: dict[str, Any]) -> _TurnContext:
        """Everything a turn reads before the dialogue, in one read transaction (one commit
        instead of one per question asked of the database)."""
        with unit_of_work(self._log.engine, writing=False):
            seeker = self._store.find_seeker(record.channel, record.address)
            offered = None
            if record.kind != kinds.BUTTON:
                previous = self._log.latest_outbound(record.channel, record.address)
                offered = previous.buttons if previous is not None else None
            code = _event_code_asked_for(record.text, details, self._is_event_code)
            handoff = (
                self._handoffs.open_state(record.channel, record.address) if self._handoffs is not None else None
            )
        return _TurnContext(seeker, offered, code, handoff)

    async def _reaches_a_paused_dialogue(self, record: MessageRecord, given: DialogueInput) -> bool:
        """What the bot still answers while waiting for staff: carrier keywords, an event's code,
        questions about events and registrations, and the replies of an event dialogue begun
        meanwhile (a number, a name, "yes")."""
        if given.text in REACHES_A_PAUSED_DIALOGUE or given.text == ASK_EVENTS:
            return True
        if asks_about_events(record.text):
            return True
        return self._in_event_dialogue is not None and await self._in_event_dialogue(record.address)

    async def _is_stale_press(self, record: MessageRecord) -> bool:
        """A press on a keyboard that is no longer the latest one (a double tap, an old message)
        would answer whatever question is asked now, so it is ignored."""
        pressed = (record.details or {}).get("button_message_id")
        if pressed is None:
            return False
        latest = await asyncio.to_thread(self._log.latest_outbound_with_buttons, record.channel, record.address)
        return latest is None or latest.provider_id != telegram_message_ref(record.address, pressed)

    async def _answer_group(self, record: MessageRecord) -> None:
        previous = await asyncio.to_thread(self._log.latest_outbound, record.channel, record.address)
        if previous is None:  # said once per group, not to every message in it
            await self._canned_reply(record, replies.GROUP_REFUSED)

    async def _canned_reply(self, record: MessageRecord, key: str) -> None:
        language = _reply_language(record)
        await self._outbox.send_async(
            record.channel,
            record.address,
            replies.reply(key, language),
            language=language,
            in_reply_to=record.id,
        )


def _reply_language(record: MessageRecord) -> str | None:
    """The language to answer a message in without the dialogue: its own, else the phone's hint."""
    language = record.language or (record.details or {}).get("language_hint")
    return language if language in ("en", "es") else None


def _opened_by_this_message(state: OpenHandoffState, record: MessageRecord) -> bool:
    """The handoff was opened by this very message's earlier turn, which the dialogue never
    recorded (the Rasa server died, or the database went, before it saved): the turn runs again
    and answers, and opening the handoff again finds it open (HandoffStore.open_handoff)."""
    return (
        record.status == INBOUND_PROCESSING
        and state.created_at is not None
        and state.created_at >= record.created_at
    )


def _suppressed_for(details: dict[str, Any]) -> frozenset[str]:
    """Replies not to send for this message: Twilio's Advanced Opt-Out has already confirmed a
    STOP itself; a second confirmation from us would be blocked anyway (error 21610)."""
    return frozenset({OPTED_OUT_CONFIRMATION}) if details.get("OptOutType") == "STOP" else frozenset()


def _described(trouble: Exception) -> str:
    """An error's kind and first line, never the SQL with its parameters (personal data)."""
    first_line = str(trouble).splitlines()[0] if str(trouble) else ""
    if isinstance(trouble, DBAPIError):
        first_line = str(trouble.orig).splitlines()[0] if trouble.orig is not None else ""
    return f"{type(trouble).__name__}: {first_line}"[:200]


def _event_code_asked_for(
    text: str, details: dict[str, Any], is_event_code: Callable[[str], bool] | None
) -> str | None:
    """The event a one-word message or a deep link names. Codes should not be everyday words
    ("HEALTH" would catch someone answering the sector question); the examples are not."""
    if is_event_code is None:
        return None
    if details.get("command") == "start":
        candidate = details.get("command_payload") or ""
    elif details.get("command"):
        return None
    else:
        candidate = text
    code = code_like(candidate)
    return code if code is not None and is_event_code(code) else None
