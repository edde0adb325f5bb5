"""What the benchmark says to each bot: full conversations and the text the last reply must hold.

The intake scripts are the full English and Spanish intakes of tests/conversation (first message
to summary); the moodbot script walks the stories `rasa init` ships with.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConversationScript:
    name: str
    messages: tuple[str, ...]
    last_reply_contains: str


ENGLISH_INTAKE = ConversationScript(
    name="intake-en",
    messages=(
        "got laid off from my warehouse job", "Marcus", "60644", "im 41, yea", "amazon",
        "2 weeks ago", "1", "3", "3", "none", "7", "3, 28000", "yes",
    ),
    last_reply_contains="Next step",
)

SPANISH_INTAKE = ConversationScript(
    name="intake-es",
    messages=(
        "busco trabajo en hoteles", "Ana", "60629", "tengo 19", "si", "2", "no he aplicado", "no",
        "termine la prepa", "ninguno", "cupones de comida", "7", "no soy hombre",
    ),
    last_reply_contains="Siguiente paso",
)

# greet -> mood_unhappy -> affirm is the moodbot's "sad path 1" story; bot_challenge and goodbye
# are its rules.
MOODBOT = ConversationScript(
    name="moodbot",
    messages=("hi", "i am sad", "yes", "are you a bot?", "bye"),
    last_reply_contains="Bye",
)

INTAKE_SCRIPTS = (ENGLISH_INTAKE, SPANISH_INTAKE)
STOCK_SCRIPTS = (MOODBOT,)


@dataclass(frozen=True)
class ReturningSeekerCycle:
    """A seeker who keeps coming back: one opening message, then the same cycle again and again
    (an intake to the summary, questions and corrections after it, "start over")."""

    opening: str
    messages: tuple[str, ...]
    summary_turn: int  # 1-based position in `messages` of the message the summary answers
    summary_contains: str


# 29 messages: with the opening first, turn 10 and turn 300 are the same message of the intake.
RETURNING_SEEKER_CYCLE = ReturningSeekerCycle(
    opening="hi",
    messages=(
        "Marcus", "60644", "warehouse", "im 41", "yea", "got laid off", "amazon", "2 weeks ago", "1", "3", "3",
        "none", "none", "3, 28000", "yes",
        "is it free?", "thanks", "where are you?", "actually my zip is 60623", "what is wioa", "ok",
        "are you a robot?", "actually my zip is 60644", "thanks", "is it free?", "what is wioa", "where are you?",
        "thanks", "start over",
    ),
    summary_turn=15,
    summary_contains="Next step",
)
