"""Officials' forms: shape only (the rules are in services.consultations)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from consult.services.consultations.labels import AUDIENCE_LABELS

from ...models import Audience, ModerationStatus
from ..events.fields import LocalNumberRange


class ConsultationForm(FlaskForm):
    title_nl = StringField(_l("Title (Dutch)"), validators=[
        DataRequired(_l("Enter a Dutch title.")), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=200)])
    summary_nl = TextAreaField(_l("Summary (Dutch)"), validators=[Optional(), Length(max=1000)])
    summary_en = TextAreaField(_l("Summary (English)"), validators=[Optional(), Length(max=1000)])
    body_nl = TextAreaField(_l("Text (Dutch, Markdown)"), validators=[Optional(),
                                                                      Length(max=50000)])
    body_en = TextAreaField(_l("Text (English, Markdown)"), validators=[Optional(),
                                                                       Length(max=50000)])
    topic_id = SelectField(_l("Topic"), coerce=int, validators=[Optional()])
    slug = StringField(_l("Web address name"), description=_l(
        "Lower-case letters, digits and hyphens. Made from the title when empty."),
        validators=[Optional(), Length(max=70)])
    opens_at = DateTimeLocalField(_l("Opens (Dutch time)"), format="%Y-%m-%dT%H:%M",
                                  validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes (Dutch time)"), format="%Y-%m-%dT%H:%M",
                                   validators=[Optional()])
    audience = RadioField(_l("Who may respond"), choices=[
        SelectChoice(audience.value, label) for audience, label in AUDIENCE_LABELS.items()
    ], default=Audience.ANYONE.value, validators=[DataRequired()])


class OptionRowForm(Form):
    """One option of a question (no CSRF of its own: it is part of QuestionForm)."""

    # the existing option's id, so a condition on it follows it when rows move
    id = HiddenField()
    nl = StringField(_l("Dutch"), validators=[Optional(), Length(max=300)])
    en = StringField(_l("English"), validators=[Optional(), Length(max=300)])
    remove = BooleanField(_l("Remove this option"))


STATUS_LABELS = {
    ModerationStatus.APPROVED.value: _l("Shown to respondents"),
    ModerationStatus.PENDING.value: _l("Not shown yet"),
    ModerationStatus.HIDDEN.value: _l("Hidden"),
}


class CheckboxesField(SelectMultipleField):
    """Checkboxes; a value that is not one of the choices gets a clear message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Form) -> None:
        known = {choice.value for choice in self.choices or []}
        if any(value not in known for value in self.data or []):
            raise ValidationError(_l("Choose principles from the list."))


class ListedSelectField(SelectField):
    """A select whose unknown value gets a clear message."""

    def pre_validate(self, form: Form) -> None:
        if self.data not in {choice.value for choice in self.choices or []}:
            raise ValidationError(_l("Choose a status from the list."))


class StatementRowForm(Form):
    nl = TextAreaField(_l("Dutch"), validators=[Optional(), Length(max=2000)])
    en = TextAreaField(_l("English"), validators=[Optional(), Length(max=2000)])
    # choices: the principle catalogue in the page's language, set by the view
    principles = CheckboxesField(_l("Ethical principles"), choices=[])
    status = ListedSelectField(_l("Status"), choices=[
        SelectChoice(value, label) for value, label in STATUS_LABELS.items()],
                               default=ModerationStatus.APPROVED.value)
    remove = BooleanField(_l("Remove this statement"))


class QuestionForm(FlaskForm):
    # choices: the registered kinds when the form is made (a test may add one), set by
    # the view
    kind = SelectField(_l("Kind of question"), choices=[],
                       validators=[DataRequired(_l("Choose a kind of question."))])
    text_nl = TextAreaField(_l("Question (Dutch)"), validators=[Optional(), Length(max=2000)])
    text_en = TextAreaField(_l("Question (English)"), validators=[Optional(), Length(max=2000)])
    help_nl = TextAreaField(_l("Help text (Dutch)"), validators=[Optional(), Length(max=2000)])
    help_en = TextAreaField(_l("Help text (English)"), validators=[Optional(), Length(max=2000)])
    page = IntegerField(_l("Page"), default=1, validators=[
        DataRequired(_l("Enter a page number.")), LocalNumberRange(
            min=1, max=20, message=_l("Enter a number from %(min)s to %(max)s."))])
    required = BooleanField(_l("An answer is required"))
    max_choices = IntegerField(_l("Most choices allowed (multiple choice)"),
                               validators=[Optional(), LocalNumberRange(
                                   min=1, max=50,
                                   message=_l("Enter a number from %(min)s to %(max)s."))])
    max_length = IntegerField(_l("Most characters allowed (open text)"),
                              validators=[Optional(), LocalNumberRange(
                                  min=10, max=10000,
                                  message=_l("Enter a number from %(min)s to %(max)s."))])
    allow_proposals = BooleanField(_l("Respondents may propose statements"))
    options = FieldList(FormField(OptionRowForm), max_entries=100)
    statements = FieldList(FormField(StatementRowForm), max_entries=200)
    condition_option_id = SelectField(_l("Show only when"), coerce=int, validators=[Optional()])


class DocumentForm(FlaskForm):
    title_nl = StringField(_l("Title (Dutch)"), validators=[Optional(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=200)])
    url = StringField(_l("Link"), validators=[Optional(), URL(message=_l(
        "Enter a web address starting with https://.")), Length(max=500)])
    file = FileField(_l("PDF file (at most 10 MB)"))


class ReportForm(FlaskForm):
    report_summary_nl = TextAreaField(_l("What we heard (Dutch, Markdown)"),
                                      validators=[Optional(), Length(max=50000)])
    report_summary_en = TextAreaField(_l("What we heard (English, Markdown)"),
                                      validators=[Optional(), Length(max=50000)])
    report_outcome_nl = TextAreaField(_l("What we do with the input (Dutch, Markdown)"),
                                      validators=[Optional(), Length(max=50000)])
    report_outcome_en = TextAreaField(_l("What we do with the input (English, Markdown)"),
                                      validators=[Optional(), Length(max=50000)])


class HideForm(FlaskForm):
    reason = StringField(_l("Reason for hiding"), validators=[Optional(), Length(max=500)])


class GroupDecisionForm(FlaskForm):
    """Approve or hide a whole campaign group: the number confirmed, one reason."""

    reason = StringField(_l("Reason for hiding"), validators=[Optional(), Length(max=500)],
                         description=_l("Needed for hiding. It is stored with every answer "
                                        "of the group."))
    expected = IntegerField(validators=[DataRequired(), NumberRange(min=1)])


class VerificationForm(FlaskForm):
    """An official's decision on a declared organisation: verify, or reject with a reason."""

    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice("verify",
                              _l("Verify: publish the organisation's name with its responses")),
                 SelectChoice("reject", _l("Reject: the name stays unpublished"))],
        validators=[DataRequired(_l("Choose whether to verify or reject the organisation."))])
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Needed when you reject; the person who asked does not see it. "
                       "It is kept in the audit log."),
        validators=[Optional(), Length(max=500, message=_l("Use at most %(max)d characters."))],
        render_kw={"maxlength": 500, "rows": 3})
