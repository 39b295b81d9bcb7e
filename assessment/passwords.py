"""Password hashing with argon2id (argon2-cffi's defaults), and the lockout rule after failed sign-ins."""

from __future__ import annotations

import datetime as dt
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A real hash of a random string: verifying against it for unknown users costs the same time as for
    known ones, so the response time does not reveal which usernames exist. Made at the first sign-in, not
    at import: an argon2 hash costs a quarter of a CPU second that no CLI command and no first page needs."""
    return _hasher.hash("not-a-password-7f3a")


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (salt included)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches the hash; a missing user (None) takes the same time and fails."""
    dummy = _dummy_hash()  # made at the first check of any account, so that first check too costs the same
    try:
        return _hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def lockout_until(failed: int, max_failed: int, minutes: int, now: dt.datetime) -> dt.datetime | None:
    """When `failed` consecutive failures reach `max_failed`, the account is locked for `minutes`."""
    return now + dt.timedelta(minutes=minutes) if failed >= max_failed else None
