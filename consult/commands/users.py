"""`flask --app consult users create EMAIL`: accounts made on the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from ..models import Role

group = AppGroup("users", help="Manage accounts.")


@group.command("create")
@click.argument("email")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default=Role.CITIZEN.value,
    show_default=True,
)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_command(email: str, role: str, password: str) -> None:
    """Create a confirmed account, for example the first admin."""
    from ..services import DomainError
    from ..services.accounts.auth import create_user

    try:
        user = create_user(email, password, Role(role), confirmed=True)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.email}.")
