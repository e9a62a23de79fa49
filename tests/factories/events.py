"""Events for tests: an event (or tasting) in the database, a registrant, a later time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from consult.extensions import db
from consult.models import (
    ApprovalVerdict,
    Event,
    EventKind,
    EventStatus,
    TastingApproval,
    TastingProduct,
    Topic,
    User,
    utcnow,
)
from consult.services.catalogue import ensure_catalogues
from consult.services.events.registration import Registrant


def make_event_in_db(organiser: User, **overrides: Any) -> Event:
    """A published workshop ten days ahead (a tasting with `tasting=True`), flushed."""
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


def adult(email: str = "piet@example.nl", **overrides: Any) -> Registrant:
    """An adult registrant who confirmed eligibility, as the registration service takes it."""
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
    """The time `hours` from now (UTC)."""
    return utcnow() + timedelta(hours=hours)


def checked_in(event: Event, user: User) -> None:
    """A registration of `user` for `event` that was checked in at the door (flushed)."""
    from consult.models import Registration, RegistrationStatus

    n = len(event.title_nl) + user.id
    db.session.add(Registration(
        event_id=event.id, user_id=user.id, email=user.email,
        status=RegistrationStatus.ATTENDED, checkin_code=f"T{n:07d}",
        cancel_token_hash=f"{event.id:032d}{user.id:032d}", checked_in_at=utcnow()))
    db.session.flush()
