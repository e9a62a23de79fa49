""""Save and go back" on a question page keeps what was given without first asking for
the required answers; every other mistake is still refused, and the submit still asks
for every required answer."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.models import Answer, Consultation, QuestionKind, Response, ResponseStatus
from tests.factories.consultations import build_consultation, q
from tests.support.responding import PROFILE, page_answers


def _start(app: Flask, language: str = "en") -> tuple[object, str, dict[str, int], dict]:
    with app.test_request_context("/"):
        consultation = build_consultation()
        db.session.commit()
        c = db.session.get(Consultation, consultation.id)
        ids = {"likert": q(c, QuestionKind.LIKERT).id,
               "rating": q(c, QuestionKind.PRINCIPLE_RATING).id,
               "open": q(c, QuestionKind.OPEN_TEXT).id}
        slug, answers = c.slug, page_answers(c)
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    assert client.post(f"/consultations/{slug}/respond", data=PROFILE).status_code == 302
    return client, slug, ids, answers


def _stored(app: Flask, question_id: int) -> list[object]:
    """What is stored for the question: its number (a scale), else its text or value."""
    with app.app_context():
        rows = db.session.execute(select(Answer.number, Answer.text, Answer.value)
                                  .filter_by(question_id=question_id)).all()
        return [next((x for x in row if x is not None), None) for row in rows]


def test_going_back_from_a_half_answered_page_keeps_what_was_given(db_app: Flask) -> None:
    client, slug, ids, _answers = _start(db_app)
    base = f"/consultations/{slug}"
    half = {f"q{ids['likert']}": "4", "action": "back"}  # the rating left open
    result = client.post(f"{base}/respond/1", data=half)
    assert result.status_code == 302
    assert result.headers["Location"].endswith(f"{base}/respond")  # "about you"
    assert _stored(db_app, ids["likert"]) == [4]
    again = client.get(f"{base}/respond/1").text
    assert f'name="q{ids["likert"]}" value="4" checked' in again
    assert "field-has-error" not in again


def test_save_and_continue_still_asks_for_the_required_answers(db_app: Flask) -> None:
    client, slug, ids, _answers = _start(db_app)
    result = client.post(f"/consultations/{slug}/respond/1",
                         data={f"q{ids['likert']}": "4", "action": "next"})
    assert result.status_code == 200
    assert "field-has-error" in result.text and "There is a problem" in result.text
    assert _stored(db_app, ids["likert"]) == []  # nothing stored from a refused page


def test_going_back_still_refuses_a_mistake_and_keeps_what_was_typed(db_app: Flask) -> None:
    client, slug, ids, _answers = _start(db_app, "nl")
    too_long = "x" * 201 + " mijn tekst"
    result = client.post(f"/consultations/{slug}/respond/3",
                         data={f"q{ids['open']}": too_long, "action": "back"})
    assert result.status_code == 200
    assert "Er is een probleem" in result.text
    assert too_long in result.text
    assert _stored(db_app, ids["open"]) == []


def test_the_submit_still_asks_for_what_going_back_left_open(db_app: Flask) -> None:
    client, slug, ids, answers = _start(db_app)
    base = f"/consultations/{slug}"
    assert client.post(f"{base}/respond/1", data={"action": "back"}).status_code == 302
    for page in (2, 3):
        assert client.post(f"{base}/respond/{page}", data=answers[page]).status_code == 302
    refused = client.post(f"{base}/review", data={"website": ""})
    assert refused.status_code == 400
    assert "Answer every required question first" in refused.text
    with db_app.app_context():
        assert db.session.scalar(select(Response.status)) == ResponseStatus.DRAFT
