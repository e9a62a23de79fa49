"""Building a test app, and skipping (or, in CI, failing) when a service it needs is absent.

Database tests run on SQLite always, and on PostgreSQL too when
CONSULT_TEST_DATABASE_URL is set (CI sets it). With CONSULT_TEST_REQUIRE_ALL=1 (CI), a
test that would skip for want of PostgreSQL, Redis or chromium fails instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from consult import create_app
from tests.support.clients import ServerLikeClient

REQUIRE_ALL = os.environ.get("CONSULT_TEST_REQUIRE_ALL") == "1"
# pytest-xdist names its workers gw0, gw1, ...; unset when the suite runs in one process.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_database(url: str) -> str:
    """The PostgreSQL database of this xdist worker: `<name>_gw0`, created when missing.

    Workers run at once, and each test drops the public schema of the database it uses,
    so each worker needs a database of its own."""
    if not url or not WORKER:
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = f"{parsed.database}_{WORKER}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if exists is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def _worker_redis(url: str) -> str:
    """The Redis database of this xdist worker: the configured number minus its index."""
    if not url or not WORKER:
        return url
    base, _, number = url.rpartition("/")
    return f"{base}/{(int(number or 0) - int(WORKER.removeprefix('gw'))) % 16}"


PG_URL = _worker_database(os.environ.get("CONSULT_TEST_DATABASE_URL", ""))
REDIS_URL = _worker_redis(os.environ.get("CONSULT_TEST_REDIS_URL", ""))


def need(condition: bool, reason: str) -> None:
    """Skip (or, in CI, fail) when something a test needs is absent."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def reset_postgres(url: str) -> None:
    """Drop and recreate the public schema of the PostgreSQL database at `url`."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_app(tmp_path: Path, database_url: str | None = None, **config: Any) -> Flask:
    """A testing app on `database_url` (a SQLite file in `tmp_path` by default), no schema.

    Its test clients are `ServerLikeClient`s: each request runs without the test's app
    context, as on a server (see tests/support/clients.py)."""
    settings: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url or f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "MAIL_BACKEND": "outbox",
        # Deliver the outbox right after each commit, so a test sees the mail at once.
        "MAIL_DELIVERY": "after-commit",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "consult.test",
    }
    settings.update(config)
    os.environ["CONSULT_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        app = create_app(settings)
    finally:
        os.environ.pop("CONSULT_INSTANCE_PATH", None)
    app.test_client_class = ServerLikeClient
    return app
