"""The seat rule under real concurrency: threads, each with its own client and connection."""

from __future__ import annotations

import threading
from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Registration, RegistrationStatus, Role
from consult.services.events import registration as reg_service
from consult.services.events.seats import counter_mismatches
from tests.factories.events import adult, make_event_in_db
from tests.factories.users import new_user

FORM = {"name": "Racer", "birth_date": "1985-03-02", "eligible": "y"}


def test_50_concurrent_registrations_for_the_last_10_seats_never_overbook(
    db_app: Flask,
) -> None:
    organiser = new_user("org@example.nl", Role.ORGANISER)
    event = make_event_in_db(organiser, capacity=50)
    for n in range(40):  # the first 40 seats go the ordinary way
        reg_service.register(event, adult(f"early{n}@example.nl"))
    racers = [new_user(f"racer{n}@example.nl") for n in range(50)]
    db.session.commit()
    event_id = event.id
    assert event.seats_taken == 40

    barrier = threading.Barrier(len(racers))
    outcomes: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def race(user_email: str, user_id: int, session_id: str) -> None:
        try:
            client = db_app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = session_id
                session["_fresh"] = True
            barrier.wait(timeout=30)
            response = client.post(f"/events/{event_id}/register", data=FORM)
            with lock:
                outcomes.append((response.status_code, response.headers.get("Location", "")))
        except BaseException as error:  # noqa: BLE001 - reported below
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=race, args=(u.email, u.id, u.get_id())) for u in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    # Every request got the normal answer: a redirect to the personal page, no error page.
    assert [code for code, _ in outcomes] == [302] * 50
    assert all("/events/r/" in location for _, location in outcomes)

    db.session.expire_all()
    statuses = Counter(
        db.session.scalars(
            select(Registration.status).where(
                Registration.event_id == event_id,
                Registration.email.like("racer%"),
            )
        )
    )
    assert statuses == {RegistrationStatus.CONFIRMED: 10, RegistrationStatus.WAITLISTED: 40}
    confirmed_total = db.session.scalar(
        select(func.count()).where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )
    assert confirmed_total == 50
    event = db.session.get(type(event), event_id)
    assert event is not None and event.seats_taken == event.capacity == 50
    assert counter_mismatches() == []


def test_the_same_person_posting_twice_at_once_gets_one_registration(db_app: Flask) -> None:
    organiser = new_user("org@example.nl", Role.ORGANISER)
    event = make_event_in_db(organiser, capacity=5)
    user = new_user("double@example.nl")
    db.session.commit()
    event_id, session_id = event.id, user.get_id()
    barrier = threading.Barrier(8)
    codes: list[int] = []

    def post() -> None:
        client = db_app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
        barrier.wait(timeout=30)
        codes.append(client.post(f"/events/{event_id}/register", data=FORM).status_code)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(codes) == 8 and all(code in (302, 400) for code in codes), codes
    db.session.expire_all()
    rows = db.session.scalars(select(Registration).where(Registration.event_id == event_id)).all()
    assert len(rows) == 1
    assert db.session.get(type(event), event_id).seats_taken == 1  # type: ignore[union-attr]
    assert counter_mismatches() == []
