"""Account forms: their shape only; the rules live in services.accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from consult.services.accounts.passwords import MAX_LENGTH

EMAIL_MAX = 254


def email_field(label: object = None) -> EmailField:
    return EmailField(
        label or _l("Email address"),
        validators=[
            DataRequired(_l("Enter your email address.")),
            Length(max=EMAIL_MAX, message=_l("Use at most %(max)d characters.")),
            Email(_l("Enter an email address like name@example.nl."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def new_password_field(label: object = None) -> PasswordField:
    return PasswordField(
        label or _l("Password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(max=MAX_LENGTH, message=_l("Use at most %(max)d characters.")),
        ],
        description=_l(
            "At least 8 characters, and not easy to guess. A sentence of a few uncommon "
            "words is strong and easy to remember."
        ),
        render_kw={"autocomplete": "new-password"},
    )


def repeat_field(of: str) -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo(of, message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class RegisterForm(FlaskForm):
    email = email_field()
    password = new_password_field()
    confirm = repeat_field("password")


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))
    confirm = repeat_field("password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("New password"))
    confirm = repeat_field("password")


class ChangeEmailForm(FlaskForm):
    email = email_field(_l("New email address"))
    password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class PreferencesForm(FlaskForm):
    display_name = StringField(
        _l("Name"), validators=[Optional(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    locale = RadioField(
        _l("Language"), choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")],
        validators=[DataRequired()],
    )


class Needed:
    """Marks a field as required (no "optional" beside its label) and leaves checking it
    to the service, so that every mistake of the form is shown at once."""

    field_flags = {"required": True}

    def __call__(self, form: object, field: object) -> None:
        return None


class DeclarationForm(FlaskForm):
    """Declaring an organisation (shape only; services.organisations.declarations checks
    the KvK number, register id and website)."""

    name = StringField(_l("Name of the organisation"),
                       validators=[Needed()],
                       render_kw={"maxlength": 200, "autocomplete": "organization"})
    kind = RadioField(_l("Type of organisation"), choices=[], validate_choice=False,
                      validators=[Needed()])
    kvk_number = StringField(
        _l("KvK number"),
        description=_l("The 8 digits of the Chamber of Commerce (KvK) registration. "
                       "Give this or the EU Transparency Register id."),
        render_kw={"inputmode": "numeric", "maxlength": 20, "spellcheck": "false"})
    register_id = StringField(
        _l("EU Transparency Register id"),
        description=_l("Digits, a hyphen and two digits, like 1234567890123-45."),
        render_kw={"maxlength": 20, "spellcheck": "false"})
    website = StringField(
        _l("Website"), description=_l("The full address, like https://www.example.nl."),
        validators=[Needed()],
        render_kw={"maxlength": 300, "autocomplete": "url", "spellcheck": "false",
                   "inputmode": "url"})
    declared_interest = TextAreaField(
        _l("What does your organisation have at stake?"),
        description=_l("For example the members, customers or interests it speaks for, "
                       "and how the outcome of the dialogue affects it."),
        validators=[Needed()], render_kw={"maxlength": 2000, "rows": 5})
