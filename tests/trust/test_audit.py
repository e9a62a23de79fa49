"""The audit log names the real object, also when given a proxy such as current_user."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask_login import current_user, login_user

from consult.models import User
from consult.services.audit import record


def test_a_proxy_is_logged_as_the_object_it_stands_for(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user("anna@example.nl")
    with app.test_request_context("/"):
        login_user(user)
        entry = record(current_user, "account.viewed", current_user)
    assert entry.object_type == "user"
    assert entry.object_id == user.id
    assert entry.actor_id == user.id
