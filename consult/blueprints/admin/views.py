"""Admin pages: the audit log, the list of accounts, and changing an account's role."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from consult.services.accounts import admin
from consult.services.accounts import labels as account_labels

from ...extensions import db
from ...models import Role, User
from ..access import current_actor, role_required
from ..outcome import commit_or_show
from ..paging import page_arg, size_arg
from .forms import ROLE_LABELS, AuditFilterForm, RoleForm, UserSearchForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.context_processor
def role_labels() -> dict[str, Any]:
    return {"role_labels": {role.value: label for role, label in ROLE_LABELS.items()},
            **account_labels.template_labels()}


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log() -> str:
    form = AuditFilterForm(request.args)
    form.action.choices = [
        SelectChoice("", _("All actions")),
        *(SelectChoice(a, str(account_labels.action_label(a))) for a in admin.audit_actions()),
    ]
    valid = form.validate()
    pagination = admin.audit_page(
        page_arg(),
        form.action.data or "",
        (form.actor.data or "") if valid else "",
        size_arg(),
    )
    entries = list(pagination.items)
    return render_template(
        "admin/audit.html",
        form=form,
        pagination=pagination,
        entries=entries,
        actors=admin.actor_emails(entries),
    )


@bp.get("/users")
@role_required(Role.ADMIN)
def users() -> str:
    form = UserSearchForm(request.args)
    valid = form.validate()
    pagination = admin.users_page(page_arg(), (form.q.data or "") if valid else "",
                                  size_arg())
    return render_template("admin/users.html", form=form, pagination=pagination)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user(user_id: int) -> str | Response:
    person = db.get_or_404(User, user_id)
    form = RoleForm(data={"role": person.role.value} if request.method == "GET" else None)
    if form.validate_on_submit():
        with commit_or_show(form) as outcome:
            changed = admin.change_role(current_actor(), person, Role(form.role.data))
        if outcome.ok:
            if changed:
                flash(_("The role is changed."), "success")
            else:
                flash(_("The role was already this one; nothing changed."), "info")
            return redirect(url_for("admin.user", user_id=person.id))
    return render_template("admin/user.html", form=form, person=person)
