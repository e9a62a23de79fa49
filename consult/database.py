"""Binding the database: SQLite pragmas, engine options, and the health probe."""

from __future__ import annotations

import time
import weakref
from typing import Any

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, exc, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .extensions import db


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class IdlePing:
    """Ping a pooled connection at checkout only when it lay unused for `after` seconds.

    SQLAlchemy's `pool_pre_ping` pings at every checkout: one more round trip to the
    database on every request, for a failure (a server restart, a connection cut by a
    firewall or an idle timeout) that only hits a connection left unused for a while. A
    connection that answered a request less than `after` seconds ago is handed out as
    is; an older one is pinged, and one that does not answer is thrown away and replaced
    (the pool tries again with a new connection), so no request sees the dead one.
    A connection that fails anyway (the server went down between two requests) makes
    that one request fail, is invalidated, and the next checkout gets a new one.
    """

    def __init__(self, engine: Engine, after: float) -> None:
        self.engine = engine
        self.after = after

    def checkin(self, _dbapi_connection: Any, record: Any) -> None:
        record.info["consult_used_at"] = time.monotonic()

    def checkout(self, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        used_at = record.info.get("consult_used_at")
        if used_at is None or time.monotonic() - used_at < self.after:
            return  # new (just connected) or recently used
        try:
            alive = self.engine.dialect.do_ping(dbapi_connection)
        except self.engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(str(error)) from error
        if not alive:
            raise exc.DisconnectionError("the pooled connection did not answer the ping")


#: Engines given an IdlePing (each engine once, whatever the number of apps binding it).
_pinged: weakref.WeakSet[Engine] = weakref.WeakSet()


def _install_idle_ping(engine: Engine, after: float) -> None:
    if engine.dialect.name == "sqlite" or engine in _pinged:
        return
    _pinged.add(engine)
    ping = IdlePing(engine, after)
    event.listen(engine.pool, "checkin", ping.checkin)
    event.listen(engine.pool, "checkout", ping.checkout)


#: `Session.info` key: this request only reads (see `read_only_request`).
READ_ONLY = "consult_read_only"


def read_only_request() -> None:
    """This request's statements run without a transaction of their own (autocommit).

    A page that only reads pays, on PostgreSQL, two round trips beside its queries: the
    BEGIN before the first and the ROLLBACK when the session closes. Under load those
    cost as much as the page's one query. Called before the request's first query, it
    makes the session's connection autocommit (reset when it goes back to the pool), so
    the page pays only its queries. Each query still sees committed data only (as in
    READ COMMITTED, PostgreSQL's default). Any flush in such a request fails (see
    `_refuse_writes`): a view that writes must not call it. When the session already
    holds a connection (something queried first) nothing changes.
    """
    session = db.session()
    if session.in_transaction():
        return
    session.info[READ_ONLY] = True
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def _refuse_writes(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise RuntimeError("a read-only request tried to write to the database")


def init_database(app: Flask) -> SQLAlchemy:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        options.setdefault("connect_args", {"timeout": 10})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    if not event.contains(Session, "before_flush", _refuse_writes):
        event.listen(Session, "before_flush", _refuse_writes)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(
            engine, "connect", _sqlite_pragmas
        ):
            event.listen(engine, "connect", _sqlite_pragmas)
        if not app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping"):
            _install_idle_ping(engine, float(app.config.get("DATABASE_PING_AFTER", 10.0)))
    return db


def database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        return False
