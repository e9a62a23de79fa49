"""Officials' forms: shape only (the rules are in services.consultations)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from consult.services.consultations import kinds

from ...models import Audience


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
        SelectChoice(Audience.ANYONE.value, _l("Anyone (an account is not needed)")),
        SelectChoice(Audience.ACCOUNT.value, _l("Only people with an account")),
    ], default=Audience.ANYONE.value, validators=[DataRequired()])


class QuestionForm(FlaskForm):
    # a callable: the registered kinds when the form is made (a test may add one)
    kind = SelectField(_l("Kind of question"),
                       choices=lambda: [SelectChoice(v, label) for v, label in kinds.choices()],
                       validators=[DataRequired()])
    text_nl = TextAreaField(_l("Question (Dutch)"), validators=[Optional(), Length(max=2000)])
    text_en = TextAreaField(_l("Question (English)"), validators=[Optional(), Length(max=2000)])
    help_nl = TextAreaField(_l("Help text (Dutch)"), validators=[Optional(), Length(max=2000)])
    help_en = TextAreaField(_l("Help text (English)"), validators=[Optional(), Length(max=2000)])
    page = IntegerField(_l("Page"), default=1, validators=[
        DataRequired(_l("Enter a page number.")), NumberRange(min=1, max=20)])
    required = BooleanField(_l("An answer is required"))
    max_choices = IntegerField(_l("Most choices allowed (multiple choice)"),
                               validators=[Optional(), NumberRange(min=1, max=50)])
    max_length = IntegerField(_l("Most characters allowed (open text)"),
                              validators=[Optional(), NumberRange(min=10, max=10000)])
    allow_proposals = BooleanField(_l("Respondents may propose statements"))
    options = TextAreaField(
        _l("Options"), description=_l("One per line: Dutch | English."),
        validators=[Optional(), Length(max=10000)])
    statements = TextAreaField(
        _l("New statements"), description=_l(
            "One per line: Dutch | English | principle codes separated by commas."),
        validators=[Optional(), Length(max=20000)])
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
