from __future__ import annotations

import pytest

from bot.understanding.asking import asks_what_it_means, is_a_question, opens_with_a_question_word


@pytest.mark.parametrize(
    "text, asks",
    [
        ("what is that", True),
        ("whats selective service?", True),
        ("que es eso", True),
        ("¿Qué es SNAP?", True),
        ("no entiendo", True),
        ("¿que es eso", True),
        ("why?", True),
        ("huh", True),
        ("yes", False),
        ("no", False),
        ("1", False),
        ("i get snap", False),
        ("quiero construccion", False),
        ("", False),
    ],
)
def test_asks_what_it_means(text, asks):
    assert asks_what_it_means(text) is asks


@pytest.mark.parametrize(
    "text, opens",
    [("whats snap?", True), ("que es el servicio selectivo", True), ("snap?", False), ("i get snap", False), ("60623?", False)],
)
def test_opens_with_a_question_word(text, opens):
    assert opens_with_a_question_word(text) is opens


@pytest.mark.parametrize(
    "text, asks",
    [
        ("what time do yall close", True),
        ("can u call me instead", True),
        ("do i need a diploma for this", True),
        ("wait how long is this", True),
        ("whats ur address", True),
        ("hay trabajo de noche", True),
        ("60628?", True),
        # Replies, one word included: a name that is also a question word is a reply.
        ("Will", False),
        ("60628", False),
        ("Marcus", False),
        ("im 24", False),
        ("yes", False),
        ("i dont know", False),
        ("", False),
    ],
)
def test_is_a_question(text, asks):
    assert is_a_question(text) is asks
