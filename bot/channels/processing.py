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
import collections
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
from bot.hiring_events.model import code_candidates, code_like
from bot.handoff.model import pauses_the_bot
from bot.metrics import TURN_SECONDS, TURNS
from bot.understanding.events import asks_about_events
from bot.channels.outbox import Outbox
from bot.channels.providers import reply_route, telegram_message_ref
from bot.responses import ALWAYS_ANSWERED, OPTED_OUT_CONFIRMATION
from bot.store import IntakeStore, MessageLog, MessageRecord, OutboundToQueue, address_digest
from bot.store.message_log import InboundClaim
from bot.store.handoff_store import HandoffStore, OpenHandoffState
from bot.store.person_claims import PersonClaims
from bot.store.records import SeekerRecord
from bot.store.transactions import unit_of_work
from bot.store.turn_context import TurnContextQuery
from bot import tracker_versions
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

# A worker whose person another instance has claimed tries again at these intervals (doubling),
# for as long as a few turns take; the poll finds anything left after that.
CLAIM_RETRY_FIRST_SECONDS = 0.1
CLAIM_RETRY_LONGEST_SECONDS = 1.0
CLAIM_WAIT_SECONDS = 30.0

# Seeker ids whose person is remembered for wakes (the most recently seen).
_PEOPLE_REMEMBERED = 10_000

# Kinds of message that never reach the dialogue: what a turn reads first is not read for them.
_NEVER_A_DIALOGUE_TURN = frozenset({kinds.BLOCKED, kinds.UNBLOCKED, kinds.GROUP, kinds.OTHER})

# Carrier keywords must work whoever has the conversation; everything else waits for staff.
REACHES_A_PAUSED_DIALOGUE = frozenset({OPT_OUT, OPT_IN, HELP})


@dataclass(frozen=True)
class _SeekerState:
    """What a turn needs of the seeker's row."""

    language: str | None
    consent_status: str | None


