"""Shared fixtures: an app per test on a fresh database, clients, mail, users.

Database tests run on SQLite always, and on PostgreSQL too when
CONSULT_TEST_DATABASE_URL is set (CI sets it). With CONSULT_TEST_REQUIRE_ALL=1 (CI), a
test that would skip for want of PostgreSQL, Redis or chromium fails instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from consult import create_app
from consult.extensions import db
from consult.mail import read_outbox
from consult.models import Role, User

PG_URL = os.environ.get("CONSULT_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("CONSULT_TEST_REDIS_URL", "")
REQUIRE_ALL = os.environ.get("CONSULT_TEST_REQUIRE_ALL") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip (or, in CI, fail) when something a test needs is absent."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_app(tmp_path: Path, database_url: str | None = None, **config: Any) -> Flask:
    settings: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url or f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "MAIL_BACKEND": "outbox",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "consult.test",
    }
    settings.update(config)
    os.environ["CONSULT_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        return create_app(settings)
    finally:
        os.environ.pop("CONSULT_INSTANCE_PATH", None)


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
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Iterator[Flask]:
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def db_app(app_factory: Callable[..., Flask], backend: str) -> Iterator[Flask]:
    """The app on each database backend in turn (SQLite, then PostgreSQL when set)."""
    app = app_factory(backend)
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser that prefers English; tests of Dutch pass ?lang=nl or their own header."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


class Outbox:
    def __init__(self, app: Flask) -> None:
        self.path = Path(app.config["MAIL_OUTBOX"])

    @property
    def mails(self) -> list[EmailMessage]:
        return read_outbox(self.path) if self.path.exists() else []

    def last(self) -> EmailMessage:
        mails = self.mails
        assert mails, "no mail was sent"
        return mails[-1]

    def body(self, mail: EmailMessage) -> str:
        part = mail.get_body(("plain",))
        assert part is not None
        return str(part.get_content())  # type: ignore[attr-defined]

    def link(self, mail: EmailMessage | None = None) -> str:
        """The first link on this site in a mail, as a path."""
        body = self.body(mail or self.last())
        match = re.search(r"https?://consult\.test(/\S+)", body)
        assert match, body
        return match.group(1)


@pytest.fixture
def outbox(app: Flask) -> Outbox:
    return Outbox(app)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    from consult.services.accounts.auth import create_user

    def factory(
        email: str = "anna@example.nl",
        password: str = "correct horse battery",
        role: Role = Role.CITIZEN,
        confirmed: bool = True,
    ) -> User:
        user = create_user(email, password, role, confirmed=confirmed)
        db.session.commit()
        return user

    return factory


def login(client: FlaskClient, email: str, password: str = "correct horse battery") -> Any:
    return client.post("/account/login", data={"email": email, "password": password})
