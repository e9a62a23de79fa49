"""Binding the database: SQLite pragmas, engine options, the idle ping, read-only requests,
the kept connections for the lightest reads (HeldReads, CheapSelect), and the health probe."""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Select, event, exc, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from .extensions import db

T = TypeVar("T")


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


#: Each engine's DATABASE_PING_AFTER, for the connections HeldReads keeps.
_ping_after: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()

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


class HeldReads:
    """Autocommit connections kept out of the pool for the lightest reads of a process.

    The kept anonymous consultation page is found with one small query (see
    services.consultations.page_cache.anonymous_state). Taking a pooled connection for
    it, switching it to autocommit and back and returning it cost about twice the query
    itself on PostgreSQL. A connection kept in autocommit and reused pays only the
    query. Such a connection only ever runs in autocommit: it never goes back to the
    pool in that state while a request could write through it.

    - Kept per engine and per process (a forked worker never uses its parent's), at
      most `KEEP` of them (more at once, under threads, are returned to the pool).
    - One unused for `after` seconds is pinged before it is used (as IdlePing does for
      the pool) and replaced when it does not answer.
    - One that fails is closed, not kept; a read that failed because the connection
      was cut closes every kept one and is tried once more on a new connection
      (`autocommit_read`).
    - `engine.dispose()` closes them (tests drop databases after disposing).
    """

    KEEP = 2

    def __init__(self, engine: Engine, after: float) -> None:
        self.engine = engine
        self.after = after
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.free: list[tuple[Connection, float]] = []
        self.closed = False

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        connection = self._take()
        try:
            yield connection
        except BaseException:
            connection.close()
            raise
        self._give_back(connection)

    def _take(self) -> Connection:
        with self.lock:
            found = self.free.pop() if self.free else None
        if found is not None:
            connection, used_at = found
            if time.monotonic() - used_at < self.after or self._answers(connection):
                return connection
            connection.invalidate()  # dead: closed, never handed out again
            connection.close()
        return self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")

    def _answers(self, connection: Connection) -> bool:
        dialect = self.engine.dialect
        raw = connection.connection.dbapi_connection
        if raw is None:
            return False
        try:
            return bool(dialect.do_ping(raw))
        except dialect.loaded_dbapi.Error:
            return False

    def _give_back(self, connection: Connection) -> None:
        with self.lock:
            if not self.closed and len(self.free) < self.KEEP and not connection.invalidated:
                self.free.append((connection, time.monotonic()))
                return
        connection.close()

    def close_all(self) -> None:
        with self.lock:
            held, self.free, self.closed = self.free, [], True
        for connection, _used_at in held:
            connection.invalidate()  # closes the DBAPI connection now
            connection.close()


_making_held_reads = threading.Lock()


def _held_reads(engine: Engine) -> HeldReads | None:
    held: HeldReads | None = engine.__dict__.get("consult_held_reads")
    if held is not None and held.pid == os.getpid():
        return held
    if engine.dialect.name == "sqlite":
        return None  # an SQLite connection costs no round trip: the pool is enough
    with _making_held_reads:
        held = engine.__dict__.get("consult_held_reads")
        if held is None or held.pid != os.getpid():
            held = HeldReads(engine, _ping_after.get(engine, 10.0))
            engine.__dict__["consult_held_reads"] = held
        if not event.contains(engine, "engine_disposed", _close_held_reads):
            event.listen(engine, "engine_disposed", _close_held_reads)
    return held


def _close_held_reads(engine: Engine) -> None:
    held: HeldReads | None = engine.__dict__.pop("consult_held_reads", None)
    if held is not None and held.pid == os.getpid():
        held.close_all()


