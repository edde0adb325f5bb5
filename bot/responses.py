"""Names of the dialogue's responses that the code around Rasa must know (the channels, the
consent-aware NLG). Pure: the channels read them without loading Rasa."""
from __future__ import annotations

OPTED_OUT_CONFIRMATION = "utter_opted_out"
OPTED_IN_CONFIRMATION = "utter_opted_in"
HELP_ANSWER = "utter_help"

# Sent even to a person who opted out: carriers require them, and each answers the person's own
# keyword, once.
ALWAYS_ANSWERED = frozenset({OPTED_OUT_CONFIRMATION, OPTED_IN_CONFIRMATION, HELP_ANSWER})
