"""Fixtures for the security suite: its world (on SQLite, each backend, or with CSRF on)
and the forms each role can reach. The helpers are in tests/support/security_world.py and
tests/support/crawl.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from tests.support.crawl import Form, discover_forms
from tests.support.security_world import World, seed_world


@pytest.fixture
def world(app: Flask) -> World:
    return seed_world(app)


@pytest.fixture
def forms_by_role(world: World) -> Callable[[str | None], list[Form]]:
    cache: dict[str | None, list[Form]] = {}

    def get(who: str | None) -> list[Form]:
        if who not in cache:
            cache[who] = discover_forms(world, who)
        return cache[who]

    return get


@pytest.fixture
def csrf_world(app_factory: Callable[..., Flask]) -> Iterator[World]:
    """The same world in an app that checks CSRF tokens."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        app.config["WTF_CSRF_ENABLED"] = False  # seeding drives the forms without tokens
        world = seed_world(app)
        app.config["WTF_CSRF_ENABLED"] = True
        yield world


@pytest.fixture
def db_world(db_app: Flask) -> World:
    """The world on each database backend (SQLite, then PostgreSQL when configured)."""
    return seed_world(db_app)

