"""A confirmation step for what cannot be undone or is made public.

The button on the page is a link (GET) to a confirmation page that says what happens,
who sees it and that it cannot be undone; its form posts `confirm=yes` with the CSRF
token. The POST view first asks `refused(...)`: a request that did not come through
the confirmation page (no `confirm=yes`) changes nothing and goes back to that page
with a message, never an error page.

    if request.method == "GET":
        return confirmation_page(Confirmation(...))
    if (refusal := refused(url_of_this_page)) is not None:
        return refusal
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as HTTPResponse
from wtforms import HiddenField
from wtforms.validators import AnyOf

#: The value the confirmation form sends in its `confirm` field.
CONFIRMED = "yes"


class ConfirmationForm(FlaskForm):
    """The confirm button's form: the CSRF token and `confirm=yes`."""

    confirm = HiddenField(validators=[AnyOf([CONFIRMED])])


@dataclass
class Confirmation:
    """What a confirmation page says and where its buttons go."""

    heading: str
    subject: str  # what the act is about, e.g. the consultation's title
    consequences: list[str]  # what happens and who sees it, one sentence each
    confirm_label: str
    action: str  # the POST URL
    back: str  # the cancel link
    danger: bool = True  # a red button for what removes or stops something
    undoable: bool = False  # False: the page says it cannot be undone


def confirmation_page(confirmation: Confirmation, status: int = 200) -> tuple[str, int]:
    return render_template("confirm.html", c=confirmation, form=ConfirmationForm()), status


def refused(confirmation_url: str) -> HTTPResponse | None:
    """None when the request came through the confirmation form; otherwise a redirect
    back to the confirmation page with a message (nothing is changed)."""
    form = ConfirmationForm()
    if form.validate_on_submit():
        return None
    token = getattr(form, "csrf_token", None)  # absent when CSRF is switched off
    if token is not None and token.errors:
        flash(_("The form had expired. Please confirm again."), "error")
    else:
        flash(_("Nothing was changed: please confirm on this page first."), "error")
    return redirect(confirmation_url, code=303)
