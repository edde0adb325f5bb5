"""Rasa's telemetry is off in every process we start: seekers' messages pass through them, and
Rasa 3.6 would otherwise send usage events and crash reports to its vendor."""
from __future__ import annotations

import os
import subprocess
import sys

from bot.cli.settings import load_settings
from bot.cli.supervisor import assistant_processes
from bot.telemetry_off import TELEMETRY_SETTING, without_telemetry


def test_every_process_make_run_starts_has_rasa_telemetry_off():
    for managed in assistant_processes(load_settings(), "token"):
        assert managed.env.get(TELEMETRY_SETTING) == "false", managed.name


def test_rasa_itself_reads_the_setting_as_off_even_when_the_machine_turned_it_on():
    environment = without_telemetry({**os.environ, TELEMETRY_SETTING: "true"})
    asked = subprocess.run(
        [sys.executable, "-c", "from rasa import telemetry; print(telemetry.is_telemetry_enabled())"],
        env=environment, capture_output=True, text=True, timeout=120, check=True,
    )
    assert asked.stdout.strip().splitlines()[-1] == "False"
