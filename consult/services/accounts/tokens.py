"""Signed, expiring tokens for links in mails (confirm address, reset password, ...).

Each purpose has its own salt, so a token made for one cannot be used for another.
A token may carry a fingerprint of state that using it changes (the password hash),
so that it works only once.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class TokenInvalid(Exception):
    """The token is forged, damaged or made for something else."""


class TokenExpired(TokenInvalid):
    """The token was genuine but is too old."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"consult:{purpose}")


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int | None = None) -> dict[str, Any]:
    age = max_age if max_age is not None else current_app.config["TOKEN_MAX_AGE_SECONDS"]
    try:
        data = _serializer(purpose).loads(token, max_age=age)
    except SignatureExpired as exc:
        raise TokenExpired(purpose) from exc
    except BadSignature as exc:
        raise TokenInvalid(purpose) from exc
    if not isinstance(data, dict):
        raise TokenInvalid(purpose)
    return data
