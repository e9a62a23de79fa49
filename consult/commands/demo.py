"""`flask --app consult demo load`: demo data where missing (twice changes nothing)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db

group = AppGroup("demo", help="Demo data for a local site.")


@group.command("load")
def load_command() -> None:
    """Fill the database with demo topics, principles, accounts and content."""
    from ..demo.progress import ProgressBars
    from ..demo.steps import load_demo_data

    lines = load_demo_data(ProgressBars())
    db.session.commit()
    for line in lines:
        click.echo(line)
