"""`flask --app consult data purge-expired|backup|restore`: the data as a whole, for cron
and administrators.

`purge-expired` runs every privacy area's purge step (see services/privacy.py); `backup`
and `restore` copy the whole database to and from a file (see consult/backup.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db

group = AppGroup("data", help="Retention periods, backup and restore.")


def _parse_now(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter("give an ISO 8601 time, like 2026-01-31T03:00:00+00:00") from error
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@group.command("purge-expired")
@click.option("--now", callback=_parse_now, metavar="ISO-TIME",
              help="Act as if it were this time (UTC when no offset is given). For tests.")
def purge_expired_command(now: datetime | None) -> None:
    """Delete personal data past its retention period (run daily; twice changes nothing)."""
    from ..services.privacy import purge_expired

    counts = purge_expired(now)
    db.session.commit()
    for area, count in counts.items():
        click.echo(f"{area}: {count} removed")


@group.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def backup_command(file: str) -> None:
    """Write a consistent backup of the database to FILE (safe while the site runs)."""
    from ..backup import BackupError, backup

    try:
        path = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {path}.")


@group.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: str, yes: bool) -> None:
    """Replace the whole database by the backup in FILE (stop the site first)."""
    from ..backup import BackupError, restore

    if not yes:
        click.confirm("This replaces all data in the database by the backup. Go on?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no open connection of ours holds on to the old data
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Database restored from {file}.")
