"""Admin forms: their shape only; the rules live in services.admin."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SearchField, SelectChoice, SelectField
from wtforms.validators import DataRequired, Length

from ...services.accounts.labels import ROLE_LABELS

__all__ = ["ROLE_LABELS", "AuditFilterForm", "RoleForm", "UserSearchForm"]


class AuditFilterForm(FlaskForm):
    """The filter of the audit log: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validate_choice=False)
    actor = SearchField(
        _l("Actor's email address (or part of it)"),
        validators=[Length(max=254, message=_l("Use at most %(max)d characters."))],
        render_kw={"spellcheck": "false"},
    )


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(
        _l("Email address (or part of it)"),
        validators=[Length(max=254, message=_l("Use at most %(max)d characters."))],
        render_kw={"spellcheck": "false"},
    )


class RoleForm(FlaskForm):
    role = RadioField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        validators=[DataRequired(_l("Choose a role."))],
    )
