"""`python -m bot.rasa_server run ...` hands Rasa the API token so that `rasa run` reads it back,
whatever characters the random token holds (one starting with "-" once stopped the server)."""
from __future__ import annotations

import argparse
import sys

import jsonschema
import pytest
import rasa.__main__
import rasa.server
from rasa.cli.arguments import run as run_arguments

from bot import rasa_server


@pytest.mark.parametrize("token", ["-starts-with-a-dash_0123456789abcdefghij", "plain0123456789abcdefghijklmnop"])
def test_rasa_reads_back_the_token_it_was_given(monkeypatch, token):
    monkeypatch.setenv("RASA_API_TOKEN", token)
    monkeypatch.setattr(sys, "argv", ["bot.rasa_server", "run", "--enable-api", "--port", "5005"])
    # main() patches these for the server process; put them back after the test.
    monkeypatch.setattr(jsonschema, "validate", jsonschema.validate)
    monkeypatch.setattr(rasa.server, "create_app", rasa.server.create_app)
    given: list[str] = []
    monkeypatch.setattr(rasa.__main__, "main", lambda: given.extend(sys.argv))
    rasa_server.main()
    parser = argparse.ArgumentParser()
    run_arguments.set_run_arguments(parser)
    parsed = parser.parse_args(given[2:])  # after "rasa run"
    assert parsed.auth_token == token
    assert parsed.enable_api


def test_the_server_refuses_to_start_without_a_token(monkeypatch):
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    with pytest.raises(SystemExit, match="RASA_API_TOKEN"):
        rasa_server.main()
