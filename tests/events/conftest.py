"""Factories for the events tests: topics, organisers, events, registrants."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import (
    ApprovalVerdict,
    Event,
    EventKind,
    EventStatus,
    Role,
    TastingApproval,
    TastingProduct,
    Topic,
    User,
    utcnow,
)
from consult.services.catalogue import ensure_catalogues
from consult.services.events.registration import Registrant

PASSWORD = "correct horse battery"


def new_user(email: str, role: Role = Role.CITIZEN) -> User:
    """A user without the cost of hashing a real password (tests log in by session)."""
    user = User(email=email, password_hash="x", role=role, confirmed_at=utcnow(), locale="en")
    db.session.add(user)
    db.session.flush()
    return user


def log_in(client: FlaskClient, user: User) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def make_event_in_db(organiser: User, **overrides: Any) -> Event:
    ensure_catalogues()
    topic = db.session.scalars(db.select(Topic).order_by(Topic.position)).first()
    assert topic is not None
    default_start = utcnow().replace(second=0, microsecond=0) + timedelta(days=10)
    start = overrides.pop("starts_at", default_start)
    values: dict[str, Any] = {
        "kind": EventKind.WORKSHOP,
        "status": EventStatus.PUBLISHED,
        "topic_id": topic.id,
        "title_nl": "Werkplaats kweekvlees",
        "title_en": "Cultivated meat workshop",
        "description_nl": "Samen praten.",
        "description_en": "Talking together.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "venue": "Stadhuis, Utrecht",
        "capacity": 10,
        "seats_taken": 0,
        "min_age": 18,
    }
    tasting = overrides.pop("tasting", False)
    values.update(overrides)
    if tasting:
        values["kind"] = EventKind.TASTING
    event = Event(**values)
    event.organisers = [organiser]
    db.session.add(event)
    db.session.flush()
    if tasting:
        db.session.add(TastingApproval(event=event, committee="Expert committee",
                                       reference="CoP-2026-07", verdict=ApprovalVerdict.SAFE,
                                       decided_on=date(2026, 6, 1), conditions="Small bites."))
        db.session.add(TastingProduct(event=event, name_nl="Kweekgehaktbal",
                                      name_en="Cultivated meatball",
                                      allergens=["gluten", "eggs"]))
        db.session.flush()
    return event


@pytest.fixture
def organiser(app: Flask) -> User:
    user = new_user("org@example.nl", Role.ORGANISER)
    db.session.commit()
    return user


@pytest.fixture
def make_event(app: Flask, organiser: User) -> Callable[..., Event]:
    def factory(**overrides: Any) -> Event:
        event = make_event_in_db(overrides.pop("organiser", organiser), **overrides)
        db.session.commit()
        return event

    return factory


def adult(email: str = "piet@example.nl", **overrides: Any) -> Registrant:
    values: dict[str, Any] = {
        "email": email,
        "locale": "en",
        "name": "Piet",
        "birth_date": date(1980, 1, 1),
        "eligibility_confirmed": True,
        "info_sheet_version": None,
    }
    values.update(overrides)
    return Registrant(**values)


def later(hours: float) -> datetime:
    return utcnow() + timedelta(hours=hours)


@pytest.fixture
def rdb_app(db_app: Flask) -> Iterator[Flask]:
    """`db_app` inside a request context, so translated messages can be read in a test."""
    with db_app.test_request_context(headers={"Accept-Language": "en"}):
        yield db_app
