"""The anonymous event page is reused only while nothing it shows has changed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.blueprints import anonymous_pages
from consult.extensions import db
from consult.models import Event, Role, TastingProduct
from consult.services.events import registration as reg_service
from tests.factories.events import adult, make_event_in_db
from tests.factories.users import new_user
from tests.support.sessions import log_in


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    anonymous_pages.clear()
    yield
    anonymous_pages.clear()


def _tasting(app: Flask) -> Event:
    with app.test_request_context("/"):
        event = make_event_in_db(new_user("org@example.nl", Role.ORGANISER), tasting=True,
                                 capacity=2, min_age=0)
        db.session.commit()
        return event


def test_every_change_to_the_event_shows_at_once(app: Flask, client: FlaskClient) -> None:
    event = _tasting(app)
    url = f"/events/{event.id}"
    first = client.get(url).text
    assert client.get(url).text == first
    assert "2 of 2" in first
    event.title_en = "Tasting, new date"
    db.session.commit()
    assert "Tasting, new date" in client.get(url).text
    db.session.add(TastingProduct(event=event, position=5, name_nl="Kweekvis",
                                  name_en="Cultivated fish", allergens=["fish"]))
    db.session.commit()
    assert "Cultivated fish" in client.get(url).text
    with app.test_request_context("/"):
        reg_service.register(event, adult("piet@example.nl"))
        db.session.commit()
    assert "1 of 2" in client.get(url).text


def test_a_registered_person_sees_their_own_state(app: Flask, client: FlaskClient) -> None:
    event = _tasting(app)
    url = f"/events/{event.id}"
    assert "You are registered" not in client.get(url).text
    person = new_user("anna@example.nl")
    with app.test_request_context("/"):
        reg_service.register(event, adult("anna@example.nl", user=person))
        db.session.commit()
    log_in(client, person)
    assert "You are registered for this event" in client.get(url).text


def test_the_event_version_rises_with_its_parts_only(db_app: Flask) -> None:
    from consult.models import EligibilityItem

    with db_app.test_request_context("/"):
        event = make_event_in_db(new_user("org@example.nl", Role.ORGANISER), tasting=True,
                                 capacity=5, min_age=0)
        db.session.commit()
        seen = [event.version]

        def changed() -> None:
            db.session.commit()
            assert event.version > seen[-1]
            seen.append(event.version)

        event.products[0].name_en = "Cultivated meatball, fried"
        changed()
        event.eligibility_items.append(EligibilityItem(position=0, text_nl="Zwanger",
                                                       text_en="Pregnant"))
        changed()
        assert event.approval is not None
        event.approval.conditions = "Only cooked."
        changed()
        db.session.delete(event.products[0])
        changed()
        reg_service.register(event, adult("piet@example.nl", eligibility_confirmed=True))
        db.session.commit()
        assert event.version == seen[-1], "a registration changes the seats, not the version"


def test_a_linked_questionnaire_shows_its_current_title(app: Flask, client: FlaskClient) -> None:
    from tests.factories.consultations import build_consultation

    event = _tasting(app)
    with app.test_request_context("/"):
        consultation = build_consultation()
    event.before_consultation_id = consultation.id
    db.session.commit()
    url = f"/events/{event.id}"
    assert "Cultivated meat in the Netherlands" in client.get(url).text
    consultation.title_en = "Cultivated meat: before the tasting"
    db.session.commit()
    assert "Cultivated meat: before the tasting" in client.get(url).text
