from __future__ import annotations

import pytest


@pytest.fixture
def chat(assistant):
    conversation = assistant.conversation()
    yield conversation
    # pytest shows captured output only for failing tests: the transcript explains the failure.
    print("\nTranscript:\n" + conversation.dump())
