"""A first name said in any message: "my name is ...", or an introduction opening the message with
a capitalised name set off by punctuation; everything else that looks like one is not taken."""
from __future__ import annotations

import pytest

from bot.understanding.names import find_stated_name


@pytest.mark.parametrize(
    "text, name",
    [
        ("my name is jasmine, im 22", "Jasmine"),
        ("me llamo Ana", "Ana"),
        ("Hi I'm Kayla, 19, zip 60617, looking for healthcare jobs", "Kayla"),
        ("Soy Jose. Busco trabajo", "Jose"),
        ("hi this is Kayla", "Kayla"),
        ("Hello, I'm Maria Lopez, 33", "Maria"),
        # "my name is" with no comma after the name: the next thing said about oneself ends it.
        ("Hi my name is Derrick im 45 laid off from Ford in chicago heights 60411 want CDL training", "Derrick"),
        ("me llamo rosa tengo 34 y vivo en cicero", "Rosa"),
        ("my name is Ana de la Cruz", "Ana"),
        ("my name is luis 60623", "Luis"),
        ("why do you need my name", None),
        ("my name is twenty five", None),  # number words are never names
        # Not names: no capital, a state or a wish, or words running on.
        ("im kayla, 19", None),
        ("IM TWENTY-TWO", None),
        ("Im Looking, for work", None),
        ("I'm Tired.", None),
        ("I am Unemployed, need help", None),
        ("I'm Looking For work", None),
        ("I'm Jose and I need work", None),
    ],
)
def test_a_name_said_in_any_message(text, name):
    assert find_stated_name(text) == name
