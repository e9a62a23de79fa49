"""The respond pages read a consultation's questions from a per-worker copy keyed by the
consultation's version (services.consultations.structure):

- warm, a question page's GET and POST load no question, option, statement or condition,
  and their number of queries does not grow with the number of questions;
- an edit to a question raises the version, so the next respond page shows it at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from consult.extensions import db
from consult.models import Consultation, Question, QuestionKind
from consult.services.consultations import structure
from tests.factories.consultations import build_consultation, q
from tests.support.responding import PROFILE, page_answers

STRUCTURE_TABLES = ("questions", "question_options", "statements", "question_conditions")


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    structure.clear()
    yield
    structure.clear()


@pytest.fixture
def statements(db_app: Flask) -> Iterator[list[str]]:
    found: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        found.append(sql)

    event.listen(db.engine, "before_cursor_execute", record)
    yield found
    event.remove(db.engine, "before_cursor_execute", record)


def _reads(found: list[str]) -> list[str]:
    return [s for s in found if s.lstrip().upper().startswith("SELECT")]


def _structure_reads(found: list[str]) -> list[str]:
    return [s for s in _reads(found)
            if any(f"FROM {t} " in s + " " or f"FROM {t}\n" in s for t in STRUCTURE_TABLES)]


def _consultation(app: Flask, extra_questions: int = 0) -> Consultation:
    with app.test_request_context("/"):
        consultation = build_consultation()
        top = max(x.position for x in consultation.questions)
        for i in range(extra_questions):
            consultation.questions.append(Question(
                position=top + 1 + i, page=1, kind=QuestionKind.OPEN_TEXT,
                text_nl=f"Extra vraag {i}", text_en=f"Extra question {i}"))
        db.session.commit()
        return consultation


def _page_reads(app: Flask, found: list[str], extra_questions: int) -> tuple[int, int]:
    """Warm reads of page 1's GET and POST, for a consultation with extra questions."""
    consultation = _consultation(app, extra_questions)
    with app.test_request_context("/"):
        answers = page_answers(db.session.get(Consultation, consultation.id))
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    base = f"/consultations/{consultation.slug}"
    assert client.post(f"{base}/respond", data=PROFILE).status_code == 302
    assert client.get(f"{base}/respond/1").status_code == 200  # warms the copy
    found.clear()
    page = client.get(f"{base}/respond/1")
    assert page.status_code == 200
    assert f"Extra question {extra_questions - 1}" in page.text or not extra_questions
    get_reads = _reads(found)
    assert _structure_reads(found) == [], "\n".join(get_reads)
    found.clear()
    result = client.post(f"{base}/respond/1", data=answers[1])
    assert result.status_code == 302, result.text
    assert result.headers["Location"].endswith(f"{base}/respond/2")
    assert _structure_reads(found) == [], "\n".join(_reads(found))
    return len(get_reads), len(_reads(found))


def test_warm_respond_pages_load_no_question_and_do_not_grow_with_questions(
        db_app: Flask, statements: list[str]) -> None:
    few = _page_reads(db_app, statements, 0)
    with db_app.app_context():
        db.drop_all()
        db.create_all()
    structure.clear()
    many = _page_reads(db_app, statements, 12)
    assert many == few
    # the consultation, the response, its answers, votes, principles: no longer six
    # structure queries each request made before
    assert few[0] <= 5, few


def test_an_edit_to_a_question_shows_on_the_next_respond_page_at_once(
        db_app: Flask) -> None:
    consultation = _consultation(db_app)
    client = db_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    base = f"/consultations/{consultation.slug}"
    assert client.post(f"{base}/respond", data=PROFILE).status_code == 302
    with db_app.test_request_context("/"):
        c = db.session.get(Consultation, consultation.id)
        question = q(c, QuestionKind.LIKERT)
        old = question.text_en
        page = question.page
    first = client.get(f"{base}/respond/{page}")
    assert old in first.text
    with db_app.test_request_context("/"):
        c = db.session.get(Consultation, consultation.id)
        q(c, QuestionKind.LIKERT).text_en = "How often do you eat meat, revised?"
        db.session.commit()
    second = client.get(f"{base}/respond/{page}")
    assert "How often do you eat meat, revised?" in second.text
    assert old not in second.text


def test_review_submit_and_receipt_read_no_question_and_show_an_edit_at_once(
        db_app: Flask, statements: list[str]) -> None:
    """They read the visible questions from the same kept copy: warm, none of the four
    structure tables is read (but the response's own proposed statements); an official's
    edit shows on the next review at once."""

    def structure_reads() -> list[str]:
        return [s for s in _structure_reads(statements)
                if "WHERE statements.proposed_by_response_id = " not in s]

    consultation = _consultation(db_app)
    with db_app.test_request_context("/"):
        c = db.session.get(Consultation, consultation.id)
        answers = page_answers(c)
        likert = q(c, QuestionKind.LIKERT).id
    client = db_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    base = f"/consultations/{consultation.slug}"
    assert client.post(f"{base}/respond", data=PROFILE).status_code == 302
    for page in (1, 2, 3):
        assert client.post(f"{base}/respond/{page}", data=answers[page]).status_code == 302
    assert client.get(f"{base}/review").status_code == 200  # warm
    statements.clear()
    review = client.get(f"{base}/review")
    assert review.status_code == 200
    assert structure_reads() == [], "\n".join(_reads(statements))
    statements.clear()
    result = client.post(f"{base}/review", data={"website": ""})
    assert result.status_code == 302, result.text
    assert structure_reads() == [], "\n".join(_reads(statements))
    receipt_url = result.headers["Location"]
    statements.clear()
    receipt = client.get(receipt_url)
    assert receipt.status_code == 200
    assert structure_reads() == [], "\n".join(_reads(statements))
    with db_app.test_request_context("/"):
        db.session.get(Question, likert).text_en = "How often do you eat meat, revised?"
        db.session.commit()
    assert "How often do you eat meat, revised?" in client.get(f"{base}/review").text
    assert "How often do you eat meat, revised?" in client.get(receipt_url).text
