"""Made-up channel credentials for tests; the signatures are computed with them for real."""
from __future__ import annotations

from datetime import datetime, timezone

# The instant the test assistant judges staff hours at (BUSINESS_HOURS_NOW): Saturday 9 am in
# Chicago, when the office is closed.
AFTER_HOURS = datetime(2026, 12, 5, 15, 0, tzinfo=timezone.utc)

TWILIO_ACCOUNT_SID = "AC" + "5" * 32
TWILIO_AUTH_TOKEN = "test-auth-token-not-a-secret"
TELEGRAM_TOKEN = "123456789:TEST-token-not-a-secret"
TELEGRAM_SECRET = "test-secret-token_1"
PUBLIC_BASE_URL = "https://intake.example.org"
OUR_NUMBER = "+13125550199"
MESSAGING_SERVICE_SID = "MG" + "7" * 32

TEST_CHANNEL_ENV = {
    "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
    "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
    "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
    "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
    "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    # Scheduled messages go out at once in tests, whatever the hour the suite runs at; quiet
    # hours are tested with a controllable clock (tests/channels/test_scheduler.py).
    "QUIET_HOURS": "off",
    "SCHEDULER_POLL_SECONDS": "0.3",
}
