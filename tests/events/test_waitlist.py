"""The waiting list: a cancellation offers the seat to exactly one; offers expire and
pass on (time injected, never slept); accept and decline; promote and approve by hand."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import select, update

from consult.extensions import db
from consult.models import (
    Event,
    OfferStatus,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    Role,
    WaitlistOffer,
    utcnow,
)
from consult.services import DomainError
from consult.services.events import registration as reg_service
from consult.services.events import waitlist
from consult.services.events.seats import counter_mismatches
from tests.factories.events import adult, make_event_in_db
from tests.factories.users import new_user
from tests.support.sessions import log_in


def _full_event_with_queue(capacity: int = 2, waiting: int = 3) -> tuple[Event, list[str]]:
    organiser = new_user("org@example.nl", Role.ORGANISER)
    event = make_event_in_db(organiser, capacity=capacity)
    secrets = []
    for n in range(capacity + waiting):
        _, secret = reg_service.register(event, adult(f"p{n}@example.nl"))
        secrets.append(secret)
    db.session.commit()
    return event, secrets


def _status(email: str) -> RegistrationStatus:
    return db.session.scalar(select(Registration.status).where(Registration.email == email))  # type: ignore[return-value]


def test_a_full_event_puts_newcomers_on_the_waiting_list_in_order(rdb_app: Flask) -> None:
    event, _ = _full_event_with_queue()
    assert [_status(f"p{n}@example.nl") for n in range(5)] == [
        RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED, RegistrationStatus.WAITLISTED,
        RegistrationStatus.WAITLISTED,
    ]
    assert event.seats_taken == 2


def test_a_cancellation_offers_the_seat_to_exactly_one_the_first_in_line(rdb_app: Flask) -> None:
    event, secrets = _full_event_with_queue()
    first = reg_service.find_by_secret(secrets[0])
    assert first is not None
    reg_service.cancel(first)
    db.session.commit()

    offers = db.session.scalars(select(WaitlistOffer)).all()
    assert len(offers) == 1
    assert offers[0].registration.email == "p2@example.nl"
    assert offers[0].expires_at - offers[0].created_at == timedelta(hours=48)
    assert _status("p2@example.nl") == RegistrationStatus.OFFERED
    assert _status("p3@example.nl") == RegistrationStatus.WAITLISTED
    assert event.seats_taken == 2  # the offered seat is held for p2
    assert counter_mismatches() == []


def test_the_offer_mail_has_an_accept_link_that_confirms(rdb_app: Flask) -> None:
    from consult.mail import read_outbox

    event, secrets = _full_event_with_queue()
    reg_service.cancel(reg_service.find_by_secret(secrets[0]))  # type: ignore[arg-type]
    db.session.commit()
    mails = read_outbox(rdb_app.config["MAIL_OUTBOX"])
    offer_mail = mails[-1]
    assert offer_mail["To"] == "p2@example.nl"
    body = offer_mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    path = re.search(r"https?://consult\.test(/events/offer/\S+)", body).group(1)  # type: ignore[union-attr]

    client = rdb_app.test_client()
    assert client.get(path).status_code == 200
    response = client.post(path, data={"answer": "accept"})
    assert response.status_code == 302
    # The person lands on their ticket, not on the event page that says it is full.
    ticket = client.get(response.headers["Location"])
    assert ticket.status_code == 200
    assert "/events/r/" in response.headers["Location"]
    page = ticket.get_data(as_text=True)
    assert "u kunt op de wachtlijst" not in page.lower()  # no invitation to join it
    assert "Geen: de bijeenkomst is vol" in page
    assert "Uw plaats is bevestigd" in page
    db.session.expire_all()
    assert _status("p2@example.nl") == RegistrationStatus.CONFIRMED
    confirmed_mail = read_outbox(rdb_app.config["MAIL_OUTBOX"])[-1]
    assert confirmed_mail["To"] == "p2@example.nl"
    assert any(part.get_filename() == "event.ics" for part in confirmed_mail.iter_attachments())
    # The link works once.
    client.post(path, data={"answer": "accept"})
    assert db.session.scalar(select(WaitlistOffer.status)) == OfferStatus.ACCEPTED
    assert counter_mismatches() == []


def test_an_expired_offer_passes_to_the_next_in_line(rdb_app: Flask) -> None:
    event, secrets = _full_event_with_queue()
    now = utcnow()
    reg_service.cancel(reg_service.find_by_secret(secrets[0]), now)  # type: ignore[arg-type]
    db.session.commit()

    assert waitlist.expire_offers(now + timedelta(hours=47, minutes=59)) == 0
    assert _status("p2@example.nl") == RegistrationStatus.OFFERED

    assert waitlist.expire_offers(now + timedelta(hours=48)) == 1
    db.session.commit()
    assert _status("p2@example.nl") == RegistrationStatus.CANCELLED
    assert _status("p3@example.nl") == RegistrationStatus.OFFERED
    assert _status("p4@example.nl") == RegistrationStatus.WAITLISTED
    statuses = sorted(o.status.value for o in db.session.scalars(select(WaitlistOffer)))
    assert statuses == ["expired", "open"]
    # Running it again at the same moment changes nothing.
    assert waitlist.expire_offers(now + timedelta(hours=48)) == 0
    event = db.session.get(Event, event.id)  # type: ignore[assignment]
    assert event.seats_taken == 2
    assert counter_mismatches() == []


def test_accepting_after_expiry_is_refused_and_passes_the_seat_on(rdb_app: Flask) -> None:
    event, secrets = _full_event_with_queue()
    now = utcnow()
    reg_service.cancel(reg_service.find_by_secret(secrets[0]), now)  # type: ignore[arg-type]
    offer = db.session.scalars(select(WaitlistOffer)).one()
    with pytest.raises(DomainError, match="expired"):
        waitlist.accept_offer(offer, now + timedelta(hours=49))
    assert _status("p3@example.nl") == RegistrationStatus.OFFERED


def test_declining_passes_the_seat_on(rdb_app: Flask) -> None:
    _, secrets = _full_event_with_queue()
    reg_service.cancel(reg_service.find_by_secret(secrets[0]))  # type: ignore[arg-type]
    offer = db.session.scalars(select(WaitlistOffer)).one()
    waitlist.decline_offer(offer)
    assert _status("p2@example.nl") == RegistrationStatus.CANCELLED
    assert _status("p3@example.nl") == RegistrationStatus.OFFERED
    assert counter_mismatches() == []


def test_organisers_promote_by_hand_only_when_a_seat_is_free(rdb_app: Flask) -> None:
    event, _ = _full_event_with_queue()
    organiser = event.organisers[0]
    waiting = waitlist.waiting(event)
    with pytest.raises(DomainError, match="not enough seats"):
        waitlist.promote(organiser, waiting[0])
    db.session.rollback()
    event.capacity = 3
    db.session.commit()
    waitlist.promote(organiser, waitlist.waiting(event)[0])
    db.session.commit()
    assert _status("p2@example.nl") == RegistrationStatus.CONFIRMED
    assert db.session.get(Event, event.id).seats_taken == 3  # type: ignore[union-attr]
    assert counter_mismatches() == []


def test_selection_mode_waits_for_approval_and_approval_takes_a_seat(rdb_app: Flask) -> None:
    organiser = new_user("org@example.nl", Role.ORGANISER)
    event = make_event_in_db(organiser, capacity=1, registration_mode=RegistrationMode.SELECTION)
    a, _ = reg_service.register(event, adult("a@example.nl"))
    b, _ = reg_service.register(event, adult("b@example.nl"))
    db.session.commit()
    assert a.status == b.status == RegistrationStatus.PENDING_APPROVAL
    assert event.seats_taken == 0
    waitlist.approve(organiser, a)
    db.session.commit()
    assert _status("a@example.nl") == RegistrationStatus.CONFIRMED
    with pytest.raises(DomainError):
        waitlist.approve(organiser, b)  # no seat left
    db.session.rollback()
    b = db.session.scalar(select(Registration).where(Registration.email == "b@example.nl"))
    waitlist.reject(organiser, b)  # type: ignore[arg-type]
    assert _status("b@example.nl") == RegistrationStatus.REJECTED
    assert counter_mismatches() == []


def _run(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=list(args))


def test_events_check_reports_a_counter_that_differs(rdb_app: Flask) -> None:
    event, _ = _full_event_with_queue()
    result = _run(rdb_app, "events", "check")
    assert result.exit_code == 0, result.output
    db.session.execute(update(Event).where(Event.id == event.id).values(seats_taken=1))
    db.session.commit()
    result = _run(rdb_app, "events", "check")
    assert result.exit_code == 1
    assert f"event {event.id}" in result.output and "counter 1" in result.output
    assert "registrations hold 2" in result.output


def test_expire_offers_command_passes_expired_offers_on(rdb_app: Flask) -> None:
    _, secrets = _full_event_with_queue()
    long_ago = utcnow() - timedelta(hours=72)
    reg_service.cancel(reg_service.find_by_secret(secrets[0]), long_ago)  # type: ignore[arg-type]
    db.session.commit()
    result = _run(rdb_app, "events", "expire-offers")
    assert result.exit_code == 0, result.output
    assert "1 offers expired" in result.output
    db.session.expire_all()
    assert _status("p3@example.nl") == RegistrationStatus.OFFERED


def test_the_organiser_s_waiting_list_is_paged_in_its_order(app: Flask) -> None:
    """A campaign's waiting list runs into the thousands: the registrations page shows
    it 50 at a time, numbered on from the page before, with links to the other pages."""
    organiser = new_user("org@example.nl", Role.ORGANISER)
    event = make_event_in_db(organiser, capacity=1)
    for n in range(54):  # one seat, then 53 waiting: "Person 1" to "Person 53"
        reg_service.register(event, adult(f"p{n}@example.nl", name=f"Person {n}"))
    db.session.commit()
    client = app.test_client()
    log_in(client, organiser)
    url = f"/organise/events/{event.id}/registrations?lang=en"

    def waiting_list(page: str) -> str:
        return page.split('id="waiting-list"')[1].split("</ol>")[0]

    first = waiting_list(client.get(url).text)
    assert "1–50 of 53" in first and '<ol start="1">' in first
    assert "<li>Person 1</li>" in first and "<li>Person 50</li>" in first
    assert "Person 51" not in first and "<li>Person 0</li>" not in first
    assert 'aria-label="Pages of the waiting list"' in client.get(url).text
    second = waiting_list(client.get(url + "&waiting_page=2").text)
    assert "51–53 of 53" in second and '<ol start="51">' in second
    assert "<li>Person 53</li>" in second and "<li>Person 1</li>" not in second
    bad = client.get(url + "&waiting_page=abc")
    assert bad.status_code == 200 and "1–50 of 53" in waiting_list(bad.text)
