"""Fixtures for the events tests: an organiser, an event maker, the app in a request.

The factories they use (users, events, registrants) live in tests/factories.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from consult.extensions import db
from consult.models import Event, Role, User
from tests.factories.events import make_event_in_db
from tests.factories.users import new_user


@pytest.fixture
def organiser(app: Flask) -> User:
    user = new_user("org@example.nl", Role.ORGANISER)
    db.session.commit()
    return user


@pytest.fixture
def make_event(app: Flask, organiser: User) -> Callable[..., Event]:
    def factory(**overrides: Any) -> Event:
        event = make_event_in_db(overrides.pop("organiser", organiser), **overrides)
        db.session.commit()
        return event

    return factory


@pytest.fixture
def rdb_app(db_app: Flask) -> Iterator[Flask]:
    """`db_app` inside a request context, so translated messages can be read in a test."""
    with db_app.test_request_context(headers={"Accept-Language": "en"}):
        yield db_app
