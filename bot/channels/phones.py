"""Phone numbers in one form (E.164), so one person is one seeker however the number arrives."""
from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "US"


def to_e164(raw: str, default_region: str = DEFAULT_REGION) -> str | None:
    """'+1 (312) 555-0100', '312-555-0100' -> '+13125550100'; None when it is not a number.

    Numbers are checked for a possible length, not for validity: Twilio test and short-code
    senders are not "valid" phone numbers, but they are the addresses Twilio gives us.
    """
    text = (raw or "").strip()
    if not text:
        return None
    try:
        parsed = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
