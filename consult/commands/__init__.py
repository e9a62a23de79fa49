"""Every `flask --app consult ...` command, one module per area.

The scheme: `flask --app consult <area> <verb> [ARGUMENTS]`. The area is a noun, the
name of one module here; the verb says what happens, in lower case with hyphens.

    users create EMAIL [--role R] [--password P]   accounts (users.py)
    translations update | compile                  the message catalogues (translations.py)
    demo load                                      demo data, twice changes nothing (demo.py)
    jobs work [--burst]                            a background-job worker (jobs.py)
    data purge-expired [--now T]                   retention periods, daily (data.py)
    data backup FILE | data restore FILE [--yes]   the whole database (data.py)
    analysis run SLUG [--k K]                      the opinion analysis (analysis.py)
    events check | expire-offers | send-reminders  events and tastings, cron (events.py)
    mail deliver [--retry-failed]                  the outbox's due mails, cron (mail.py)
    follow send-notices                            notices to followers, cron (follow.py)

`db` (Flask-Migrate) stays as it is. The names used before this scheme still work, hidden
from the command list, for one release: see `OLD_NAMES`.
"""

from __future__ import annotations

import copy

import click
from flask import Flask

from . import analysis, data, demo, events, follow, jobs, mail, translations, users

#: Old top-level name -> (group, verb) of the command that replaced it. Kept for one
#: release as hidden aliases that behave exactly as before; remove them after.
OLD_NAMES: dict[str, tuple[click.Group, str]] = {
    "demo-data": (demo.group, "load"),
    "worker": (jobs.group, "work"),
    "purge-expired": (data.group, "purge-expired"),
    "backup": (data.group, "backup"),
    "restore": (data.group, "restore"),
    "analyse": (analysis.group, "run"),
    "send-reminders": (events.group, "send-reminders"),
}

GROUPS: tuple[click.Group, ...] = (
    users.group, translations.group, demo.group, jobs.group, data.group, analysis.group,
    events.group, mail.group, follow.group,
)


def hidden_alias(old_name: str, group: click.Group, verb: str) -> click.Command:
    """The command `group verb` under its old name: same options, hidden from the list."""
    command = group.commands[verb]
    alias = copy.copy(command)
    alias.name = old_name
    alias.hidden = True
    alias.help = (f"{command.help or ''}\n\nOld name of `flask --app consult {group.name} "
                  f"{verb}`, kept for one release.")
    return alias


def init_app(app: Flask) -> None:
    """Add every command group and the hidden old names to `app.cli`."""
    for group in GROUPS:
        app.cli.add_command(group)
    for old_name, (group, verb) in OLD_NAMES.items():
        app.cli.add_command(hidden_alias(old_name, group, verb))
