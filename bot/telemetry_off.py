"""Rasa's own telemetry off in every process we start.

Rasa 3.6 sends usage events and, when a process crashes, its exception to Rasa's servers unless
told not to. Messages from job seekers pass through these processes, so nothing leaves the
machine for a vendor: the setting Rasa reads (RASA_TELEMETRY_ENABLED) is forced off in every
environment we build, whatever the machine's own Rasa configuration says.
"""
from __future__ import annotations

import os
from collections.abc import MutableMapping

TELEMETRY_SETTING = "RASA_TELEMETRY_ENABLED"


def without_telemetry(environment: MutableMapping[str, str] | None = None) -> MutableMapping[str, str]:
    """Sets Rasa's telemetry off in `environment` (this process's when None) and returns it."""
    target = os.environ if environment is None else environment
    target[TELEMETRY_SETTING] = "false"
    return target
