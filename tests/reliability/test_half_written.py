"""A failure in the middle of saving leaves nothing half-written.

Each test makes the service fail after it has already written rows in the request's
transaction (flushed to the database), then ends the request as Flask does (the
session is removed, which rolls back). What was stored before stays; what the failing
request wrote is gone entirely: no page stored by half, no response submitted without
its receipt, no seat claimed without its registration.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import (
    Answer,
    Consultation,
    Event,
    QuestionKind,
    Registration,
    Response,
    ResponseStatus,
    Role,
    StatementVote,
)
from consult.services.accounts.tokens import make_token
from consult.services.consultations import responding
from consult.services.events import registration as reg_service
from consult.services.events import seats
from tests.factories.consultations import build_consultation, q
from tests.factories.events import make_event_in_db
from tests.factories.users import new_user
from tests.support.responding import PROFILE, page_answers


class Crash(RuntimeError):
    """The failure the tests inject."""


def _count(model: Any, **where: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).filter_by(**where))
               or 0)


def _end_request() -> None:
    """What Flask-SQLAlchemy does when a request ends: the session goes (rolls back)."""
    db.session.remove()


def test_a_page_that_fails_halfway_stores_none_of_its_answers(
    db_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db_app.test_request_context("/"):
        c = build_consultation()
        pages = page_answers(c)
    client = db_app.test_client()
    slug, consultation_id = c.slug, c.id  # `c` is detached once the session is removed
    assert client.post(f"/consultations/{slug}/respond", data=PROFILE).status_code == 302
    original = responding._save_votes

    def votes_then_crash(*args: Any) -> None:
        original(*args)
        db.session.flush()  # the rating answer and the votes are in the database now
        assert _count(StatementVote) > 0
        raise Crash("the worker fails in the middle of the page")

    monkeypatch.setattr(responding, "_save_votes", votes_then_crash)
    answer = client.post(f"/consultations/{slug}/respond/1", data=pages[1])
    assert answer.status_code == 500, "the person sees the error page"
    _end_request()
    response = db.session.scalars(select(Response)).one()
    response_id = response.id
    assert response.status == ResponseStatus.DRAFT
    assert response.category is not None, "the page stored before is kept"
    assert _count(Answer) == 0 and _count(StatementVote) == 0, "nothing of the page is kept"

    monkeypatch.setattr(responding, "_save_votes", original)
    assert client.post(f"/consultations/{slug}/respond/1", data=pages[1]).status_code == 302
    _end_request()
    assert _count(Answer, response_id=response_id) == 2  # rating and likert
    assert _count(StatementVote, response_id=response_id) == 2
    rating = q(db.session.get(Consultation, consultation_id), QuestionKind.PRINCIPLE_RATING)
    assert _count(Answer, response_id=response_id, question_id=rating.id) == 1


def test_a_submission_that_fails_before_its_commit_stays_a_draft(
    db_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db_app.test_request_context("/"):
        c = build_consultation()
        pages = page_answers(c)
    slug = c.slug  # `c` is detached once the session is removed
    client = db_app.test_client()
    assert client.post(f"/consultations/{slug}/respond", data=PROFILE).status_code == 302
    for page, data in pages.items():
        assert client.post(f"/consultations/{slug}/respond/{page}",
                           data=data).status_code == 302
    _end_request()
    answers_before = _count(Answer)

    def crash(*_args: Any, **_kwargs: Any) -> None:
        raise Crash("the mail server is gone, after the response was marked submitted")

    monkeypatch.setattr(responding, "send_receipt", crash)
    answer = client.post(f"/consultations/{slug}/review", data={"website": ""})
    assert answer.status_code == 500
    _end_request()
    response = db.session.scalars(select(Response)).one()
    assert response.status == ResponseStatus.DRAFT
    assert response.submitted_at is None
    assert _count(Answer) == answers_before, "the answers saved before are all kept"


def test_a_registration_that_fails_after_claiming_a_seat_holds_no_seat(
    db_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db_app.test_request_context("/"):
        event = make_event_in_db(new_user("org@example.nl", Role.ORGANISER), capacity=5,
                                 min_age=0)
        db.session.commit()
        event_id = event.id
        token = make_token("event-email", {"event": event_id, "email": "piet@example.nl"})

    def crash(*_args: Any, **_kwargs: Any) -> None:
        assert _count(Registration) == 1, "the seat is claimed and the row written"
        raise Crash("the worker fails before the confirmation mail")

    monkeypatch.setattr(reg_service, "mail_registrant", crash)
    client = db_app.test_client()
    answer = client.post(f"/events/{event_id}/register/{token}",
                         data={"name": "Piet", "guests": "0"})
    assert answer.status_code == 500
    _end_request()
    assert _count(Registration) == 0
    assert db.session.get(Event, event_id).seats_taken == 0
    assert seats.counter_mismatches() == []
