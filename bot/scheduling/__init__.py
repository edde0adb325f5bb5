"""When the assistant may send messages of its own accord. Pure: standard library only."""
from __future__ import annotations

from bot.scheduling.quiet_hours import QuietHours, parse_quiet_hours, quiet_hours_from_env

__all__ = ["QuietHours", "parse_quiet_hours", "quiet_hours_from_env"]
