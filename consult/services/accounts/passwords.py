"""Password rules and hashing (Argon2id).

A password has at least 8 characters and at most 1,024 (long passphrases welcome); it
may not be one of the commonest passwords, nor the person's email address. The common
password list is zxcvbn's frequency list (its `passwords` dictionary), not a hand list.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 1024
#: A password ranked this high or higher in zxcvbn's list of leaked passwords is refused.
COMMON_RANK_LIMIT = 20_000

_hasher = PasswordHasher()
#: Checked against when the account does not exist, so that costs the same time.
_DUMMY_HASH = _hasher.hash("not a real password, used for timing only")


def password_problem(password: str, email: str | None = None) -> object | None:
    """Why this password cannot be used, or None when it can."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_LENGTH)
    if email and password.strip().lower() == email.strip().lower():
        return _l("Do not use your email address as password.")
    if is_common(password):
        return _l("This password is one of the most used passwords. Choose another one.")
    return None


def is_common(password: str) -> bool:
    if len(password) > 64:
        return False
    result = zxcvbn(password[:64])
    sequence = result["sequence"]
    if len(sequence) != 1:
        return False
    match = sequence[0]
    return (
        match.get("pattern") == "dictionary"
        and match.get("dictionary_name") == "passwords"
        and int(match.get("rank", COMMON_RANK_LIMIT + 1)) <= COMMON_RANK_LIMIT
    )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (unknown account) spend the same time and say no."""
    try:
        _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
