"""Logging a test client in: by session for any user, or through the login form."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from consult.models import User
from tests.factories.users import PASSWORD


def log_in(client: FlaskClient, user: User) -> None:
    """Log `client` in as `user` by writing Flask-Login's session (no password needed)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    """Post the login form, as a person would; returns the response."""
    return client.post("/account/login", data={"email": email, "password": password})
