"""`flask --app consult events check|expire-offers|send-reminders`: events, from cron.

Dietary notes are purged by `flask --app consult data purge-expired` (the events area of
the privacy registry, services/events/retention.py).

Mails need absolute links; outside a request they are built from BASE_URL (or
SERVER_NAME). Each command commits once at the end and is safe to run again.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from ..mail import links_outside_a_request
from ..models import utcnow
from ..services.events import reminders, seats, waitlist

group = AppGroup("events", help="Events and tastings: checks and mails, for cron.")


@group.command("check")
def check_command() -> None:
    """Report every event whose seat counter differs from its registrations (exit 1)."""
    mismatches = seats.counter_mismatches()
    for m in mismatches:
        click.echo(f"event {m.event_id} ({m.title}): counter {m.counter}, "
                   f"registrations hold {m.registrations}")
    if mismatches:
        raise SystemExit(1)
    click.echo("All seat counters match their registrations.")


@group.command("expire-offers")
def expire_offers_command() -> None:
    """Close waiting-list offers that ran out and offer the seats to the next in line."""
    with links_outside_a_request():
        count = waitlist.expire_offers(utcnow())
        db.session.commit()
    click.echo(f"{count} offers expired.")


@group.command("send-reminders")
def send_reminders_command() -> None:
    """Mail each confirmed registrant a reminder before their event, once."""
    with links_outside_a_request():
        count = reminders.send_reminders(utcnow())
        db.session.commit()
    click.echo(f"{count} reminders sent.")
