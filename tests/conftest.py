from __future__ import annotations

import pytest

from bot.cli.harness import Assistant, running_assistant


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Assistant:
    """The real Rasa and action servers, started once for the whole run."""
    with running_assistant(tmp_path_factory.mktemp("assistant")) as running:
        yield running
