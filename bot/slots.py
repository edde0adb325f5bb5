"""Slot names the actions read and write, and the channels and the NLG read. Pure, so the
channels import it without the actions. Answer slots share their names with `bot.answers`."""
from __future__ import annotations

from bot import answers
from bot.answers import MILITARY

LANGUAGE = "language"
SCREENING_DONE = "screening_done"
CONSENT_NOTICE_SHOWN = "consent_notice_shown"
OPTED_OUT = "opted_out"
REQUESTED_SLOT = "requested_slot"
# The WARN outreach campaign whose text this conversation answers (bot/actions/rapid_response.py).
CAMPAIGN_ID = "campaign_id"
# WARN notices (ids) the employer a worker named matched, for them to pick theirs.
NOTICE_OPTIONS = "notice_options"
# True once the seeker was told the questions are about the person looking for work, because
# they wrote for someone else ("my son is 17 and needs a job"; bot/understanding/someone_else.py).
FOR_SOMEONE_ELSE = "for_someone_else"

# Every slot that holds an answer, in the order they are asked; `military` records which option
# the seeker chose for the combined veteran / military spouse question.
ANSWER_SLOTS = tuple(answers.ALL_ANSWERS) + (MILITARY,)

# The event dialogue (bot/actions/events.py): where it stands and what it is about.
EVENT_STEP = "event_step"
EVENT_OPTIONS = "event_options"
EVENT_CODE = "event_code"
EVENT_ANSWERS = "event_answers"
REGISTRATION_ID = "registration_id"

# Handing the conversation to staff (bot/actions/handoff.py): how many replies in a row the bot
# did not understand, and which message was the last of them (a miss counts as "in a row" only
# when it was the seeker's message right before this one).
MISUNDERSTOOD_IN_A_ROW = "misunderstood_in_a_row"
MISUNDERSTOOD_MESSAGE = "misunderstood_message"
