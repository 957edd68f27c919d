"""Staff passwords, hashed with Argon2id (argon2-cffi's defaults, RFC 9106 low-memory)."""
from __future__ import annotations

from typing import Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
_hasher = PasswordHasher()


class WeakPassword(ValueError):
    """A password the staff app does not accept."""


def check_strength(password: str, username: str = "") -> None:
    if len(password or "") < MIN_LENGTH:
        raise WeakPassword(f"Use at least {MIN_LENGTH} characters.")
    if username and username.lower() in password.lower():
        raise WeakPassword("The password must not contain the user name.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> Tuple[bool, bool]:
    """(matches, needs a new hash because the parameters changed)."""
    try:
        _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, False
    return True, _hasher.check_needs_rehash(stored_hash)
