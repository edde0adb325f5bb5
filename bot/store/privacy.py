"""Refer to a seeker in logs without writing their phone number or chat id."""
from __future__ import annotations

import hashlib
import os
import secrets

# A phone number has few enough digits to brute-force any plain hash, so the digest is keyed.
# Set STORE_LOG_KEY to correlate log lines across restarts; otherwise the key lives per process.
_PROCESS_KEY = secrets.token_bytes(16)


def address_digest(channel: str, address: str) -> str:
    """A short keyed hash of (channel, address), safe to write to logs."""
    configured = os.environ.get("STORE_LOG_KEY", "")
    key = configured.encode() if configured else _PROCESS_KEY
    digest = hashlib.blake2b(f"{channel}:{address}".encode(), key=key[:64], digest_size=5)
    return digest.hexdigest()
