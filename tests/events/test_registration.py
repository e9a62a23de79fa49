"""Registering: the rules that refuse (and store nothing), the two ways in, the
confirmation page and mail with a calendar file, the personal link, cancelling."""

from __future__ import annotations

import re
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.mail import read_outbox
from consult.models import (
    DietaryNote,
    EligibilityItem,
    Event,
    InfoSheet,
    Registration,
    RegistrationStatus,
    Role,
)
from consult.services.events.seats import counter_mismatches
from tests.factories.events import make_event_in_db
from tests.factories.users import new_user
from tests.support.sessions import log_in


def _tasting(**overrides: Any) -> Event:
    organiser = new_user("org@example.nl", Role.ORGANISER)
    event = make_event_in_db(organiser, tasting=True, capacity=5, **overrides)
    event.eligibility_items.append(EligibilityItem(text_nl="Ik ben zwanger.",
                                                   text_en="I am pregnant."))
    event.info_sheets.append(InfoSheet(version=1, body_nl="Versie een.", body_en="Version one."))
    db.session.commit()
    return event


def _citizen(client: FlaskClient, email: str = "anna@example.nl") -> None:
    user = new_user(email)
    db.session.commit()
    log_in(client, user)


GOOD = {"name": "Anna", "birth_date": "1990-05-14", "eligible": "y", "info_sheet": "y",
        "info_sheet_version": "1"}


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _mails(app: Flask) -> list[EmailMessage]:
    return read_outbox(app.config["MAIL_OUTBOX"])


def test_the_form_shows_the_allergens_before_registering(db_app: Flask) -> None:
    event = _tasting()
    client = db_app.test_client()
    _citizen(client)
    page = client.get(f"/events/{event.id}/register?lang=en").get_data(as_text=True)
    assert "Cultivated meatball" in page
    assert "Cereals containing gluten" in page and "Eggs" in page
    assert "I am pregnant." in page and "Version one." in page


def test_the_form_says_what_it_requires_and_lists_the_exclusions_once(db_app: Flask) -> None:
    event = _tasting()  # a minimum age of 18: the date of birth is required
    client = db_app.test_client()
    _citizen(client)
    page = client.get(f"/events/{event.id}/register?lang=nl").get_data(as_text=True)
    birth_legend = re.search(r'<legend>(Geboortedatum.*?)</legend>', page, re.S)
    assert birth_legend is not None and "niet verplicht" not in birth_legend.group(1)
    assert '<label for="birth_date">Dag</label>' in page  # day, month, year: no picker
    assert 'name="birth_date-month"' in page and 'autocomplete="bday-year"' in page
    assert page.count("Ik ben zwanger.") == 1  # in the form's question, not also above it
    assert "<legend>Allergieën en dieet</legend>" in page  # not the field's own label again
    english = client.get(f"/events/{event.id}/register?lang=en").get_data(as_text=True)
    assert "<legend>Date of birth</legend>" in english
    assert '<label for="birth_date-year">Year</label>' in english


def test_a_citizen_with_an_account_registers_and_gets_the_page_and_the_mail(
    db_app: Flask,
) -> None:
    event = _tasting()
    client = db_app.test_client()
    _citizen(client)
    response = client.post(f"/events/{event.id}/register?lang=en", data=GOOD)
    assert response.status_code == 302
    personal = response.headers["Location"]
    page = client.get(personal).get_data(as_text=True)
    assert "Your check-in code" in page
    registration = db.session.scalars(select(Registration)).one()
    code = registration.checkin_code
    assert f"{code[:4]}-{code[4:]}" in page
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.info_sheet_version == 1 and registration.info_sheet_accepted_at
    assert registration.eligibility_confirmed_at is not None

    mail = _mails(db_app)[-1]
    assert mail["To"] == "anna@example.nl"
    body = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert personal.split("consult.test")[-1] in body  # the personal (cancel) link
    ics = [p for p in mail.iter_attachments() if p.get_filename() == "event.ics"]
    assert len(ics) == 1
    calendar = icalendar.Calendar.from_ical(ics[0].get_content())
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == "Cultivated meat workshop"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTEND") == event.ends_at


