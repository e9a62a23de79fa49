"""Registration forms: their shape only; the rules live in services.events.registration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from ...services.events.registration import DIETARY_NOTE_MAX
from ..accounts.forms import email_field
from .fields import DayMonthYearField, FriendlyIntegerField

TOO_LONG = _l("Use at most %(max)d characters.")


class EmailStepForm(FlaskForm):
    """Without an account: we first confirm the address with a link."""

    email = email_field()


class RegistrationForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[Optional(), Length(max=120, message=TOO_LONG)],
        description=_l("So the organisers can welcome you. You may leave it empty."),
        render_kw={"autocomplete": "name", "maxlength": 120},
    )
    birth_date = DayMonthYearField(
        _l("Date of birth"),
        validators=[Optional()],
        invalid_message=_l("Enter a real date of birth: day, month and year in numbers, "
                           "for example 14 5 1990."),
        description=_l("Only to check the minimum age. We do not store it. "
                       "For example 14 5 1990."),
    )
    guests = FriendlyIntegerField(
        _l("Number of guests you bring"),
        invalid_message=_l("Enter the number of guests as a whole number."),
        default=0,
        validators=[Optional(),
                    NumberRange(min=0, max=20, message=_l("Enter a number from 0 to %(max)s."))],
        render_kw={"inputmode": "numeric", "min": 0},
    )
    eligible = BooleanField(_l("None of these apply to me."))
    info_sheet = BooleanField(_l("I have read the participant information sheet and accept it."))
    info_sheet_version = HiddenField()
    dietary_note = TextAreaField(
        _l("Dietary note"),
        validators=[Optional(), Length(max=DIETARY_NOTE_MAX, message=TOO_LONG)],
        description=_l("For example a diet or an allergy the organisers should know about. "
                       "Leave it empty if there is nothing."),
        render_kw={"maxlength": DIETARY_NOTE_MAX, "rows": 3},
    )
    dietary_consent = BooleanField(
        _l("I give explicit consent to store this dietary note. Only the organisers of this "
           "event can read it, only to prepare the event, and it is deleted automatically "
           "after the event.")
    )


class FilterForm(FlaskForm):
    """The public list's filter (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), validators=[Optional()])
    topic = SelectField(_l("Topic"), validators=[Optional()])
