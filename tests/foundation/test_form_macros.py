"""The form macros: labels, hints, errors and the character counter."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import force_locale
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class OpinionForm(FlaskForm):
    view = TextAreaField(
        "Your view",
        validators=[DataRequired("Write your view."), Length(max=500)],
        description="Say it in your own words.",
        render_kw={"maxlength": 500},
    )


TEMPLATE = (
    '{% import "macros/forms.html" as forms %}'
    "{{ forms.error_summary(form) }}{{ forms.field(form.view, counter=true) }}"
)


def render(app: Flask, locale: str, data: dict[str, str] | None = None) -> str:
    with app.test_request_context("/", method="POST" if data is not None else "GET", data=data):
        form = OpinionForm()
        if data is not None:
            form.validate()
        with force_locale(locale):
            return render_template_string(TEMPLATE, form=form)


def test_the_counter_has_a_translated_template_for_the_script(app: Flask) -> None:
    en = render(app, "en")
    assert 'data-template="%(left)s of %(max)s characters left"' in en
    assert "At most 500 characters." in en
    nl = render(app, "nl")
    assert 'data-template="Nog %(left)s van %(max)s tekens over"' in nl
    assert 'aria-describedby="view-hint view-count"' in nl


def test_an_error_is_linked_from_the_summary_and_tied_to_the_field(app: Flask) -> None:
    html = render(app, "en", data={"view": ""})
    assert '<a href="#view">Write your view.</a>' in html
    assert 'aria-invalid="true"' in html
    assert 'id="view-error"' in html
    assert 'aria-describedby="view-hint view-error view-count"' in html
