"""Admin pages: the audit log, the list of accounts, and changing an account's role."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from consult.services import DomainError
from consult.services.accounts import admin

from ...extensions import db
from ...models import Role, User
from ..access import role_required
from .forms import ROLE_LABELS, AuditFilterForm, RoleForm, UserSearchForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.context_processor
def role_labels() -> dict[str, Any]:
    return {"role_labels": {role.value: label for role, label in ROLE_LABELS.items()}}


def _page() -> int:
    page = request.args.get("page", 1, type=int) or 1
    return page if 0 < page < 100000 else 1  # a huge page number was an overflow (500)


def _page_args() -> dict[str, str]:
    """The query arguments other than the page, for the links to other pages."""
    return {k: v for k, v in request.args.items() if k not in {"page", "lang"} and v}


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log() -> str:
    form = AuditFilterForm(request.args)
    form.action.choices = [
        SelectChoice("", _("All actions")),
        *(SelectChoice(a, a) for a in admin.audit_actions()),
    ]
    valid = form.validate()
    pagination = admin.audit_page(
        max(_page(), 1),
        form.action.data or "",
        (form.actor.data or "") if valid else "",
    )
    entries = list(pagination.items)
    return render_template(
        "admin/audit.html",
        form=form,
        pagination=pagination,
        entries=entries,
        actors=admin.actor_emails(entries),
        page_args=_page_args(),
    )


@bp.get("/users")
@role_required(Role.ADMIN)
def users() -> str:
    form = UserSearchForm(request.args)
    valid = form.validate()
    pagination = admin.users_page(max(_page(), 1), (form.q.data or "") if valid else "")
    return render_template(
        "admin/users.html", form=form, pagination=pagination, page_args=_page_args()
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user(user_id: int) -> str | Response:
    person = db.get_or_404(User, user_id)
    form = RoleForm(data={"role": person.role.value} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changed = admin.change_role(
                current_user._get_current_object(),  # type: ignore[attr-defined]
                person,
                Role(form.role.data),
            )
        except DomainError as error:
            form.role.errors = [*form.role.errors, error.message]  # type: ignore[list-item]
        else:
            db.session.commit()
            if changed:
                flash(_("The role is changed."), "success")
            else:
                flash(_("The role was already this one; nothing changed."), "info")
            return redirect(url_for("admin.user", user_id=person.id))
    return render_template("admin/user.html", form=form, person=person)
