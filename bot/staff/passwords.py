"""Staff passwords: argon2id hashes (argon2-cffi's defaults, RFC 9106's low-memory profile).

The store only ever holds the hash. `verify_password` answers False for a wrong password or an
unreadable hash instead of raising, so a login view has one thing to check.
"""
from __future__ import annotations

import threading

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# Long enough to resist guessing once the lockout is bypassed offline, short enough to type.
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024

_hasher = PasswordHasher(type=Type.ID)
# Verified against when the username is unknown, so a wrong username takes as long as a wrong
# password and the timing does not tell which usernames exist.
_UNKNOWN_USER_HASH = _hasher.hash("no account has this password")


# Each argon2 hash takes 64 MiB and most of a core for a moment: as many at once as the console
# has threads would take half a gigabyte and every core. At most this many run at once; the
# rest wait their turn, and past HASHING_WAIT_SECONDS are answered "busy".
MAX_CONCURRENT_HASHES = 2
HASHING_WAIT_SECONDS = 10.0
_hashing_slots = threading.BoundedSemaphore(MAX_CONCURRENT_HASHES)


class WeakPassword(ValueError):
    pass


class HashingBusy(RuntimeError):
    """Every hashing slot stayed taken for HASHING_WAIT_SECONDS."""


def _in_a_hashing_slot(work, *args):  # type: ignore[no-untyped-def]
    if not _hashing_slots.acquire(timeout=HASHING_WAIT_SECONDS):
        raise HashingBusy("too many password checks at once")
    try:
        return work(*args)
    finally:
        _hashing_slots.release()


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"a password is at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"a password is at most {MAX_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    check_password_strength(password)
    return _in_a_hashing_slot(_hasher.hash, password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        matches = _in_a_hashing_slot(_hasher.verify, password_hash or _UNKNOWN_USER_HASH, password)
        return matches and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's: rehash at next login."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