@dataclass(frozen=True)
class _TurnContext:
    seeker: SeekerRecord | _SeekerState | None
    offered_buttons: list[dict[str, str]] | None  # the choices the bot's last text offered
    event_code: str | None  # the event the message names, if it is one's code
    handoff: OpenHandoffState | None
    # The conversation's version read with the claim, for the tracker store's cache (None: not read).
    tracker_version: int | None = None


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
            # The way the person wrote in (our number), so the sender need not read it again.
            details=reply_route(self._inbound.details) or None if self._inbound is not None else None,
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
        turn_context: TurnContextQuery | None = None,
    ) -> None:
        # What a turn reads first, in one statement; without it, one read per store.
        self._turn_context = turn_context
        # Across instances: this process's identity, written on the messages it claims, so that
        # a person's messages are worked on by one process at a time.
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
        self._people: collections.OrderedDict[int, tuple[str, str]] = collections.OrderedDict()  # seeker id -> person

    def wake(self, channel: str, address: str) -> None:
        person = (channel, address)
        self._more.add(person)
        if person not in self._workers:
            self._workers[person] = asyncio.get_running_loop().create_task(self._work(person))

    def announce(self, message_id: int, seeker_id: int | None = None) -> None:
        """Another process stored inbound message `message_id` (of `seeker_id`, when it says):
        wakes its sender's worker. Whose a seeker id is, is known once a message of theirs was
        claimed here; otherwise the row is read to learn it."""
        person = self._people.get(seeker_id) if seeker_id is not None else None
        if person is not None:
            self._people.move_to_end(seeker_id)
            self.wake(*person)
            return
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
            self._learn_whose(record)
            self.wake(record.channel, record.address)

    def _learn_whose(self, record: MessageRecord) -> None:
        """Remembers whose seeker id this is, for wakes that carry it. A stale entry (an id given
        again after an erasure, on SQLite) wakes someone with nothing waiting; the poll then finds
        the message, as it finds one whose wake was lost."""
        self._people[record.seeker_id] = (record.channel, record.address)
        self._people.move_to_end(record.seeker_id)
        while len(self._people) > _PEOPLE_REMEMBERED:
            self._people.popitem(last=False)

    async def wake_waiting(self) -> int:
        """Starts a worker for everyone with messages stored but not processed and no worker;
        returns how many. A person who has a worker is left to it: it reads on while messages
        were waiting at its last claim or a wake came, and should it stop just before such a
        message was stored, the next call finds it."""
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
        announcement reached (a lost wake datagram, or stored while this process was down).
        First it makes sure this process's claim session is still there (a lost one is opened
        again, under a new identity its messages in hand are given: bot/store/person_claims.py)."""
        while True:
            await asyncio.sleep(interval_seconds)
            try:
                if self._claims is not None:
                    await asyncio.to_thread(self._claims.keep_alive)
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
            while person in self._more:
                self._more.discard(person)
                taken = await self._take_next_when_free(channel, address)
                while taken is not None:
                    claim, known = taken
                    await self._process_safely(claim.message, known)
                    # Messages stored since the claim were announced (a wake adds the person
                    # to _more); one whose wake was lost is found by the poll.
                    taken = await asyncio.to_thread(self._take_next, channel, address) if claim.more_waiting else None
        except RUN_AGAIN_LATER as trouble:
            # The message stays `received` or `processing`; the poll wakes this person again.
            logger.warning(
                "messages of %s left for later: %s", address_digest(channel, address), _described(trouble)
            )
        finally:
            self._workers.pop(person, None)

    async def _take_next_when_free(
        self, channel: str, address: str
    ) -> tuple[InboundClaim, _TurnContext | None] | None:
        """The person's next message, claimed; while another instance has one of theirs in hand
        (bot/store/person_claims.py), waits for it to finish: that one reads on only while
        messages were waiting when it took its last one, so a message stored during its turn,
        whose wake came here, is this worker's to take. A claim that takes nothing costs one
        read more, to tell "nothing waiting" (the usual case: stop) from "held elsewhere"."""
        taken = await asyncio.to_thread(self._take_next, channel, address)
        if taken is not None or self._claims is None or not self._claims.shared:
            return taken
        delay, waited = CLAIM_RETRY_FIRST_SECONDS, 0.0
        while await asyncio.to_thread(self._log.has_waiting_inbound, channel, address):
            if waited == 0.0:
                # Held, or this process's own session is gone (then it claims nothing): make
                # sure of it before waiting.
                await asyncio.to_thread(self._claims.keep_alive)
            elif waited >= CLAIM_WAIT_SECONDS:
                # Another instance held this person's messages all along; what is left is
                # found by the poll.
                return None
            await asyncio.sleep(delay)
            waited += delay
            delay = min(delay * 2, CLAIM_RETRY_LONGEST_SECONDS)
            taken = await asyncio.to_thread(self._take_next, channel, address)
            if taken is not None:
                return taken
        return None

    def _take_next(self, channel: str, address: str) -> tuple[InboundClaim, _TurnContext | None] | None:
        """The person's next message, claimed, with what its dialogue turn reads first: in the
        claiming statement itself (TurnContextQuery), else in the claim's transaction."""
        if self._turn_context is not None:
            claimed = self._turn_context.claim_next_with_context(channel, address, self._owner())
            if claimed is None:
                return None
            record = claimed.claim.message
            self._learn_whose(record)
            if record.kind in _NEVER_A_DIALOGUE_TURN:
                return claimed.claim, None
            read = claimed.context
            return claimed.claim, _TurnContext(
                _SeekerState(read.language, read.consent_status),
                read.offered_buttons if record.kind != kinds.BUTTON else None,
                self._event_code_named(record, claimed.event_code_of_text),
                read.handoff if self._handoffs is not None else None,
                claimed.tracker_version,
            )
        with unit_of_work(self._log.engine):
            claim = self._log.claim_next_inbound(channel, address, self._owner())
            if claim is None:
                return None
            record = claim.message
            self._learn_whose(record)
            if record.kind in _NEVER_A_DIALOGUE_TURN:
                return claim, None
            return claim, self._what_the_turn_needs(record, record.details or {})

    def _owner(self) -> str | None:
        """What the claims write as this process's (PersonClaims.owner)."""
        return self._claims.owner() if self._claims is not None else None

    def _event_code_named(self, record: MessageRecord, code_of_text: str | None) -> str | None:
        """The event the message names, given the event (if any) whose code is its text upper-cased,
        looked up with the claim. That answer is the one asked for when the text, as it is, is the
        candidate code; a deep link, or a code among spaces or with a #, is looked up apart."""
        if self._is_event_code is None:
            return None
        details = record.details or {}
        candidate = _candidate_event_code(record.text, details)
        if candidate is None:
            return _code_in_a_sentence(record.text, details, self._is_event_code)
        if not details.get("command") and record.text.isascii() and candidate == record.text.upper():
            return code_of_text
        return candidate if self._is_event_code(candidate) else None

    async def _process_safely(self, record: MessageRecord, known: _TurnContext | None = None) -> None:
        """Processes `record` (`known`: what its turn needs, read with the claim) and marks it
        finished with its replies queued."""
        noted: dict[str, Any] | None = None
        answers: list[OutboundToQueue] = []
        started = time.perf_counter()
        outcome = "processed"
        try:
            status, noted = await self._process(record, answers, known)
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
        # The replies are queued with the processed mark, in one transaction.
        await asyncio.to_thread(self._log.finish_inbound, record.id, status, replies=answers, **extra)
        if answers:
            self._outbox.notify(record.seeker_id, len(answers))

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

    async def _process(
        self, record: MessageRecord, answers: list[OutboundToQueue], known: _TurnContext | None = None
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
        return INBOUND_PROCESSED, await self._run_dialogue(record, details, answers, known)

    async def _run_dialogue(
        self,
        record: MessageRecord,
        details: dict[str, Any],
        answers: list[OutboundToQueue],
        known: _TurnContext | None = None,
    ) -> dict[str, Any] | None:
        """One dialogue turn for the message, unless a handoff pauses the bot: then the message
        is only noted as staff's. Returns what to add to the stored message: during an open
        handoff {"handoff_id": ...}, plus "answered_by_bot" when the bot answered it."""
        if known is None:
            known = await asyncio.to_thread(self._what_the_turn_needs, record, details)
        # The turn's tracker read (Rasa's sender id is the address) may use this process's copy
        # when it is of the version the claim read.
        tracker_versions.hand_over(record.address, known.tracker_version)
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
        if self._turn_context is not None:
            candidate = _candidate_event_code(record.text, details) if self._is_event_code is not None else None
            read = self._turn_context.read(record.channel, record.address, candidate)
            seeker = (
                _SeekerState(read.language, read.consent_status) if read.known_seeker else None
            )
            offered = read.offered_buttons if record.kind != kinds.BUTTON else None
            handoff = read.handoff if self._handoffs is not None else None
            if candidate is None and self._is_event_code is not None:
                code = _code_in_a_sentence(record.text, details, self._is_event_code)
            else:
                code = candidate if read.event_code_exists else None
            return _TurnContext(seeker, offered, code, handoff)
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
    code = _candidate_event_code(text, details)
    if code is None:
        return _code_in_a_sentence(text, details, is_event_code)
    return code if is_event_code(code) else None


def _code_in_a_sentence(text: str, details: dict[str, Any], is_event_code: Callable[[str], bool]) -> str | None:
    """An event's code inside a sentence ("got a flyer that says text HHC to sign up"): the words
    that could be one (bot.hiring_events.model.code_candidates), each looked up; most messages
    have none, so most turns look up nothing."""
    if details.get("command"):
        return None
    return next((code for code in code_candidates(text) if is_event_code(code)), None)


def _candidate_event_code(text: str, details: dict[str, Any]) -> str | None:
    """What the message would name if it named an event: a one-word text or a deep link's
    payload, normalized; whether an event has that code is for the database to say."""
    if details.get("command") == "start":
        return code_like(details.get("command_payload") or "")
    if details.get("command"):
        return None
    return code_like(text)
