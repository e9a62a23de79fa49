"""The kept anonymous consultation page's light read: a kept autocommit connection and
a select run on the driver's cursor (consult.database.HeldReads and CheapSelect).

What they must keep:
- the select's values equal SQLAlchemy's own (dates, statuses) on SQLite and PostgreSQL,
  and the engine's cursor listeners still see the statement;
- on PostgreSQL the same connection serves the next visitor (nothing taken from the
  pool), and no connection the pool hands to a writing request is left in autocommit;
- a kept connection the server cut answers the next visitor without an error;
- `engine.dispose()` closes the kept connections (tests drop databases after it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import Connection, bindparam, create_engine, event, select, text

from consult.database import CheapSelect, autocommit_read
from consult.extensions import db
from consult.models import Consultation, ConsultationStatus
from tests.factories.consultations import build_consultation
from tests.support.apps import PG_URL, need

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


def _consultation(app: Flask) -> str:
    with app.test_request_context("/"):
        consultation = build_consultation()
        consultation.opens_at = datetime(2026, 1, 2, 9, 30, tzinfo=UTC)
        db.session.commit()
        return consultation.slug


def _postgres_app(app_factory: Callable[..., Flask], **config: object) -> Flask:
    need(bool(PG_URL), "PostgreSQL: set CONSULT_TEST_DATABASE_URL")
    return app_factory("postgresql", **config)


def _served_once(app_factory: Callable[..., Flask], ping_after: float
                 ) -> tuple[Flask, str, int]:
    """A PostgreSQL app whose consultation page an anonymous visitor has seen once: the
    app, the page's URL, and the backend of the connection it now keeps."""
    app = _postgres_app(app_factory, DATABASE_PING_AFTER=ping_after)
    url = f"/consultations/{_consultation(app)}"
    assert app.test_client().get(url).status_code == 200
    return app, url, _backend_pid(app)


def _backend_pid(app: Flask) -> int:
    with app.app_context():
        held = db.engine.__dict__["consult_held_reads"]
        connection, _used_at = held.free[0]
        return int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar())


def _alive(pid: int) -> bool:
    probe = create_engine(PG_URL)
    try:
        with probe.connect() as connection:
            return connection.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": pid}).scalar() == 1
    finally:
        probe.dispose()


def _terminate(pid: int) -> None:
    """End a backend as a server restart would, and wait until it is gone."""
    killer = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with killer.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid, 5000)"),
                                      {"pid": pid}).scalar() is True
    finally:
        killer.dispose()
    assert not _alive(pid)


def test_the_cheap_select_gives_what_sqlalchemy_gives(db_app: Flask) -> None:
    slug = _consultation(db_app)
    columns = Consultation.__table__.c
    statement = (select(columns.id, columns.created_at, columns.status, columns.opens_at,
                        columns.closes_at, columns.version)
                 .where(columns.slug == bindparam("slug")))
    seen: list[str] = []

    def record(_connection: object, _cursor: object, sql: str, *_rest: object) -> None:
        seen.append(sql)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        cheap = autocommit_read(db.engine, lambda c: CheapSelect(statement).first(c, slug=slug))
        missing = autocommit_read(
            db.engine, lambda c: CheapSelect(statement).first(c, slug="no-such-slug"))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    with db.engine.connect() as connection:
        usual = tuple(connection.execute(statement, {"slug": slug}).one())
    assert cheap == usual
    assert isinstance(cheap[2], ConsultationStatus)  # not the stored text
    assert cheap[3] == datetime(2026, 1, 2, 9, 30, tzinfo=UTC)
    assert missing is None
    assert len(seen) == 2 and "consultations" in seen[0]


def test_one_kept_connection_serves_every_anonymous_visitor(
        app_factory: Callable[..., Flask]) -> None:
    app, url, first = _served_once(app_factory, ping_after=3600)
    for _visitor in range(3):
        assert app.test_client().get(url).status_code == 200
    assert _backend_pid(app) == first
    with app.app_context():
        held = db.engine.__dict__["consult_held_reads"]
        assert len(held.free) == 1
        # What the pool hands a request that writes is transactional, not autocommit.
        driver = db.session.connection().connection.driver_connection
        assert driver.autocommit is False
        db.session.rollback()


def test_a_kept_connection_cut_by_the_server_is_replaced_without_an_error(
        app_factory: Callable[..., Flask]) -> None:
    app = _postgres_app(app_factory, DATABASE_PING_AFTER=3600)  # no idle ping first
    slug = _consultation(app)
    columns = Consultation.__table__.c
    read = CheapSelect(select(columns.id).where(columns.slug == bindparam("slug")))

    def pid_and_row(connection: Connection) -> tuple[int, object]:
        return (connection.connection.driver_connection.info.backend_pid,  # type: ignore[union-attr]
                read.first(connection, slug=slug))

    with app.app_context():
        cut, row = autocommit_read(db.engine, pid_and_row)
        _terminate(cut)
        # The kept connection is dead: the read is tried once more on a new one.
        again, same_row = autocommit_read(db.engine, pid_and_row)
        assert (again != cut, same_row) == (True, row)
    url = f"/consultations/{slug}"
    for _visitor in range(3):
        assert app.test_client().get(url).status_code == 200


def test_a_kept_connection_unused_for_a_while_is_pinged_and_replaced_when_cut(
        app_factory: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    app, url, cut = _served_once(app_factory, ping_after=0)  # always "unused a while"
    with app.app_context():
        engine = db.engine
        pool = engine.pool
    pings: list[bool] = []
    real = engine.dialect.do_ping

    def counting(connection: object) -> bool:
        answered = False  # also when the ping raises
        try:
            answered = bool(real(connection))
            return answered
        finally:
            pings.append(answered)

    monkeypatch.setattr(engine.dialect, "do_ping", counting)
    _terminate(cut)
    assert app.test_client().get(url).status_code == 200
    assert pings[:1] == [False]  # the kept connection was pinged first and found cut
    assert engine.pool is pool  # replaced by the ping, without the error path's new pool
    assert _backend_pid(app) != cut


def test_disposing_the_engine_closes_the_kept_connections(
        app_factory: Callable[..., Flask]) -> None:
    app, _url, pid = _served_once(app_factory, ping_after=3600)
    assert _alive(pid)
    with app.app_context():
        db.engine.dispose()
        assert "consult_held_reads" not in db.engine.__dict__
    assert not _alive(pid)
