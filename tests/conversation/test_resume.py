"""A seeker who stops halfway and writes again in a later session resumes where they left off."""
from __future__ import annotations

from bot.cli.harness import start_new_session


def test_coming_back_later_resumes_with_the_pending_question(chat, assistant):
    chat.say("hi")
    chat.say("Keisha")
    assert "What kind of work" in chat.say("60619")
    start_new_session(assistant, chat.sender)

    reply = chat.say("hello?")
    assert "Welcome back, Keisha" in reply
    assert "What kind of work" in reply
    assert "Msg & data rates" not in reply  # the consent notice is not sent twice
    assert "How old" in chat.say("healthcare")
    answers = assistant.store.latest_screening("rest", chat.sender).answers
    assert answers == {"first_name": "Keisha", "zip_code": "60619", "sectors": ["healthcare"]}


def test_coming_back_with_the_answer_itself_keeps_it(chat, assistant):
    chat.say("hola")
    chat.say("Pedro")
    assert "años" in chat.say("60632, construccion")
    start_new_session(assistant, chat.sender)

    reply = chat.say("tengo 35")
    assert "Pedro" in reply
    assert "permiso para trabajar" in reply
    assert assistant.store.latest_screening("rest", chat.sender).answers["age"] == 35
