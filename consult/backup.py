"""Backing up and restoring the database, SQLite or PostgreSQL.

SQLite: sqlite3's online backup API copies the database page by page under SQLite's own
locks, so the copy is consistent while the site keeps running (WAL included). A restore
copies a backup file into the configured database the same way, after checking that the
file is a sound SQLite database.

PostgreSQL: ``pg_dump -Fc`` (a consistent snapshot, also while the site runs) and
``pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error``, so a
failed restore changes nothing. The SQLAlchemy URL is turned into a libpq one; its
password goes in PGPASSWORD, never on the command line where `ps` would show it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump/pg_restore with fixed arguments, no shell
import tempfile
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(RuntimeError):
    """The backup or restore cannot be done; the message says why and what to do."""


def libpq_url(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URL for a SQLAlchemy URL, and the environment with its password."""
    parsed = make_url(url)
    env: dict[str, str] = {}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = URL.create(
        "postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
        database=parsed.database, query=parsed.query,
    )
    return plain.render_as_string(hide_password=False), env


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("The SQLite database is in memory: there is no file to back up.")
    return Path(database)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed. Install the PostgreSQL client tools of the server's "
            "version (Debian: apt-get install postgresql-client) and try again."
        )
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - fixed program, arguments as a list
        command, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def backup(url: str, target: str | Path) -> Path:
    """Write a backup of the database at `url` to the file `target` (replaced whole)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    backend = make_url(url).get_backend_name()
    # Write next to the target, then rename: a failed backup never leaves half a file.
    handle, partial = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        if backend == "sqlite":
            source_path = _sqlite_path(url)
            if not source_path.exists():
                raise BackupError(f"There is no database at {source_path}.")
            with sqlite3.connect(source_path) as source, sqlite3.connect(partial) as copy:
                source.backup(copy)
            source.close()
            copy.close()
        elif backend == "postgresql":
            conninfo, env = libpq_url(url)
            _run([_tool("pg_dump"), "--format=custom", f"--file={partial}",
                  f"--dbname={conninfo}"], env)
        else:
            raise BackupError(f"Backups of {backend} databases are not supported.")
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return target


def _check_sqlite_file(path: Path) -> None:
    with open(path, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} is not a SQLite backup.")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        status = connection.execute("PRAGMA integrity_check").fetchone()
    connection.close()
    if not status or status[0] != "ok":
        raise BackupError(f"{path} is damaged: {status[0] if status else 'no answer'}.")


def restore(url: str, source: str | Path) -> None:
    """Replace the database at `url` by the backup in `source`."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        _check_sqlite_file(source)
        target_path = _sqlite_path(url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as backup_db, sqlite3.connect(target_path) as live:
            backup_db.backup(live)
        backup_db.close()
        live.close()
    elif backend == "postgresql":
        conninfo, env = libpq_url(url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={conninfo}", str(source)],
             env)
    else:
        raise BackupError(f"Restoring {backend} databases is not supported.")