def autocommit_read(engine: Engine, work: Callable[[Connection], T]) -> T:
    """`work(connection)` on a connection in autocommit, for a few light reads outside
    the ORM session: on PostgreSQL one kept for the purpose (HeldReads), tried once
    more on a new connection when the kept one turns out to be cut; on SQLite one
    from the pool."""
    held = _held_reads(engine)
    if held is None:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as pooled:
            return work(pooled)
    try:
        with held.connection() as connection:
            return work(connection)
    except exc.DBAPIError as error:
        if not error.connection_invalidated:
            raise
    _close_held_reads(engine)  # the other kept ones were most likely cut as well
    retry = _held_reads(engine) or held
    with retry.connection() as connection:
        return work(connection)


class CheapSelect:
    """A Core select that returns at most one row, run on the driver's own cursor.

    For the lightest, hottest read (the kept anonymous page's key): SQLAlchemy's
    execution path (execution context, result object, row) costs about as much CPU as
    the query's round trip. The statement is compiled by SQLAlchemy once per dialect
    and its columns converted by the same result processors SQLAlchemy would use, so
    the values equal those of `connection.execute(statement).first()`. The engine's
    `before_cursor_execute` and `after_cursor_execute` listeners are called as for any
    statement (they see it; they cannot rewrite it; `after_cursor_execute` only when it
    succeeded). Parameters go to the driver as given, without SQLAlchemy's bind
    processors: plain values only (text, numbers), no expanding IN.
    """

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple[Any, list[Any]]] = {}

    def first(self, connection: Connection, **params: Any) -> tuple[Any, ...] | None:
        compiled, processors = self._compile(connection.dialect)
        bound = compiled.construct_params(params)
        arguments = ([bound[name] for name in compiled.positiontup]
                     if compiled.positional else bound)
        driver = connection.connection.driver_connection
        dialect = connection.dialect
        try:
            cursor = driver.cursor()  # type: ignore[union-attr]
        except dialect.loaded_dbapi.Error as error:
            raise self._wrapped(connection, error, None, arguments) from error
        # The engine's cursor events still see the statement (query counters, tracing).
        events = connection.dispatch
        events.before_cursor_execute(connection, cursor, compiled.string, arguments,
                                     None, False)
        try:
            cursor.execute(compiled.string, arguments)
            row = cursor.fetchone()
        except dialect.loaded_dbapi.Error as error:
            raise self._wrapped(connection, error, cursor, arguments) from error
        finally:
            cursor.close()
        events.after_cursor_execute(connection, cursor, compiled.string, arguments,
                                    None, False)
        if row is None:
            return None
        return tuple(value if process is None else process(value)
                     for value, process in zip(row, processors, strict=True))

    def _wrapped(self, connection: Connection, error: Any, cursor: Any,
                 arguments: Any) -> exc.StatementError:
        """The driver's error as SQLAlchemy reports it; a connection the server cut is
        invalidated (never reused) and the pool replaced."""
        dialect = connection.dialect
        cut = bool(dialect.is_disconnect(error, connection.connection.driver_connection,
                                         cursor))
        if cut:
            # The server cut this connection, so likely every other one of the pool
            # too (a restart): the pool's idle connections are closed and a new pool
            # made (the kept connections are closed with it, see _close_held_reads);
            # connections other threads hold stay theirs until they return them.
            connection.invalidate(error)
            connection.engine.dispose()
        return exc.DBAPIError.instance(
            self._compile(dialect)[0].string, arguments, error, dialect.loaded_dbapi.Error,
            connection_invalidated=cut, dialect=dialect)

    def _compile(self, dialect: Any) -> tuple[Any, list[Any]]:
        key = f"{dialect.name}+{dialect.driver}"
        found = self._compiled.get(key)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            processors = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                          for column in self.statement.selected_columns]
            found = self._compiled[key] = (compiled, processors)
        return found


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
        ping_after = float(app.config.get("DATABASE_PING_AFTER", 10.0))
        if not app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping"):
            _install_idle_ping(engine, ping_after)
        _ping_after[engine] = ping_after
    return db


def database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        return False
