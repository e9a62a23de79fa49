"""A question kind registered from a test works end to end, with no module changed.

The toy kind is a yes/no question, defined and registered here (never in `consult/`):
an official adds it through the question form, the respond page draws its partial, a
POST is parsed and stored, the review shows it, results count it, the CSV and JSON
exports and the API include it, and the opinion matrix scores it.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Answer, Consultation, Principle, Question, ResponseStatus
from consult.models.types import OtherValue
from consult.services import DomainError
from consult.services.consultations import editing, kinds, questions, responding
from consult.services.consultations.kinds import Kind, Shown, names
from consult.services.consultations.kinds.base import answers_of, first
from consult.services.consultations.kinds.shapes import (
    FormTampered,
    Item,
    ParsedAnswer,
    ParsedPage,
    QuestionResult,
    RawForm,
)
from consult.services.insights.matrix import build_matrix
from tests.factories.consultations import build_consultation
from tests.factories.insights import add_response
from tests.factories.users import official_user
from tests.support.responding import PROFILE, page_answers
from tests.support.sessions import login

PARTIAL = """{% for value, label in kind.answers %}
      <div class="choice">
        <input type="radio" id="{{ name }}-{{ value }}" name="{{ name }}" value="{{ value }}"\
{% if typed.get(name, [''])[0] == value %} checked{% endif %}>
        <label for="{{ name }}-{{ value }}">{{ label }}</label>
      </div>
    {% endfor %}"""


class YesNo(Kind):
    """Yes or no, stored as "yes" / "no" in `Answer.value`."""

    value = "yes_no"
    label = "Yes or no"
    answers = (("yes", "Yes"), ("no", "No"))
    template: Any = None  # a jinja2 Template made from PARTIAL for the app under test

    def parse(self, question: Question, raw: RawForm, page: ParsedPage,
              principles: Sequence[Principle], shown: Sequence[int]) -> ParsedAnswer:
        text = first(raw, names.field(question.id))
        if text not in ("", "yes", "no"):
            raise FormTampered()
        if question.required and not text:
            page.errors[names.field(question.id)] = "Say yes or no."
        return ParsedAnswer(question, value=text or None)

    def first_input_id(self, question: Question, principle_codes: Sequence[str]) -> str:
        return f"{names.field(question.id)}-yes"

    def describe(self, question: Question, answer: Answer | None, shown: Shown) -> list[str]:
        words = dict(self.answers)
        return [words[answer.value]] if answer is not None and answer.value else []

    def tally(self, question: Question, counted: Sequence[Any]) -> QuestionResult:
        result = QuestionResult(question)
        said: Counter[str] = Counter()
        for answer in answers_of(question, counted):
            result.answered += 1
            said[answer.value] += 1
        result.rows = [{"key": value, "label_nl": value, "label_en": label,
                        "value": said[value]} for value, label in self.answers]
        return result

    def matrix_items(self, question: Question,
                     codes: Sequence[tuple[str, str, str]]) -> list[Item]:
        return [Item(f"y{question.id}", "yes_no", question.text_nl, question.text_en)]

    def matrix_scores(self, question_id: int, value: Any,
                      number: Any) -> Iterable[tuple[str, float]]:
        return [(f"y{question_id}", 1.0 if value == "yes" else -1.0)]

    def api_fields(self, question: Question) -> dict[str, Any]:
        return {"answers": [value for value, _ in self.answers]}


@pytest.fixture
def toy(app: Flask) -> Iterator[YesNo]:
    kind = YesNo()
    kind.template = app.jinja_env.from_string(PARTIAL)
    kinds.register(kind)
    yield kind
    kinds.unregister(kind.value)


def _official(app: Flask) -> FlaskClient:
    with app.test_request_context("/"):
        official_user()
        db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, "official@example.nl")
    return client


def _consultation_with_toy(app: Flask, official: FlaskClient) -> tuple[Consultation, Question]:
    with app.test_request_context("/"):
        c = build_consultation(opened=False)
    form = official.get(f"/officials/consultations/{c.slug}/questions/new")
    assert 'value="yes_no"' in form.get_data(as_text=True)  # the form offers the toy kind
    result = official.post(f"/officials/consultations/{c.slug}/questions/new", data={
        "kind": "yes_no", "text_nl": "Eet u graag vis?", "text_en": "Do you like fish?",
        "page": "1", "required": "y", "condition_option_id": "0"})
    assert result.status_code == 302, result.get_data(as_text=True)
    db.session.expire_all()
    toy_question = [q for q in c.questions if q.kind == "yes_no"][0]
    assert isinstance(toy_question.kind, OtherValue) and toy_question.kind.value == "yes_no"
    edit = official.get(f"/officials/consultations/{c.slug}/questions/{toy_question.id}")
    assert '<option selected value="yes_no">' in edit.get_data(as_text=True)
    with app.test_request_context("/"):
        editing.open_now(official_user(), c)
        db.session.commit()
    return c, toy_question


def _respond(app: Flask, c: Consultation, toy_question: Question) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    base = f"/consultations/{c.slug}"
    assert client.post(f"{base}/respond", data=PROFILE).status_code == 302
    name = f"q{toy_question.id}"
    page = client.get(f"{base}/respond/1").get_data(as_text=True)
    assert f'<input type="radio" id="{name}-yes" name="{name}" value="yes">' in page
    assert "Do you like fish?" in page
    pages = page_answers(c)
    missing = client.post(f"{base}/respond/1", data=pages[1])
    assert missing.status_code == 200
    assert f'<a href="#{name}-yes">Say yes or no.</a>' in missing.get_data(as_text=True)
    forged = client.post(f"{base}/respond/1", data={**pages[1], name: "maybe"})
    assert forged.status_code == 400
    pages[1][name] = "yes"
    for number, data in pages.items():
        result = client.post(f"{base}/respond/{number}", data=data)
        assert result.status_code == 302, result.get_data(as_text=True)
    typed = client.get(f"{base}/respond/1").get_data(as_text=True)
    assert f'id="{name}-yes" name="{name}" value="yes" checked>' in typed
    return client


def test_a_kind_registered_by_a_test_works_end_to_end(app: Flask, toy: YesNo) -> None:
    official = _official(app)
    c, toy_question = _consultation_with_toy(app, official)
    client = _respond(app, c, toy_question)
    stored = db.session.scalar(db.select(Answer).filter_by(question_id=toy_question.id))
    assert stored is not None and stored.value == "yes"

    review = client.get(f"/consultations/{c.slug}/review").get_data(as_text=True)
    assert "<dt>Do you like fish?</dt>" in review
    assert '<p class="answer-text">Yes</p>' in review
    assert client.post(f"/consultations/{c.slug}/review", data={"website": ""}).status_code == 302

    report = official.get(f"/consultations/{c.slug}/report").get_data(as_text=True)
    assert f'id="result-{toy_question.id}">Do you like fish?</h3>' in report
    assert '<th scope="row">Yes</th><td>1</td>' in report
    assert '<th scope="row">No</th><td>0</td>' in report

    exported = official.get(f"/officials/consultations/{c.slug}/export.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    column = rows[0].index(f"q{toy_question.id}: Do you like fish?")
    assert rows[1][column] == "yes"
    as_json = json.loads(official.get(
        f"/officials/consultations/{c.slug}/export.json?public=1").get_data(as_text=True))
    assert as_json["responses"][0][f"q{toy_question.id}"] == "yes"

    api = app.test_client()
    detail = api.get(f"/api/v1/consultations/{c.slug}").get_json()
    shown = [q for q in detail["questions"] if q["id"] == toy_question.id][0]
    assert shown["kind"] == "yes_no" and shown["answers"] == ["yes", "no"]
    tallied = api.get(f"/api/v1/consultations/{c.slug}/results").get_json()
    counted = [q for q in tallied["questions"] if q["question_id"] == toy_question.id][0]
    assert counted["answered"] == 1
    assert {r["key"]: r["value"] for r in counted["rows"]} == {"yes": 1, "no": 0}
    published = api.get(f"/api/v1/consultations/{c.slug}/responses").get_json()
    assert published["responses"][0]["answers"][f"q{toy_question.id}"] == "yes"

    matrix = build_matrix(c)
    keys = [item.key for item in matrix.items]
    assert matrix.values[0, keys.index(f"y{toy_question.id}")] == 1.0


def test_registering_needs_a_new_value_that_fits_the_column(toy: YesNo) -> None:
    with pytest.raises(ValueError):
        kinds.register(YesNo())
    too_long = type("TooLong", (YesNo,), {"value": "x" * 25})
    with pytest.raises(ValueError):
        kinds.register(too_long())
    assert kinds.get("yes_no") is toy
    assert kinds.stored_value("likert") == "likert"
    with pytest.raises(KeyError):
        kinds.stored_value("maybe")


def test_the_built_in_kinds_are_all_registered() -> None:
    assert [k.value for k in kinds.all_kinds()][:7] == [
        "principle_rating", "statements", "likert", "single_choice", "multiple_choice",
        "ranking", "open_text"]
    assert kinds.get("likert").field(3) == names.field(3) == "q3"


def test_the_built_in_kinds_keep_their_rules() -> None:
    def having(flag: str) -> set[str]:
        return {k.value for k in kinds.all_kinds()[:7] if getattr(k, flag)}

    assert having("needs_options") == {"single_choice", "multiple_choice", "ranking"}
    assert having("chooses_options") == {"single_choice", "multiple_choice"}
    assert having("limits_choices") == {"multiple_choice"}
    assert having("stores_votes") == having("needs_statements") == {"statements"}
    assert having("takes_proposals") == {"statements"}
    assert having("free_text") == having("limits_length") == {"open_text"}


def test_the_services_ask_the_kind(app: Flask, toy: YesNo,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The question rules, saving and "what is missing" follow the kind's hooks."""
    yes_no = kinds.stored_value("yes_no")
    with app.test_request_context("/"):
        c = build_consultation(opened=False)
        official = official_user()
        monkeypatch.setattr(YesNo, "needs_options", True)
        with pytest.raises(DomainError) as refused:
            questions.add_question(official, c, questions.QuestionData(
                kind=yes_no, text_nl="Vis?", max_length=50))
        assert refused.value.field == "options"
        question = questions.add_question(official, c, questions.QuestionData(
            kind=yes_no, text_nl="Vis?", required=True, max_length=50, page=3,
            options=[("Ja", "Yes"), ("Nee", "No")]))
        assert question.max_length is None  # the toy does not limit its length
        with pytest.raises(DomainError) as refused:  # the toy chooses no options
            questions.add_question(official, c, questions.QuestionData(
                kind=yes_no, text_nl="Vlees?", page=4, options=[("Ja", "Yes"), ("Nee", "No")],
                condition_option_id=question.options[0].id))
        assert refused.value.field == "condition_option_id"
        editing.open_now(official, c)
        response = add_response(c, status=ResponseStatus.DRAFT)
        assert question.id in {m.id for m in responding.missing_required(response)}
        page = ParsedPage({question.id: ParsedAnswer(question, value="yes")})
        responding.save_page(response, page)
        assert response.answer_for(question.id).value == "yes"  # type: ignore[union-attr]
        assert question.id not in {m.id for m in responding.missing_required(response)}
