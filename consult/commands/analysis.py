"""`flask --app consult analysis run SLUG`: analyse a consultation now and store the snapshot."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..extensions import db

group = AppGroup("analysis", help="The opinion analysis of consultations.")


@group.command("run")
@click.argument("slug")
@click.option("--k", type=click.IntRange(1, 12), default=None,
              help="Force this number of groups (default: chosen from the data).")
def run_command(slug: str, k: int | None) -> None:
    """Run the opinion analysis of consultation SLUG (progress bar on stderr)."""
    from tqdm import tqdm

    from ..services.consultations.editing import by_slug
    from ..services.insights import run as analysis

    consultation = by_slug(slug)
    if consultation is None:
        raise click.ClickException(f"No consultation with the slug {slug!r}.")
    with tqdm(total=len(analysis.STEPS), desc="analysis", file=sys.stderr,
              leave=False) as bar:
        seen: list[str] = []

        def progress(step: str) -> None:
            if seen:
                bar.update(1)
            seen.append(step)
            bar.set_description(step)

        run = analysis.run(consultation, progress=progress, k=k)
        bar.update(1)
    db.session.commit()
    results = run.results or {}
    if run.status.value == "failed":
        click.echo(f"Analysis run {run.id} failed: {run.error}", err=True)
        sys.exit(1)
    click.echo(f"Analysis run {run.id} of {slug}: {results.get('n_respondents', 0)} responses, "
               f"{results.get('n_items', 0)} items, {results.get('k', 0)} group(s), "
               f"{run.timings.get('total', 0):.1f} s.")
    if results.get("notice"):
        click.echo(f"Note: {results['notice'].replace('_', ' ')} (see the analysis page).")
    for line in results.get("summary", {}).get("en", []):
        click.echo(f"  {line}")
