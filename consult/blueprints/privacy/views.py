"""Download my data (a JSON file) and delete my account (after the password)."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from consult.services import privacy

from ...extensions import db, limiter
from ...models import utcnow
from ..access import current_actor
from ..outcome import commit_or_show
from .forms import DeleteAccountForm, DownloadForm

bp = Blueprint("privacy", __name__, url_prefix="/account")


def _per_account() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])


def _account_key() -> str:
    return f"delete-account:{getattr(current_user, 'id', '')}"


@bp.route("/my-data", methods=["GET", "POST"])
@login_required
def download() -> str | Response:
    form = DownloadForm()
    if form.validate_on_submit():
        data = privacy.export_user(current_actor())
        db.session.commit()
        body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
        filename = f"consult-my-data-{utcnow():%Y-%m-%d}.json"
        return Response(
            body,
            mimetype="application/json",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
            },
        )
    return render_template("privacy/download.html", form=form)


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(_per_account, key_func=_account_key, methods=["POST"])
def delete() -> str | Response:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        with commit_or_show(form) as outcome:
            privacy.delete_account(current_actor(), form.password.data or "")
        if outcome.ok:
            logout_user()
            flash(_("Your account and your data are deleted. We sent a confirmation."), "success")
            return redirect(url_for("public.home"))
    return render_template("privacy/delete.html", form=form)