def test_without_an_account_the_address_is_confirmed_first(db_app: Flask) -> None:
    event = _tasting()
    client = db_app.test_client()
    response = client.post(f"/events/{event.id}/register", data={"email": "Kees@Example.nl"})
    assert response.status_code == 302
    assert _count(Registration) == 0  # nothing before the address is confirmed
    body = _mails(db_app)[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    link = re.search(r"https?://consult\.test(/events/\d+/register/\S+)", body).group(1)  # type: ignore[union-attr]
    assert "kees@example.nl" in client.get(link).get_data(as_text=True)
    response = client.post(link, data=GOOD)
    assert response.status_code == 302
    registration = db.session.scalars(select(Registration)).one()
    assert registration.email == "kees@example.nl" and registration.user_id is None
    # A forged or damaged link is refused with a message.
    bad = client.get(link[:-3] + "xyz?lang=en")
    assert bad.status_code == 400 and "not valid" in bad.get_data(as_text=True)


def test_a_malformed_email_gets_a_clear_message(db_app: Flask) -> None:
    event = _tasting()
    client = db_app.test_client()
    response = client.post(f"/events/{event.id}/register?lang=en", data={"email": "not-an-email"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter an email address like name@example.nl." in page
    assert 'value="not-an-email"' in page


def _refused(app: Flask, data: dict[str, str], message: str) -> str:
    event = _tasting()
    client = app.test_client()
    _citizen(client)
    response = client.post(f"/events/{event.id}/register?lang=en", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert "error-summary" in page
    assert _count(Registration) == 0 and _count(DietaryNote) == 0
    assert db.session.get(Event, event.id).seats_taken == 0  # type: ignore[union-attr]
    return page


def test_someone_under_the_minimum_age_is_refused_and_nothing_is_stored(db_app: Flask) -> None:
    young = date.today() - timedelta(days=365 * 17)
    _refused(db_app, {**GOOD, "birth_date": young.isoformat(), "name": "Kid"},
             "You must be at least 18 years old on the day of the event to take part.")


def test_no_date_of_birth_is_refused(db_app: Flask) -> None:
    _refused(db_app, {**GOOD, "birth_date": ""}, "Enter your date of birth.")


NOT_A_DATE = ("Enter a real date of birth: day, month and year in numbers, "
              "for example 14 5 1990.")


@pytest.mark.parametrize("parts", [
    ("31", "2", "1990"),   # no 31 February
    ("14", "13", "1990"),  # no thirteenth month
    ("14", "5", ""),       # no year
    ("14", "mei", "1990"),  # a month in words
    ("14", "5", "90"),     # a year in two digits
])
def test_a_date_of_birth_that_is_not_a_date_is_refused_and_kept(
    db_app: Flask, parts: tuple[str, str, str],
) -> None:
    data = {k: v for k, v in GOOD.items() if k != "birth_date"}
    data.update({"birth_date-day": parts[0], "birth_date-month": parts[1],
                 "birth_date-year": parts[2]})
    page = _refused(db_app, data, NOT_A_DATE)
    for part, typed in zip(("day", "month", "year"), parts, strict=True):
        box = "birth_date" if part == "day" else f"birth_date-{part}"
        assert re.search(rf'id="{box}" name="birth_date-{part}" value="{typed}"', page)


def test_a_whole_date_that_is_not_a_date_is_refused(db_app: Flask) -> None:
    _refused(db_app, {**GOOD, "birth_date": "14-99-1990"}, NOT_A_DATE)


def test_the_date_of_birth_in_three_boxes_registers(db_app: Flask) -> None:
    event = _tasting()
    client = db_app.test_client()
    _citizen(client)
    data = {k: v for k, v in GOOD.items() if k != "birth_date"}
    data.update({"birth_date-day": "14", "birth_date-month": "05", "birth_date-year": "1990"})
    response = client.post(f"/events/{event.id}/register?lang=en", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _count(Registration) == 1


def test_every_broken_rule_is_shown_at_once_at_its_field(db_app: Flask) -> None:
    """Too young, no tick for eligibility, the information sheet not accepted and a
    dietary note without consent: four messages on one page, not one per try."""
    young = date.today() - timedelta(days=365 * 17)
    data = {"name": "Kid", "birth_date": young.isoformat(), "dietary_note": "Geen noten"}
    page = _refused(db_app, data, "You must be at least 18 years old")
    for message in ("You can only take part when none of these apply to you.",
                    "Read and accept the participant information sheet to register.",
                    "Give your explicit consent to store the dietary note"):
        assert message in page.split("error-summary-title")[2].split("</ul>")[0], message
    assert "Geen noten</textarea>" in page  # what was typed is kept


def test_not_confirming_eligibility_is_refused(db_app: Flask) -> None:
    data = {k: v for k, v in GOOD.items() if k != "eligible"}
    _refused(db_app, data, "You can only take part when none of these apply to you.")


def test_not_accepting_the_information_sheet_is_refused(db_app: Flask) -> None:
    data = {k: v for k, v in GOOD.items() if k != "info_sheet"}
    _refused(db_app, data, "Read and accept the participant information sheet to register.")


def test_an_outdated_information_sheet_is_refused(db_app: Flask) -> None:
    _refused(db_app, {**GOOD, "info_sheet_version": "0"},
             "The information sheet has changed since you opened this page.")


def test_a_dietary_note_without_consent_is_refused_and_kept_in_the_form(db_app: Flask) -> None:
    event = _tasting()
    client = db_app.test_client()
    _citizen(client)
    response = client.post(f"/events/{event.id}/register?lang=en",
                           data={**GOOD, "dietary_note": "No pork please"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give your explicit consent to store the dietary note" in page
    assert "No pork please" in page  # what was typed is kept
    assert _count(Registration) == 0 and _count(DietaryNote) == 0


def test_an_over_long_name_or_note_is_refused_with_the_limit(db_app: Flask) -> None:
    event = _tasting()
    client = db_app.test_client()
    _citizen(client)
    response = client.post(f"/events/{event.id}/register?lang=en",
                           data={**GOOD, "name": "x" * 121, "dietary_note": "y" * 1001,
                                 "dietary_consent": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use at most 120 characters." in page and "Use at most 1000 characters." in page
    assert _count(Registration) == 0


def test_guests_beyond_the_limit_are_refused(db_app: Flask) -> None:
    event = _tasting()
    event.allow_guests, event.max_guests = True, 1
    db.session.commit()
    client = db_app.test_client()
    _citizen(client)
    response = client.post(f"/events/{event.id}/register?lang=en", data={**GOOD, "guests": "2"})
    assert response.status_code == 400
    assert "You can bring at most 1 guests." in response.get_data(as_text=True)
    response = client.post(f"/events/{event.id}/register?lang=en", data={**GOOD, "guests": "1"})
    assert response.status_code == 302
    assert db.session.get(Event, event.id).seats_taken == 2  # type: ignore[union-attr]


def test_a_forged_event_id_is_a_404_page(db_app: Flask) -> None:
    client = db_app.test_client()
    assert client.get("/events/999999").status_code == 404
    assert client.post("/events/999999/register", data=GOOD).status_code == 404
    assert client.get("/events/r/forged-secret").status_code == 404


def test_registering_twice_is_refused_politely(db_app: Flask) -> None:
    event = _tasting()
    client = db_app.test_client()
    _citizen(client)
    assert client.post(f"/events/{event.id}/register", data=GOOD).status_code == 302
    response = client.post(f"/events/{event.id}/register?lang=en", data=GOOD)
    assert response.status_code == 302 and "/mine" in response.headers["Location"]
    assert _count(Registration) == 1


def test_cancelling_with_the_personal_link_frees_the_seat_and_deletes_the_note(
    db_app: Flask,
) -> None:
    event = _tasting()
    client = db_app.test_client()
    _citizen(client)
    response = client.post(f"/events/{event.id}/register",
                           data={**GOOD, "dietary_note": "Vegetarian", "dietary_consent": "y"})
    personal = response.headers["Location"]
    assert _count(DietaryNote) == 1
    anonymous = db_app.test_client()  # the link alone is enough
    response = anonymous.post(personal + "/cancel")
    assert response.status_code == 302
    registration = db.session.scalars(select(Registration)).one()
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.CANCELLED
    assert _count(DietaryNote) == 0
    assert db.session.get(Event, event.id).seats_taken == 0  # type: ignore[union-attr]
    assert counter_mismatches() == []
    # They may register again afterwards.
    assert client.post(f"/events/{event.id}/register", data=GOOD).status_code == 302
    assert db.session.get(Event, event.id).seats_taken == 1  # type: ignore[union-attr]


def test_the_qr_image_opens_only_for_the_registrant_and_the_organisers(db_app: Flask) -> None:
    event = _tasting()
    client = db_app.test_client()
    _citizen(client)
    personal = client.post(f"/events/{event.id}/register", data=GOOD).headers["Location"]
    svg = client.get(personal + "/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data
    png = client.get(f"/events/{event.id}/mine/qr.png")
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    registration = db.session.scalars(select(Registration)).one()
    stranger = db_app.test_client()
    assert stranger.get(f"/events/{event.id}/mine/qr.svg").status_code == 404
    other = db_app.test_client()
    _citizen(other, "other@example.nl")
    assert other.get(f"/events/{event.id}/mine/qr.svg").status_code == 404
    assert other.get(
        f"/organise/events/{event.id}/registrations/{registration.id}/qr.svg"
    ).status_code == 403
    organiser_client = db_app.test_client()
    log_in(organiser_client, event.organisers[0])
    assert organiser_client.get(
        f"/organise/events/{event.id}/registrations/{registration.id}/qr.svg"
    ).status_code == 200


def test_the_email_step_is_rate_limited_but_account_holders_are_not(
    app_factory: Any,
) -> None:
    limited = app_factory(RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_IP="2 per minute")
    with limited.app_context():
        event = _tasting()
        client = limited.test_client()
        codes = [client.post(f"/events/{event.id}/register",
                             data={"email": f"x{n}@example.nl"}).status_code for n in range(3)]
        assert codes == [302, 302, 429]
        member = limited.test_client()
        _citizen(member)
        for _ in range(3):  # a logged-in person's attempts are not counted
            response = member.post(f"/events/{event.id}/register?lang=en",
                                   data={"name": "x" * 200})
            assert response.status_code == 400
            assert "Use at most 120 characters." in response.get_data(as_text=True)
        db.session.remove()
