"""Privacy forms: their shape only; the rules live in services.privacy."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from consult.services.accounts.passwords import MAX_LENGTH


class DownloadForm(FlaskForm):
    """Only the CSRF token: the download is a POST so no link can start it."""


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=MAX_LENGTH)],
        description=_l("To be sure it is you, enter the password of this account."),
        render_kw={"autocomplete": "current-password"},
    )
