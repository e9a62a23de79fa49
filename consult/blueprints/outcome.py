"""Run a service, then commit; or, when a rule says no, roll back and show why.

Every view that changes something calls its service inside `commit_or_show`:

    with commit_or_show(form) as outcome:
        manage.create_event(current_actor(), data)
    if outcome.ok:
        flash(...)
        return redirect(...)
    return render_template(..., form=form)  # the message is at its field

On success the transaction is committed. On a `DomainError` it is rolled back (always,
so nothing half-done is kept) and the message goes to the form field the error names,
to the form's own errors when there is no such field, or, without a form, to a flashed
message. `quiet=True` leaves showing it to the view, which reads `outcome.error`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import flash
from flask_wtf import FlaskForm

from ..extensions import db
from ..services import DomainError


@dataclass
class Outcome:
    """What became of the block: committed (`ok`), or the rule that said no (`error`)."""

    ok: bool = False
    error: DomainError | None = None
    commit: bool = True

    def skip_commit(self) -> None:
        """Nothing was saved (for example the form had mistakes): leave the transaction."""
        self.commit = False


def show_error(form: FlaskForm | None, error: DomainError) -> None:
    """Put a rule's message at its field, at the top of the form, or in a flash; when
    several rules said no (DomainErrors), each of their messages."""
    for one in getattr(error, "errors", [error]):
        if form is None:
            flash(str(one.message), "error")
            continue
        field = getattr(form, one.field, None) if one.field else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, one.message]
        else:
            form.form_errors.append(one.message)


def unreadable_fields(form: FlaskForm) -> frozenset[str]:
    """The fields the form could not read (they already have a message): the rules that
    read them are skipped, the others still run, so every mistake shows at once."""
    return frozenset(name for name, field in form._fields.items() if field.errors)


@contextmanager
def commit_or_show(form: FlaskForm | None = None, *, quiet: bool = False) -> Iterator[Outcome]:
    """Commit what the block did; on a DomainError roll back and show the message."""
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as error:
        db.session.rollback()
        outcome.error = error
        if not quiet:
            show_error(form, error)
    else:
        if outcome.commit:
            db.session.commit()
            outcome.ok = True
