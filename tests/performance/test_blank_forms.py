"""A blank respond form's fields ("about you", a question page) are rendered once per
worker (blank_forms.py):

- what a respondent sees is the same HTML a fresh rendering gives, in nl and in en;
- the second blank visit reuses the kept fields (the macro is not run again);
- what someone typed and the errors of a refused page are never replaced by the blank
  copy; an official's edit shows on the next visit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

from consult.blueprints.consultations import blank_forms
from consult.extensions import db
from consult.models import Consultation, QuestionKind
from consult.services.consultations import structure
from tests.factories.consultations import build_consultation, q
from tests.support.responding import PROFILE, page_answers


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    blank_forms.clear()
    structure.clear()
    yield
    blank_forms.clear()
    structure.clear()


def _consultation(app: Flask) -> tuple[str, dict[int, dict]]:
    with app.test_request_context("/"):
        consultation = build_consultation()
        db.session.commit()
        c = db.session.get(Consultation, consultation.id)
        return c.slug, page_answers(c)


def _respondent(app: Flask, slug: str, language: str) -> object:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    assert client.post(f"/consultations/{slug}/respond", data=PROFILE).status_code == 302
    return client


def _form(html: str) -> str:
    """The page's form, its CSRF token masked (a token is the visitor's own)."""
    form = html[html.index("<form"):html.index("</form>")]
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', form)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_kept_blank_page_is_what_a_fresh_rendering_shows(
        db_app: Flask, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    slug, _answers = _consultation(db_app)
    first = _respondent(db_app, slug, language).get(f"/consultations/{slug}/respond/1")
    second = _respondent(db_app, slug, language).get(f"/consultations/{slug}/respond/1")
    monkeypatch.setattr(blank_forms, "key", lambda *args: None)  # always render
    fresh = _respondent(db_app, slug, language).get(f"/consultations/{slug}/respond/1")
    assert first.status_code == second.status_code == fresh.status_code == 200
    assert "<fieldset" in fresh.text
    assert _form(first.text) == _form(fresh.text) == _form(second.text)


def test_a_second_blank_visit_reuses_the_fieldsets(
        db_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    slug, _answers = _consultation(db_app)
    rendered: list[object] = []
    real = blank_forms.fields

    def counting(key: object, render: object) -> object:
        def counted() -> str:
            rendered.append(key)
            return render()  # type: ignore[operator, no-any-return]
        return real(key, counted)  # type: ignore[arg-type]

    monkeypatch.setitem(db_app.jinja_env.globals, "kept_blank_fields", counting)
    for language in ("nl", "nl", "en", "en"):
        page = _respondent(db_app, slug, language).get(f"/consultations/{slug}/respond/1")
        assert page.status_code == 200
    assert len(rendered) == 2  # once per language


def test_typed_answers_and_errors_are_never_the_blank_copy(db_app: Flask) -> None:
    slug, answers = _consultation(db_app)
    base = f"/consultations/{slug}"
    client = _respondent(db_app, slug, "en")
    blank = client.get(f"{base}/respond/3")  # the open question's page, kept blank
    assert "Goed idee" not in blank.text
    assert client.post(f"{base}/respond/3", data=answers[3]).status_code == 302
    again = client.get(f"{base}/respond/3")
    assert ">Goed idee</textarea>" in again.text  # what was typed, not the blank copy
    other = _respondent(db_app, slug, "en")
    with db_app.test_request_context("/"):
        c = db.session.get(Consultation, db.session.scalar(
            db.select(Consultation.id).filter_by(slug=slug)))
        likert = q(c, QuestionKind.LIKERT)
    refused = {k: v for k, v in answers[1].items() if k != f"q{likert.id}"}
    shown = other.post(f"{base}/respond/1", data=refused)
    assert shown.status_code == 200
    assert "field-has-error" in shown.text
    assert 'class="error-summary' in shown.text
    clean = _respondent(db_app, slug, "en").get(f"{base}/respond/1")
    assert "field-has-error" not in clean.text  # the refused page was not kept


def test_an_edit_shows_on_the_next_blank_page(db_app: Flask) -> None:
    slug, _answers = _consultation(db_app)
    base = f"/consultations/{slug}"
    with db_app.test_request_context("/"):
        c = db.session.get(Consultation, db.session.scalar(
            db.select(Consultation.id).filter_by(slug=slug)))
        question_id, page = q(c, QuestionKind.LIKERT).id, q(c, QuestionKind.LIKERT).page
    before = _respondent(db_app, slug, "en").get(f"{base}/respond/{page}")
    assert "revised" not in before.text
    with db_app.test_request_context("/"):
        from consult.models import Question

        db.session.get(Question, question_id).text_en = "How often, revised?"
        db.session.commit()
    after = _respondent(db_app, slug, "en").get(f"{base}/respond/{page}")
    assert "How often, revised?" in after.text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_about_you_kept_blank_is_what_a_fresh_rendering_shows(
        db_app: Flask, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    slug, _answers = _consultation(db_app)

    def visit() -> str:
        client = db_app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        page = client.get(f"/consultations/{slug}/respond")
        assert page.status_code == 200
        return page.text

    first, second = visit(), visit()
    monkeypatch.setattr(blank_forms, "key", lambda *args: None)  # always render
    fresh = visit()
    assert 'name="consent"' in fresh
    assert _form(first) == _form(fresh) == _form(second)


def test_about_you_shows_what_was_typed_and_its_errors_never_the_blank_copy(
        db_app: Flask) -> None:
    slug, _answers = _consultation(db_app)
    base = f"/consultations/{slug}/respond"
    assert 'value="piet@example.nl"' not in db_app.test_client().get(base).text  # kept
    refused = db_app.test_client().post(base, data={"email": "piet@example.nl"})
    assert refused.status_code == 200
    assert "field-has-error" in refused.text
    assert 'value="piet@example.nl"' in refused.text  # kept as typed
    client = db_app.test_client()
    assert client.post(base, data=dict(PROFILE, email="piet@example.nl")).status_code == 302
    again = client.get(base)
    assert 'value="piet@example.nl"' in again.text  # the saved answers, not the blank copy
    clean = db_app.test_client().get(base).text
    assert "field-has-error" not in clean and "piet@example.nl" not in clean
