"""API tokens for staff scripts: random, shown once, stored only as a SHA-256 digest.

A plain (unsalted, fast) digest is enough here: the token has 256 random bits, so nobody can
guess their way back from the digest, and the API can look the account up by it.
"""
from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def new_api_token() -> tuple[str, str]:
    """(token to hand out once, digest to store)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, api_token_digest(token)


def api_token_digest(token: str) -> str:
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()
