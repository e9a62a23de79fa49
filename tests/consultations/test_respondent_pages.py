"""The respondent's pages: find, answer page by page, review, submit, receipt, edit, withdraw."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Answer, Consultation, QuestionKind, Response, ResponseStatus
from tests.factories.consultations import q
from tests.support.mail import Outbox
from tests.support.responding import PROFILE, page_answers, respond
from tests.support.sessions import login


def test_the_list_shows_open_consultations_filtered_by_topic(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    page = client.get("/consultations/").get_data(as_text=True)
    assert c.title("en") in page
    other = client.get("/consultations/?topic=gene-therapy").get_data(as_text=True)
    assert c.title("en") not in other
    assert c.title("en") in client.get("/").get_data(as_text=True)
    dutch = client.get("/consultations/?lang=nl&topic=cultivated-meat-fish")
    assert c.title("nl") in dutch.get_data(as_text=True)


def test_a_citizen_answers_reviews_submits_and_gets_a_receipt_and_mail(
    client: FlaskClient, make_consultation: Callable[..., Consultation], outbox: Outbox
) -> None:
    c = make_consultation()
    profile = dict(PROFILE, email="piet@example.nl")
    result = respond(client, c, profile)
    receipt = client.get(result.headers["Location"])
    body = receipt.get_data(as_text=True)
    assert receipt.status_code == 200
    assert "Goed idee" in body and "/edit/" in body
    # The vote comes first, so a statement's own full stop never runs into it.
    assert "Eens: Kweekvlees is veilig" in body or "Agree: Cultivated meat is safe" in body
    response = db.session.scalar(select(Response))
    assert response.status == ResponseStatus.SUBMITTED
    mail = outbox.body(outbox.last())
    assert "Goed idee" in mail and "/edit/" in mail


def test_a_failed_page_shows_everything_typed_and_stores_nothing(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    respond(client, c, submit=False)
    open_text = q(c, QuestionKind.OPEN_TEXT)
    before = db.session.scalar(select(Answer.text).filter_by(question_id=open_text.id))
    too_long = "x" * 201 + " mijn getypte tekst"
    result = client.post(f"/consultations/{c.slug}/respond/3",
                         data={f"q{open_text.id}": too_long})
    body = result.get_data(as_text=True)
    assert result.status_code == 200
    assert "There is a problem" in body or "Er is een probleem" in body
    assert too_long in body
    db.session.expire_all()
    assert db.session.scalar(select(Answer.text).filter_by(question_id=open_text.id)) == before


def test_edit_link_lets_an_anonymous_respondent_change_and_withdraw(
    app, client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    result = respond(client, c)
    body = client.get(result.headers["Location"]).get_data(as_text=True)
    link = body.split("http://consult.test")[1].split('"')[0]
    other = app.test_client()
    assert other.get(f"/consultations/{c.slug}/review").status_code == 302  # not theirs
    assert other.get(link).status_code == 302
    open_text = q(c, QuestionKind.OPEN_TEXT)
    assert other.post(f"/consultations/{c.slug}/respond/3",
                      data={f"q{open_text.id}": "Toch anders"}).status_code == 302
    assert other.post(f"/consultations/{c.slug}/review").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Answer.text).filter_by(question_id=open_text.id)) == \
        "Toch anders"
    assert other.post(f"/consultations/{c.slug}/withdraw",
                      data={"confirm": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Response.status)) == ResponseStatus.WITHDRAWN
    assert client.get("/consultations/" + c.slug + "/edit/not-a-token").status_code == 404


def test_an_account_has_one_response_and_changes_it(
    client: FlaskClient, make_consultation: Callable[..., Consultation], make_user
) -> None:
    c = make_consultation()
    make_user()
    login(client, "anna@example.nl")
    respond(client, c)
    again = client.get(f"/consultations/{c.slug}/respond").get_data(as_text=True)
    assert "already responded" in again or "al gereageerd" in again
    respond(client, c, text="Tweede keer")
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert db.session.scalar(select(func.count()).select_from(Answer).where(
        Answer.text == "Tweede keer")) == 1


def test_pages_of_every_kind_render(client: FlaskClient,
                                    make_consultation: Callable[..., Consultation]) -> None:
    c = make_consultation()
    client.post(f"/consultations/{c.slug}/respond", data=PROFILE)
    for page in (1, 2, 3):
        assert client.get(f"/consultations/{c.slug}/respond/{page}").status_code == 200
    assert page_answers(c)
