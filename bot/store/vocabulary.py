"""The closed sets of values the store accepts, shared by the models, migrations and checks."""
from __future__ import annotations

LANGUAGES = ("en", "es")

CONSENT_PENDING = "pending"
CONSENT_GRANTED = "granted"
CONSENT_OPTED_OUT = "opted_out"
CONSENT_STATUSES = (CONSENT_PENDING, CONSENT_GRANTED, CONSENT_OPTED_OUT)

SCREENING_IN_PROGRESS = "in_progress"
SCREENING_COMPLETE = "complete"
# A screening the seeker walked away from by starting over; kept so drop-off can be counted.
SCREENING_ABANDONED = "abandoned"
SCREENING_STATUSES = (SCREENING_IN_PROGRESS, SCREENING_COMPLETE, SCREENING_ABANDONED)

EVENT_NOTICE_SHOWN = "notice_shown"
EVENT_OPT_OUT = "opt_out"
EVENT_OPT_IN = "opt_in"
CONSENT_EVENTS = (EVENT_NOTICE_SHOWN, EVENT_OPT_OUT, EVENT_OPT_IN)

# Column widths. An E.164 number is at most 16 characters and a Telegram chat id about 15.
CHANNEL_MAX = 32
ADDRESS_MAX = 64
KEYWORD_MAX = 40
RULES_VERSION_MAX = 40


def sql_in_list(values: tuple[str, ...]) -> str:
    """`'a', 'b'` for a CHECK constraint; the values are our own constants, never user text."""
    return ", ".join(f"'{value}'" for value in values)
