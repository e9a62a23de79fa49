"""Pooled PostgreSQL connections: pinged only after lying unused, replaced when dead.

`pool_pre_ping` cost one round trip to the database on every request; the pool now
pings a connection only when it was unused for DATABASE_PING_AFTER seconds
(consult.database.IdlePing). These tests hold the two promises: a recently used
connection is handed out without a ping, and a connection the server cut while it lay
idle is replaced before any request uses it (no 500).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from consult.extensions import db
from tests.support.apps import PG_URL, need


def _postgres_app(app_factory: Callable[..., Flask], after: float) -> Flask:
    need(bool(PG_URL), "PostgreSQL: set CONSULT_TEST_DATABASE_URL")
    return app_factory("postgresql", DATABASE_PING_AFTER=after)


def _count_pings(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    with app.app_context():
        dialect = db.engine.dialect
    pings: list[int] = []
    real = dialect.do_ping

    def counting(connection: Any) -> bool:
        pings.append(1)
        return bool(real(connection))

    monkeypatch.setattr(dialect, "do_ping", counting)
    return pings


def test_a_recently_used_connection_is_not_pinged(
        app_factory: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    app = _postgres_app(app_factory, after=3600)
    pings = _count_pings(app, monkeypatch)
    client = app.test_client()
    for _ in range(5):
        assert client.get("/consultations/").status_code == 200
    assert pings == []


def test_an_idle_connection_is_pinged(
        app_factory: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    app = _postgres_app(app_factory, after=0)
    pings = _count_pings(app, monkeypatch)
    client = app.test_client()
    assert client.get("/consultations/").status_code == 200  # a new connection: no ping
    assert client.get("/consultations/").status_code == 200  # back from the pool: pinged
    assert len(pings) >= 1


def test_a_connection_cut_while_idle_is_replaced_without_an_error(
        app_factory: Callable[..., Flask]) -> None:
    app = _postgres_app(app_factory, after=0)
    client = app.test_client()
    assert client.get("/consultations/").status_code == 200
    with app.app_context():
        engine = db.engine
        checked_in = engine.pool.checkedin()
        assert checked_in >= 1
    # Another connection (not from the app's pool) cuts every other session of this
    # database, as a server restart or a firewall's idle timeout would.
    from sqlalchemy import create_engine

    killer = create_engine(PG_URL)
    try:
        with killer.connect() as connection:
            cut = connection.scalar(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            connection.commit()
    finally:
        killer.dispose()
    assert cut >= 1
    assert client.get("/consultations/").status_code == 200
    assert client.get("/consultations/").status_code == 200
