"""Shared fixtures: an app per test on a fresh database, clients, mail, users.

Database tests run on SQLite always, and on PostgreSQL too when
CONSULT_TEST_DATABASE_URL is set (CI sets it). With CONSULT_TEST_REQUIRE_ALL=1 (CI), a
test that would skip for want of PostgreSQL, Redis or chromium fails instead. The helpers
these fixtures use live in tests/support and tests/factories; tests import them from there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Consultation, Role, User
from tests.factories.consultations import build_consultation
from tests.factories.users import PASSWORD, new_user
from tests.support.apps import PG_URL, make_app, need, reset_postgres
from tests.support.mail import Outbox
from tests.support.oidc import MockProvider, running_mock_provider


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        need(bool(PG_URL), "PostgreSQL: set CONSULT_TEST_DATABASE_URL")
    return str(request.param)


def _database_url(backend: str) -> str | None:
    if backend == "postgresql":
        reset_postgres(PG_URL)
        return PG_URL
    return None


@pytest.fixture
def app_factory(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build an app with extra configuration; its schema is created from the models."""
    made: list[Flask] = []

    def factory(backend: str = "sqlite", **config: Any) -> Flask:
        app = make_app(tmp_path, _database_url(backend), **config)
        with app.app_context():
            db.create_all()
        made.append(app)
        return app

    yield factory
    from consult import jobs

    jobs.wait_for_threads()  # a job thread of this test must not outlive its database
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Iterator[Flask]:
    """The app on SQLite, with an app context held for the test's own database work.

    Its clients do not run inside that context: each request gets its own app context
    and session, as on a server (tests/support/clients.ServerLikeClient), so a view that
    needs the request's session after it returned fails here too."""
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def consultation(app: Flask) -> Iterator[Consultation]:
    """An open consultation on SQLite, inside a request (services translate)."""
    with app.test_request_context("/"):
        yield build_consultation()


@pytest.fixture
def db_consultation(db_app: Flask) -> Iterator[Consultation]:
    """An open consultation on each backend, inside a request."""
    with db_app.test_request_context("/"):
        yield build_consultation()


@pytest.fixture
def db_app(app_factory: Callable[..., Flask], backend: str) -> Iterator[Flask]:
    """The app on each database backend in turn (SQLite, then PostgreSQL when set)."""
    app = app_factory(backend)
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser that prefers English; tests of Dutch pass ?lang=nl or their own header.

    A `ServerLikeClient`: it commits the test's session before each request, runs the
    request (and reads its body) in a fresh contextvars.Context, without the test's app
    context, and expires the test's objects afterwards (see tests/support/clients.py)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def outbox(app: Flask) -> Outbox:
    return Outbox(app)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Make and commit a user with a real password (see `tests.factories.users.new_user`)."""

    def factory(
        email: str = "anna@example.nl",
        password: str = PASSWORD,
        role: Role = Role.CITIZEN,
        confirmed: bool = True,
    ) -> User:
        user = new_user(email, role, confirmed=confirmed, password=password)
        db.session.commit()
        return user

    return factory


@pytest.fixture(scope="session")
def oidc_mock() -> Iterator[MockProvider]:
    """The real OpenID Connect provider package (oidc-provider-mock) on a loopback port,
    one process for the whole run; tests set their own users' claims on it."""
    with running_mock_provider() as provider:
        yield provider
