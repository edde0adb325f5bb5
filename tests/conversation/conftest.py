from __future__ import annotations

import pytest

from tests.conversation.harness import Assistant, running_assistant


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Assistant:
    with running_assistant(tmp_path_factory.mktemp("assistant")) as running:
        yield running


@pytest.fixture
def chat(assistant):
    conversation = assistant.conversation()
    yield conversation
    # pytest shows captured output only for failing tests: the transcript explains the failure.
    print("\nTranscript:\n" + conversation.dump())
