"""Follow forms: their shape only; the rules live in services.follow."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField
from wtforms.validators import DataRequired, Email, Length

from ..accounts.forms import EMAIL_MAX


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class FollowForm(FlaskForm):
    """Without an account: the address, the page's language and what to follow."""

    email = EmailField(
        _l("Email address"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Length(max=EMAIL_MAX, message=_l("Use at most %(max)d characters.")),
            Email(_l("Enter an email address like name@example.nl."),
                  check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    locale = HiddenField()
    target = HiddenField()


class OneClickForm(FlaskForm):
    """With an account: only what to follow (the account's address is used)."""

    target = HiddenField()
