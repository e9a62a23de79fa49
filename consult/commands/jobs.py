"""`flask --app consult jobs work`: a background-job worker on Redis (see consult/jobs.py)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

group = AppGroup("jobs", help="Background jobs.")


@group.command("work")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def work_command(burst: bool) -> None:
    """Run a background-job worker (needs CONSULT_REDIS_URL)."""
    from ..jobs import work

    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url:
        raise click.ClickException("CONSULT_REDIS_URL is not set: jobs run in threads instead.")
    work(redis_url, burst=burst)
