"""A person's declared organisations: the list, and declaring one (which asks the
officials to verify it before its name is published)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from consult.services.organisations import declarations
from consult.services.organisations.labels import KIND_LABELS

from ..access import current_actor
from ..outcome import commit_or_show
from .forms import DeclarationForm
from .views import bp


def _declaration(form: DeclarationForm) -> declarations.Declaration:
    return declarations.Declaration(
        name=form.name.data or "", kind=form.kind.data or "",
        kvk_number=form.kvk_number.data or "", register_id=form.register_id.data or "",
        website=form.website.data or "", declared_interest=form.declared_interest.data or "")


@bp.route("/organisations", methods=["GET", "POST"])
@login_required
def organisations() -> str | Response:
    form = DeclarationForm()
    form.kind.choices = [SelectChoice(k.value, label) for k, label in KIND_LABELS.items()]
    if form.validate_on_submit():
        declaration = _declaration(form)
        mistakes = declarations.check(declaration)
        for name, message in mistakes.items():
            getattr(form, name).errors = [*getattr(form, name).errors, message]
        if not mistakes:
            with commit_or_show(form) as outcome:
                declarations.declare(current_actor(), declaration)
            if outcome.ok:
                flash(_("Your organisation is declared. An official will verify it; until "
                        "then your responses for it show as “organisation (not "
                        "verified)”."), "success")
                return redirect(url_for("accounts.organisations"))
    return render_template("accounts/organisations.html", form=form,
                           declared=declarations.declared_by(current_actor()))
