"""`flask --app consult ...` commands: users, demo data, translations."""

from __future__ import annotations

import os
import shutil
import subprocess  # noqa: S404 - runs pybabel, a fixed local command
import sys
from collections.abc import Callable

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db
from .models import Role

users_cli = AppGroup("users", help="Manage accounts.")
translations_cli = AppGroup("translations", help="Extract, update and compile translations.")


@users_cli.command("create")
@click.argument("email")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default=Role.CITIZEN.value,
    show_default=True,
)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(email: str, role: str, password: str) -> None:
    """Create a confirmed account, for example the first admin."""
    from consult.services.accounts.auth import create_user

    from .services import DomainError

    try:
        user = create_user(email, password, Role(role), confirmed=True)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.email}.")


class _Progress:
    """A progress bar per step, on stderr, that shows only when there is much to do."""

    def __call__(self, label: str, total: int) -> Callable[[int], None]:
        from tqdm import tqdm

        bar = tqdm(total=total, desc=label, file=sys.stderr, disable=total < 200, leave=False)

        def advance(n: int = 1) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return advance


@click.command("demo-data")
def demo_data_command() -> None:
    """Fill the database with demo topics, principles, accounts and content."""
    from consult.demo.steps import load_demo_data

    lines = load_demo_data(_Progress())
    db.session.commit()
    for line in lines:
        click.echo(line)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run a background-job worker (needs CONSULT_REDIS_URL)."""
    from flask import current_app

    from .jobs import work

    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url:
        raise click.ClickException("CONSULT_REDIS_URL is not set: jobs run in threads instead.")
    work(redis_url, burst=burst)


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRANSLATIONS = os.path.join(ROOT, "translations")
POT = os.path.join(TRANSLATIONS, "messages.pot")


def _pybabel(*args: str) -> None:
    exe = shutil.which("pybabel", path=os.path.dirname(sys.executable)) or "pybabel"
    subprocess.run([exe, *args], check=True, cwd=ROOT)  # noqa: S603


@translations_cli.command("update")
def translations_update() -> None:
    """Extract messages from code and templates and merge them into nl and en."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
             "--project", "consult", "-o", POT, ".")
    for locale in ("nl", "en"):
        po = os.path.join(TRANSLATIONS, locale, "LC_MESSAGES", "messages.po")
        if not os.path.exists(po):
            _pybabel("init", "-i", POT, "-d", TRANSLATIONS, "-l", locale)
    _pybabel("update", "-i", POT, "-d", TRANSLATIONS, "--no-fuzzy-matching", "--ignore-obsolete")
    from .translation_tools import fill_english

    fill_english(os.path.join(TRANSLATIONS, "en", "LC_MESSAGES", "messages.po"))


@translations_cli.command("compile")
def translations_compile() -> None:
    """Compile the .po files into .mo files (run by the setup step)."""
    _pybabel("compile", "-d", TRANSLATIONS, "--statistics")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(translations_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(worker_command)
    from .analysis_cli import analyse_command

    app.cli.add_command(analyse_command)
    from . import maintenance_cli

    maintenance_cli.init_app(app)
