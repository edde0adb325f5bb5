"""Input nobody plans for gets a clear answer and breaks nothing."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("odd", ["👍", "????", "." * 5, "x" * 3000, "<script>alert(1)</script>", "60623" * 50])
def test_odd_messages_mid_intake_get_an_answer_and_the_question_again(chat, odd):
    chat.say("hi")
    chat.say("Rey")
    reply = chat.say(odd)
    assert "ZIP" in reply
    # The conversation goes on normally afterwards.
    assert "What kind of work" in chat.say("60608")


def test_an_opted_out_seeker_gets_no_more_messages(chat, assistant):
    chat.say("hola")
    assert "Ya no recibirás" in chat.say("ya no me escriban mas")
    assert chat.send("hola?") == []
    assert chat.send("60623") == []
    assert "Volverás a recibir" in chat.say("ALTA")
    assert assistant.store.find_seeker("rest", chat.sender).consent_status != "opted_out"


def test_nothing_at_all_reaches_a_seeker_who_opted_out_after_the_summary(chat):
    for text in ["hi", "Lena", "60640", "2", "35", "yes", "1", "4", "3", "5", "7", "2, 48000", "i am a woman"]:
        chat.say(text)
    assert "Thanks, Lena" in "\n".join(chat.bot_texts())
    assert "not get more texts" in chat.say("STOP")
    for text in ["is it free?", "where are you", "what is wioa", "hello", "thanks", "job fair", "agent"]:
        assert chat.say(text) == "", text
    assert chat.say("STOP") == ""  # confirmed once, not again
    assert "Chicago Cook Workforce Partnership job help" in chat.say("help")  # HELP is always answered
    assert "get texts from us again" in chat.say("START")
    assert "free" in chat.say("is it free?")
