"""Users for tests: one factory for every role, confirmed or not."""

from __future__ import annotations

from consult.extensions import db
from consult.models import Role, User, utcnow
from consult.services.accounts.auth import create_user, find_by_email

PASSWORD = "correct horse battery"


def new_user(
    email: str, role: Role = Role.CITIZEN, *, confirmed: bool = True,
    password: str | None = None,
) -> User:
    """A user, flushed, not committed.

    Without `password` the row is inserted straight, with a placeholder hash and English
    as its language: cheap, for tests that log in by session (`tests.support.sessions.log_in`).
    With `password` the accounts service makes it (the password hashed, no language), so the
    login form accepts it (`tests.support.sessions.login`).
    """
    if password is not None:
        return create_user(email, password, role, confirmed=confirmed)
    user = User(email=email, password_hash="x", role=role,
                confirmed_at=utcnow() if confirmed else None, locale="en")
    db.session.add(user)
    db.session.flush()
    return user


def official_user() -> User:
    """The official who owns the test consultations (official@example.nl), made once."""
    found = find_by_email("official@example.nl")
    return found or new_user("official@example.nl", Role.OFFICIAL, password=PASSWORD)
