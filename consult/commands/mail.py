"""`flask --app consult mail deliver`: send the outbox's due mails (cron, every minute).

Requests queue their mails' delivery themselves (see consult/mail_delivery.py); this
command sends what is left: retries whose wait is over, and mails whose job was lost.
Two of these running at once never send a mail twice.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

group = AppGroup("mail", help="The outbox of mails.")


@group.command("deliver")
@click.option("--retry-failed", is_flag=True,
              help="First put mails that failed for good back in the queue.")
def deliver_command(retry_failed: bool) -> None:
    """Send every mail that is due (run every minute; twice at once sends nothing twice)."""
    from ..mail_delivery import deliver_due, pending_count
    from ..mail_delivery import retry_failed as put_back

    if retry_failed:
        click.echo(f"put back: {put_back()}")
    counts = deliver_due()
    click.echo(f"sent: {counts.get('sent', 0)}, to retry later: {counts.get('retry', 0)}, "
               f"failed for good: {counts.get('failed', 0)}, still pending: {pending_count()}")
