"""Backup and restore, on SQLite and PostgreSQL, into an empty database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from consult.backup import libpq_url
from consult.extensions import db
from consult.models import AuditEntry, Role, User
from consult.services import audit
from consult.services.accounts.auth import create_user
from tests.support.apps import PG_URL, make_app, need, reset_postgres


def _fill(app: Flask) -> None:
    with app.app_context():
        db.create_all()
        anna = create_user("anna@example.nl", "correct horse battery", Role.OFFICIAL,
                           confirmed=True)
        create_user("bram@example.nl", "correct horse battery")
        audit.record(anna, "consultation.published", marker="restored")
        db.session.commit()


def _contents(app: Flask) -> tuple[list[str], list[str]]:
    with app.app_context():
        emails = list(db.session.scalars(select(User.email).order_by(User.email)))
        actions = list(db.session.scalars(select(AuditEntry.action)))
        db.session.remove()
        db.engine.dispose()
    return emails, actions


def test_sqlite_backup_restores_into_an_empty_database(tmp_path: Path) -> None:
    source = make_app(tmp_path / "a")
    _fill(source)
    backup_file = tmp_path / "backups" / "consult.sqlite3.bak"
    result = source.test_cli_runner().invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert backup_file.read_bytes().startswith(b"SQLite format 3\x00")

    target = make_app(tmp_path / "b", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert not (tmp_path / "empty.sqlite3").exists() or _contents(target) == ([], [])
    result = target.test_cli_runner().invoke(args=["restore", "--yes", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert _contents(target) == (
        ["anna@example.nl", "bram@example.nl"], ["consultation.published"]
    )


def test_sqlite_backup_sees_committed_writes_while_a_connection_is_open(tmp_path: Path) -> None:
    """The site keeps a connection open (WAL mode); the backup still has the latest rows."""
    app = make_app(tmp_path)
    _fill(app)
    with app.app_context():
        connection = db.engine.connect()  # a worker of the running site
        connection.execute(text("SELECT count(*) FROM users"))
        create_user("late@example.nl", "correct horse battery")
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.bak")])
        assert result.exit_code == 0, result.output
        connection.close()
    copy = create_engine(f"sqlite:///{tmp_path / 'b.bak'}")
    with copy.connect() as check:
        assert check.execute(text("SELECT count(*) FROM users")).scalar() == 3
    copy.dispose()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    _fill(app)
    junk = tmp_path / "junk.bak"
    junk.write_text("not a database")
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(junk)])
    assert result.exit_code == 1
    assert "is not a SQLite backup" in result.output
    assert _contents(app)[0] == ["anna@example.nl", "bram@example.nl"]  # nothing changed


def test_restore_asks_before_replacing_the_data(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    _fill(app)
    app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.bak")])
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "b.bak")], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output


def test_libpq_url_drops_the_driver_and_moves_the_password_out() -> None:
    url, env = libpq_url("postgresql+psycopg://consult:s3cret@db.internal:5433/consult")
    assert url == "postgresql://consult@db.internal:5433/consult"
    assert env == {"PGPASSWORD": "s3cret"}
    assert libpq_url("postgresql+psycopg://postgres@127.0.0.1/x") == (
        "postgresql://postgres@127.0.0.1/x", {}
    )


def test_a_missing_pg_dump_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:5432/whatever")
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.dump")])
    assert result.exit_code == 1
    assert "pg_dump is not installed" in result.output
    assert not (tmp_path / "x.dump").exists()


@pytest.fixture
def empty_pg_database() -> Iterator[str]:
    """A second, empty PostgreSQL database next to the test one; dropped afterwards."""
    need(bool(PG_URL), "PostgreSQL: set CONSULT_TEST_DATABASE_URL")
    need(shutil.which("pg_dump") is not None and shutil.which("pg_restore") is not None,
         "pg_dump and pg_restore (apt-get install postgresql-client)")
    url = make_url(PG_URL)
    name = f"{url.database}_restore"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_postgresql_backup_restores_into_an_empty_database(
    tmp_path: Path, empty_pg_database: str
) -> None:
    reset_postgres(PG_URL)
    source = make_app(tmp_path / "a", PG_URL)
    _fill(source)
    dump = tmp_path / "consult.dump"
    result = source.test_cli_runner().invoke(args=["backup", str(dump)])
    assert result.exit_code == 0, result.output
    assert dump.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    _contents(source)  # closes the source's connections

    target = make_app(tmp_path / "b", empty_pg_database)
    with target.app_context():
        count = db.session.scalar(
            text("SELECT count(*) FROM information_schema.tables WHERE table_schema='public'")
        )
        db.session.remove()
        db.engine.dispose()
    assert count == 0
    result = target.test_cli_runner().invoke(args=["restore", "--yes", str(dump)])
    assert result.exit_code == 0, result.output
    assert _contents(target) == (
        ["anna@example.nl", "bram@example.nl"], ["consultation.published"]
    )
    with target.app_context():
        # The sequences came back too: a new account gets a fresh id.
        create_user("new@example.nl", "correct horse battery")
        db.session.commit()
        assert db.session.scalar(select(func.count(User.id))) == 3
        db.session.remove()
        db.engine.dispose()


def test_postgresql_restore_of_a_damaged_file_changes_nothing(
    tmp_path: Path, empty_pg_database: str
) -> None:
    target = make_app(tmp_path, empty_pg_database)
    _fill(target)
    _contents(target)
    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(b"PGDMP" + b"\x00" * 100)
    result = target.test_cli_runner().invoke(args=["restore", "--yes", str(damaged)])
    assert result.exit_code == 1 and "pg_restore failed" in result.output
    assert _contents(target)[0] == ["anna@example.nl", "bram@example.nl"]
