"""A campaign's first text (sender named, carrier opt-out line, within the segment budget) and its
sending pace (a token bucket at the configured rate)."""
from __future__ import annotations

import pytest

from bot.sms import segments
from bot.warn.campaign import OPT_OUT_FOOTER, SENDER_NAME, SendPace, campaign_text, message_problems, preview


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_text_names_us_and_carries_the_opt_out_line(language: str) -> None:
    text = campaign_text("Acme is closing its Chicago plant.  We can help.", language)
    assert text.startswith(f"{SENDER_NAME}: Acme is closing its Chicago plant. We can help.")
    assert text.endswith(OPT_OUT_FOOTER[language]) and "STOP" in text
    named = campaign_text(f"The {SENDER_NAME} can help after the Acme closure.", language)
    assert named.count(SENDER_NAME) == 1


@pytest.mark.parametrize(
    "message, language, problem",
    [
        ("", "en", "The English message is empty."),
        ("   ", "es", "The Spanish message is empty."),
        ("Reply CANCEL to stop", "en", "must not ask people to reply CANCEL"),
        ("x" * 481, "en", "longer than 480 characters"),
        ("Hola " * 90, "es", "text segments"),
    ],
)
def test_messages_staff_cannot_send(message: str, language: str, problem: str) -> None:
    assert any(problem in found for found in message_problems(message, language))


def test_a_message_at_the_budget_passes() -> None:
    message = "Acme layoff: free job search help, training and unemployment benefits advice. Text back to talk to us."
    assert message_problems(message, "en") == []
    assert segments(campaign_text(message, "en")) <= 3


def test_the_pace_keeps_to_its_rate_after_a_first_burst() -> None:
    pace = SendPace(per_second=2.0, burst=4)
    sent = []
    for tick in range(0, 101):  # every 0.1 s for 10 s
        allowed = pace.allowance(tick / 10)
        pace.spend(allowed)
        sent.append(allowed)
    assert sent[0] == 4  # the burst
    assert sum(sent) == 4 + 20  # then exactly 2 a second over 10 s
    assert max(sent[1:]) == 1


def test_a_pace_must_be_positive() -> None:
    with pytest.raises(ValueError):
        SendPace(per_second=0)


def test_the_preview_is_what_a_phone_gets() -> None:
    spanish = preview("Acme cierra su planta. Podemos ayudarle con capacitación.", "es")
    assert "capacitacion" in spanish.text and "más" not in spanish.text  # folded as the SMS channel sends it
    assert (spanish.encoding, spanish.segments) == ("GSM-7", segments(spanish.text))
    emoji = preview("We can help 🙂", "en")
    assert emoji.encoding == "UCS-2"
