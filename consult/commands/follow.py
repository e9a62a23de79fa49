"""`flask --app consult follow send-notices`: the notices to those who follow, from cron.

Run it every few minutes: it mails what is due (a consultation open, a week before its
close, its report, a tasting's registration open) to each follower who has not had it.
Each notice is claimed in the database before its mail goes (services/follow/notices.py),
so this command, the background job and a second cron run never mail anyone twice.
Links are built from BASE_URL (or SERVER_NAME).
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..services.follow import notices

group = AppGroup("follow", help="Following topics, consultations and tastings: notices, for cron.")


@group.command("send-notices")
def send_notices_command() -> None:
    """Mail every due notice to every follower who has not had it (twice sends nothing)."""
    count = notices.send_due()
    click.echo(f"{count} notices sent.")
