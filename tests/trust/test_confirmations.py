"""What cannot be undone or is made public goes through a confirmation page.

Closing a consultation now, publishing its report, cancelling an event, marking it as
completed and withdrawing a response: the button is a link to a page that says what
happens; only that page's form (CSRF and `confirm=yes`) does it. A bare POST changes
nothing and goes back to the confirmation page with a message. Deleting an account
asks for the password on its page (tests/trust/test_privacy.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    Consultation,
    ConsultationStatus,
    Event,
    EventStatus,
    Response,
    ResponseStatus,
    Role,
    utcnow,
)
from consult.services import DomainError
from consult.services.consultations import editing
from consult.services.events import manage
from tests.factories.consultations import build_consultation
from tests.factories.events import make_event_in_db
from tests.factories.users import new_user, official_user
from tests.support.responding import respond
from tests.support.sessions import log_in

REFUSED = "Nothing was changed: please confirm on this page first."


def _client(app: Flask, user: object | None = None, lang: str = "en") -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    if user is not None:
        log_in(client, user)  # type: ignore[arg-type]
    return client


def _bare_post_is_refused(client: FlaskClient, url: str) -> None:
    """A POST without `confirm=yes` goes back to the confirmation page with a message."""
    for data in ({}, {"confirm": "no"}):
        response = client.post(url, data=data)
        assert response.status_code == 303
        assert response.headers["Location"].endswith(url)
        page = client.get(url).get_data(as_text=True)
        assert REFUSED in page


def _status(slug: str) -> ConsultationStatus:
    db.session.expire_all()
    found = db.session.scalar(select(Consultation).filter_by(slug=slug))
    assert found is not None
    return found.status


def test_closing_a_consultation_goes_through_its_confirmation_page(app: Flask) -> None:
    consultation = build_consultation()
    official = official_user()
    db.session.commit()
    client = _client(app, official)
    slug = consultation.slug
    edit = client.get(f"/officials/consultations/{slug}").get_data(as_text=True)
    assert f'href="/officials/consultations/{slug}/status/close"' in edit
    url = f"/officials/consultations/{slug}/status/close"
    page = client.get(url).get_data(as_text=True)
    assert "Close the consultation now?" in page
    assert "Nobody can send or change a response any more." in page
    assert "This cannot be undone." in page
    assert 'name="confirm" value="yes"' in page
    assert f'href="/officials/consultations/{slug}"' in page  # the way back
    _bare_post_is_refused(client, url)
    assert _status(slug) == ConsultationStatus.OPEN
    done = client.post(url, data={"confirm": "yes"})
    assert done.status_code == 302
    assert _status(slug) == ConsultationStatus.CLOSED


def test_the_confirmation_page_is_in_dutch(app: Flask) -> None:
    consultation = build_consultation()
    official = official_user()
    db.session.commit()
    page = _client(app, official, "nl").get(
        f"/officials/consultations/{consultation.slug}/status/close?lang=nl")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Dit kunt u niet ongedaan maken." in body
    assert "Close the consultation now?" not in body


def test_publishing_the_report_goes_through_its_confirmation_page(app: Flask) -> None:
    consultation = build_consultation()
    official = official_user()
    editing.close_now(official, consultation)
    consultation.report_summary_nl = "Wat we hoorden."
    db.session.commit()
    client = _client(app, official)
    slug = consultation.slug
    report = client.get(f"/officials/consultations/{slug}/report").get_data(as_text=True)
    assert f'href="/officials/consultations/{slug}/status/publish"' in report
    url = f"/officials/consultations/{slug}/status/publish"
    page = client.get(url).get_data(as_text=True)
    assert "The report becomes public" in page
    assert 'class="button"' in page  # publishing is not a red button
    _bare_post_is_refused(client, url)
    assert _status(slug) == ConsultationStatus.CLOSED
    client.post(url, data={"confirm": "yes"})
    assert _status(slug) == ConsultationStatus.REPORT_PUBLISHED


def test_schedule_and_open_need_no_confirmation_and_a_get_changes_nothing(
    app: Flask,
) -> None:
    consultation = build_consultation(opened=False)
    official = official_user()
    db.session.commit()
    client = _client(app, official)
    slug = consultation.slug
    before = _status(slug)
    for action in ("schedule", "open"):
        response = client.get(f"/officials/consultations/{slug}/status/{action}")
        assert response.status_code == 302
        assert _status(slug) == before
    client.post(f"/officials/consultations/{slug}/status/open")  # one click, as before
    assert _status(slug) == ConsultationStatus.OPEN
    assert client.get(f"/officials/consultations/{slug}/status/nonsense").status_code == 404


def test_cancelling_an_event_goes_through_its_confirmation_page(app: Flask) -> None:
    organiser = new_user("org@example.nl", Role.ORGANISER)
    event = make_event_in_db(organiser)
    db.session.commit()
    client = _client(app, organiser)
    overview = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert (f'class="button button-danger" href="/organise/events/{event.id}/cancel"'
            in overview)
    url = f"/organise/events/{event.id}/cancel"
    page = client.get(url).get_data(as_text=True)
    assert "Cancel the event?" in page and "gets an email" in page
    assert "This cannot be undone." in page
    assert 'class="button button-danger"' in page
    _bare_post_is_refused(client, url)
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.PUBLISHED  # type: ignore[union-attr]
    client.post(url, data={"confirm": "yes"})
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.CANCELLED  # type: ignore[union-attr]


def test_marking_completed_is_refused_before_the_event_ends(app: Flask) -> None:
    organiser = new_user("org@example.nl", Role.ORGANISER)
    event = make_event_in_db(organiser)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        manage.complete(organiser, event)
    assert "nog niet afgelopen" in str(refused.value.message)  # Dutch is the default
    # after it has ended (a clock past the end) it is accepted
    manage.complete(organiser, event, now=event.ends_at + timedelta(minutes=1))
    assert event.status == EventStatus.COMPLETED


def test_an_organiser_cannot_mark_a_future_event_completed(app: Flask) -> None:
    organiser = new_user("org@example.nl", Role.ORGANISER)
    event = make_event_in_db(organiser)
    db.session.commit()
    client = _client(app, organiser)
    overview = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert f"/organise/events/{event.id}/complete" not in overview
    assert "After the event has ended you can mark it as completed." in overview
    url = f"/organise/events/{event.id}/complete"
    for method, data in (("GET", None), ("POST", {"confirm": "yes"})):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 302
        shown = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "The event has not ended yet." in shown
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.PUBLISHED  # type: ignore[union-attr]


def test_marking_an_ended_event_completed_goes_through_its_confirmation_page(
    app: Flask,
) -> None:
    organiser = new_user("org@example.nl", Role.ORGANISER)
    event = make_event_in_db(organiser, starts_at=utcnow().replace(microsecond=0)
                             - timedelta(hours=3))
    db.session.commit()
    client = _client(app, organiser)
    url = f"/organise/events/{event.id}/complete"
    assert f'href="{url}"' in client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Mark the event as completed?" in page and "nobody can register" in page
    _bare_post_is_refused(client, url)
    client.post(url, data={"confirm": "yes"})
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.COMPLETED  # type: ignore[union-attr]
    public = _client(app).get(f"/events/{event.id}").get_data(as_text=True)
    assert "This event has taken place." in public


def test_withdrawing_a_response_needs_its_confirmation_form(app: Flask) -> None:
    consultation = build_consultation()
    db.session.commit()
    client = _client(app)
    respond(client, consultation)
    url = f"/consultations/{consultation.slug}/withdraw"
    page = client.get(url).get_data(as_text=True)
    assert "Your answers cannot be brought back." in page
    _bare_post_is_refused(client, url)
    db.session.expire_all()
    assert db.session.scalar(select(Response.status)) == ResponseStatus.SUBMITTED
    client.post(url, data={"confirm": "yes"})
    db.session.expire_all()
    assert db.session.scalar(select(Response.status)) == ResponseStatus.WITHDRAWN


def test_with_csrf_on_a_post_without_the_token_changes_nothing(app_factory) -> None:
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        consultation = build_consultation()
        official = official_user()
        db.session.commit()
        client = _client(app, official)
        url = f"/officials/consultations/{consultation.slug}/status/close"
        response = client.post(url, data={"confirm": "yes"})
        assert response.status_code in (303, 400)
        assert _status(consultation.slug) == ConsultationStatus.OPEN
