"""Organisers' forms: their shape only; the rules live in services.events.manage."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...models import ALLERGEN_CODES, DEFAULT_OFFER_HOURS, EventKind, RegistrationMode
from ...services.events.labels import (
    ALLERGEN_LABELS,
    KIND_LABELS,
    MODE_LABELS,
    VERDICT_LABELS,
)
from ..accounts.forms import email_field
from ..events.fields import (
    FriendlyDateField,
    FriendlyIntegerField,
    LocalDateTimeField,
    LocalNumberRange,
)

TOO_LONG = _l("Use at most %(max)d characters.")
WHEN = _l("Enter a date and time like 2026-05-14 19:30.")
WHOLE = _l("Enter a whole number.")


def _text(label: object, max_: int, required: object = None, area: bool = False,
          **kwargs: Any) -> Field:
    validators: list[Any] = [InputRequired(required)] if required else [Optional()]
    validators.append(Length(max=max_, message=TOO_LONG))
    kind = TextAreaField if area else StringField
    return kind(label, validators=validators, render_kw={"maxlength": max_}, **kwargs)


def _both_or_neither(dutch: Field, english: Field, missing_dutch: object,
                     missing_english: object) -> bool:
    """A text shown on the Dutch and the English page is given in both languages or in
    neither; the missing one gets its message. False when one is missing."""
    has_dutch, has_english = bool((dutch.data or "").strip()), bool((english.data or "").strip())
    if has_dutch == has_english:
        return True
    missing, message = (english, missing_english) if has_dutch else (dutch, missing_dutch)
    missing.errors = [*missing.errors, message]
    return False


def _number(label: object, low: int, high: int, default: int, **kwargs: Any) -> Field:
    return FriendlyIntegerField(
        label,
        default=default,
        invalid_message=WHOLE,
        validators=[InputRequired(_l("Enter a number.")),
                    LocalNumberRange(min=low, max=high,
                                message=_l("Enter a number from %(min)s to %(max)s."))],
        render_kw={"inputmode": "numeric"},
        **kwargs,
    )


def _one_of(values: set[str], message: object) -> Any:
    def check(_form: FlaskForm, field: Field) -> None:
        if field.data not in values:
            raise ValidationError(str(message))

    return check


class EventForm(FlaskForm):
    kind = SelectField(
        _l("Kind of event"),
        choices=[SelectChoice(k.value, v) for k, v in KIND_LABELS.items()],
        validate_choice=False,
        validators=[_one_of({k.value for k in EventKind}, _l("Choose a kind from the list."))],
    )
    topic_id = SelectField(_l("Topic"), validate_choice=False,
                           validators=[InputRequired(_l("Choose a topic from the list."))])
    title_nl = _text(_l("Title in Dutch"), 200, _l("Enter the Dutch title."))
    title_en = _text(_l("Title in English"), 200, _l("Enter the English title."))
    description_nl = _text(_l("Description in Dutch"), 5000, area=True)
    description_en = _text(_l("Description in English"), 5000, area=True)
    starts_at = LocalDateTimeField(
        _l("Starts (Amsterdam time)"), invalid_message=WHEN,
        validators=[InputRequired(_l("Enter when the event starts."))],
    )
    ends_at = LocalDateTimeField(
        _l("Ends (Amsterdam time)"), invalid_message=WHEN,
        validators=[InputRequired(_l("Enter when the event ends."))],
    )
    venue = _text(_l("Venue address"), 300,
                  description=_l("Leave empty for an online event."))
    online_link = URLField(
        _l("Online link"),
        validators=[Optional(), Length(max=500, message=TOO_LONG)],
        description=_l("Sent only to confirmed participants; never shown publicly."),
        render_kw={"maxlength": 500},
    )
    capacity = _number(_l("Capacity (seats)"), 1, 100000, 20)
    registration_opens_at = LocalDateTimeField(
        _l("Registration opens (Amsterdam time)"), invalid_message=WHEN,
        validators=[Optional()], description=_l("Leave empty to open at once."),
    )
    registration_closes_at = LocalDateTimeField(
        _l("Registration closes (Amsterdam time)"), invalid_message=WHEN,
        validators=[Optional()], description=_l("Leave empty to close when the event starts."),
    )
    registration_mode = RadioField(
        _l("Registration"),
        choices=[SelectChoice(m.value, v) for m, v in MODE_LABELS.items()],
        default=RegistrationMode.FCFS.value,
        validate_choice=False,
        validators=[_one_of({m.value for m in RegistrationMode},
                            _l("Choose how participants are registered."))],
    )
    allow_guests = BooleanField(_l("Registrants may bring guests"))
    max_guests = _number(_l("Most guests per registrant"), 0, 20, 0)
    min_age = _number(_l("Minimum age"), 0, 120, 18,
                      description=_l("0 means no minimum age is checked."))
    reminder_hours = _number(_l("Send a reminder this many hours before"), 0, 720, 24,
                             description=_l("0 means no reminder."))
    offer_hours = _number(_l("Hours to accept a seat offered from the waiting list"),
                          1, 720, DEFAULT_OFFER_HOURS)
    dietary_purge_days = _number(_l("Delete dietary notes this many days after the event"),
                                 0, 365, 30)
    # Choices are set by the view (survey_choices); the service checks the value.
    before_consultation_id = SelectField(
        _l("Questionnaire before the tasting"), validate_choice=False,
        description=_l("Only for tastings. Participants are asked to answer this "
                       "consultation before the tasting."),
    )
    after_consultation_id = SelectField(
        _l("Questionnaire after the tasting"), validate_choice=False,
        description=_l("Choose another consultation with the same questions to measure how "
                       "opinions change. With the same one, people can only change their "
                       "answers afterwards."),
    )


    def validate(self, extra_validators: Any = None) -> bool:
        """Both descriptions or neither: the event page is shown in Dutch and in English,
        and a visitor should not find an empty page in one of them."""
        valid = super().validate(extra_validators)
        return _both_or_neither(self.description_nl, self.description_en, _l(
            "Write the Dutch description too: the event page is also shown in Dutch."), _l(
            "Write the English description too: the event page is also shown in English."
        )) and valid


class ApprovalForm(FlaskForm):
    committee = _text(_l("Expert committee"), 200, _l("Enter the committee's name."))
    reference = _text(_l("Reference of the verdict"), 100)
    verdict = RadioField(
        _l("Verdict"),
        choices=[SelectChoice(v.value, label) for v, label in VERDICT_LABELS.items()],
        validate_choice=False,
        validators=[_one_of({v.value for v in VERDICT_LABELS}, _l("Choose the verdict."))],
    )
    decided_on = FriendlyDateField(
        _l("Date of the verdict"), invalid_message=_l("Enter a date like 2026-05-14."),
        validators=[InputRequired(_l("Enter the date of the verdict."))],
    )
    conditions = _text(_l("Conditions in Dutch"), 5000, area=True)
    conditions_en = _text(_l("Conditions in English"), 5000, area=True)

    def validate(self, extra_validators: Any = None) -> bool:
        """Both languages of the conditions or neither: the tasting's page shows them."""
        valid = super().validate(extra_validators)
        return _both_or_neither(self.conditions, self.conditions_en, _l(
            "Write the conditions in Dutch too: the tasting's page is also shown in Dutch."),
            _l("Write the conditions in English too: the tasting's page is also shown "
               "in English.")) and valid


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProductForm(FlaskForm):
    name_nl = _text(_l("Product name in Dutch"), 200, _l("Enter the Dutch name."))
    name_en = _text(_l("Product name in English"), 200, _l("Enter the English name."))
    allergens = MultiCheckboxField(
        _l("Allergens (EU Regulation 1169/2011, Annex II)"),
        choices=[SelectChoice(code, ALLERGEN_LABELS[code]) for code in ALLERGEN_CODES],
        validate_choice=False,
    )


class EligibilityForm(FlaskForm):
    text_nl = _text(_l("Item in Dutch"), 300, _l("Enter the item in Dutch."))
    text_en = _text(_l("Item in English"), 300, _l("Enter the item in English."))


class InfoSheetForm(FlaskForm):
    body_nl = _text(_l("Information sheet in Dutch"), 20000, _l("Enter the Dutch text."),
                    area=True)
    body_en = _text(_l("Information sheet in English"), 20000, _l("Enter the English text."),
                    area=True)


class OrganiserForm(FlaskForm):
    email = email_field(_l("Email address of the organiser"))


class CheckinForm(FlaskForm):
    code = StringField(
        _l("Check-in code"),
        validators=[InputRequired(_l("Enter the check-in code.")),
                    Length(max=20, message=TOO_LONG)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters",
                   "spellcheck": "false", "maxlength": 20, "autofocus": True},
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: CSRF only."""
