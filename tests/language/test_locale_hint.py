"""language_from_locale(): channel language codes such as Telegram's `language_code`."""
from __future__ import annotations

import pytest

from bot.language import language_from_locale


@pytest.mark.parametrize(
    "code, language",
    [
        ("es", "es"),
        ("es-MX", "es"),
        ("es_419", "es"),
        ("ES-us", "es"),
        ("spa", "es"),
        ("en", "en"),
        ("en-US", "en"),
        ("en_GB.UTF-8", "en"),
        (" en ", "en"),
        ("pt-BR", None),
        ("fr", None),
        ("ru", None),
        ("e", None),
        ("esp", None),
        ("", None),
        (None, None),
    ],
)
def test_language_from_locale(code, language):
    assert language_from_locale(code) == language
