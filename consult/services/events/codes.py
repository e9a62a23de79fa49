"""Check-in codes and personal-link secrets.

A check-in code is short and easy to read aloud or type on a phone: eight characters
from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B), shown as
ABCD-EFGH. The personal link's secret is random and stored only as its sha256.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
CODE_LENGTH = 8


def new_checkin_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def normalise_code(typed: str) -> str:
    """What a person typed, as a stored code: upper case, no spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def new_secret() -> tuple[str, str]:
    """A secret for a personal link, and the hash to store."""
    secret = secrets.token_urlsafe(32)
    return secret, hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
