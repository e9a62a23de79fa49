"""Every command is `flask --app consult <area> <verb>`; the old names still work, hidden."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import func, select

from consult.commands import GROUPS, OLD_NAMES
from consult.extensions import db
from consult.models import Consultation, Event, Response, Role, Topic, User
from consult.services.accounts.auth import create_user
from tests.support.apps import make_app

NEW_NAMES = {
    "users": ["create"],
    "translations": ["compile", "update"],
    "demo": ["load"],
    "jobs": ["work"],
    "data": ["backup", "purge-expired", "restore"],
    "analysis": ["run"],
    "events": ["check", "expire-offers", "send-reminders"],
    "mail": ["deliver"],
    "follow": ["send-notices"],
}


def _listed(output: str) -> list[str]:
    """The command names in a `--help` page."""
    lines = output.split("Commands:", 1)[1].splitlines()
    return [line.split()[0] for line in lines if line.startswith("  ") and line.strip()]


def test_each_area_is_a_group_of_verbs(app: Flask) -> None:
    assert {group.name: sorted(group.commands) for group in GROUPS} == NEW_NAMES
    runner = app.test_cli_runner()
    listed = _listed(runner.invoke(args=["--help"]).output)
    assert set(NEW_NAMES) <= set(listed)
    assert not set(OLD_NAMES) & set(listed)  # the old names are hidden
    for area, verbs in NEW_NAMES.items():
        assert _listed(runner.invoke(args=[area, "--help"]).output) == verbs


def test_every_old_name_runs_the_new_command_with_the_same_options(app: Flask) -> None:
    assert sorted(OLD_NAMES) == ["analyse", "backup", "demo-data", "purge-expired",
                                 "restore", "send-reminders", "worker"]
    for old_name, (group, verb) in OLD_NAMES.items():
        old, new = app.cli.commands[old_name], group.commands[verb]
        assert old.hidden and not new.hidden
        assert old.callback is new.callback
        assert [p.name for p in old.params] == [p.name for p in new.params]
        assert f"flask --app consult {group.name} {verb}" in (old.help or "")
        assert isinstance(app.cli.commands[group.name or ""], click.Group)


def _counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model)) or 0
                 for model in (User, Topic, Event, Consultation, Response))


def test_demo_load_twice_changes_nothing_and_the_old_name_agrees(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "beheer@consult.example" in first.output
    before = _counts()
    # accounts, the four topics, three events (a tasting and a workshop to come, a tasting
    # held two weeks ago), two consultations
    assert before[0] >= 4 and before[1] == 4 and before[2] == 3 and before[3] == 2
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert "  added" not in second.output and "0 entries added" in second.output
    assert _counts() == before
    old = runner.invoke(args=["demo-data"])
    assert old.exit_code == 0, old.output
    assert _report(old.output) == _report(second.output)
    assert _counts() == before


def _report(output: str) -> list[str]:
    """The demo command's own report lines, without the progress bars and log lines a
    busy run may interleave on the same terminal."""
    return [line for line in output.splitlines()
            if line.strip() and "it/s" not in line and not line.startswith(("INFO", "WARNING"))]


def test_data_purge_expired_under_both_names(app: Flask) -> None:
    runner = app.test_cli_runner()
    new = runner.invoke(args=["data", "purge-expired", "--now", "2026-03-01T04:00:00"])
    assert new.exit_code == 0, new.output
    assert new.output == ("account: 0 removed\noutbox: 0 removed\nevents: 0 removed\n"
                          "consultations: 0 removed\nfollow: 0 removed\n")
    old = runner.invoke(args=["purge-expired", "--now", "2026-03-01T04:00:00"])
    assert old.output == new.output
    bad = runner.invoke(args=["data", "purge-expired", "--now", "next tuesday"])
    assert bad.exit_code == 2 and "ISO 8601" in bad.output


def test_data_backup_and_restore_into_an_empty_database(tmp_path: Path) -> None:
    source = make_app(tmp_path / "a")
    with source.app_context():
        db.create_all()
        create_user("anna@example.nl", "correct horse battery", Role.OFFICIAL, confirmed=True)
        db.session.commit()
    backup_file = tmp_path / "consult.bak"
    result = source.test_cli_runner().invoke(args=["data", "backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Backup written to {backup_file}.\n"

    target = make_app(tmp_path / "b", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    refused = target.test_cli_runner().invoke(args=["data", "restore", str(backup_file)],
                                              input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    result = target.test_cli_runner().invoke(args=["data", "restore", "--yes",
                                                   str(backup_file)])
    assert result.exit_code == 0, result.output
    with target.app_context():
        assert list(db.session.scalars(select(User.email))) == ["anna@example.nl"]
        db.session.remove()
        db.engine.dispose()
    with source.app_context():
        db.session.remove()
        db.engine.dispose()


def test_events_send_reminders_under_both_names(app: Flask) -> None:
    runner = app.test_cli_runner()
    for args in (["events", "send-reminders"], ["send-reminders"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0 and result.output == "0 reminders sent.\n"


def test_analysis_run_under_both_names(app: Flask) -> None:
    runner = app.test_cli_runner()
    for args in (["analysis", "run", "no-such-slug"], ["analyse", "no-such-slug"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1
        assert "No consultation with the slug 'no-such-slug'" in result.output


def test_jobs_work_needs_redis_under_both_names(app_factory: Callable[..., Flask]) -> None:
    runner = app_factory(REDIS_URL=None).test_cli_runner()
    for args in (["jobs", "work", "--burst"], ["worker", "--burst"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1
        assert "CONSULT_REDIS_URL is not set" in result.output
